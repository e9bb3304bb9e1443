package dataset

import (
	"strings"
	"unicode"
)

// BilingualSince is the first release whose text is written in English and
// Japanese alike: from it on, a current record whose paired text field (see
// textFields) has one language and not the other fails validation. Releases
// 1.0.0 and 1.1.0 were published with English text and only some Japanese
// names; they are checked by the rules they were published under, so that
// they load exactly as published.
const BilingualSince = "1.2.0"

// textField is one Text field of a record kind. A paired field must give
// both languages; an unpaired one may give English alone.
type textField[T any] struct {
	name   string
	paired bool
	get    func(*T) Text
}

// The Text fields of each kind, in the order the kind's records show them.
// Every Text field of a record kind is listed here: the pairing rule, the
// coverage that `make validate` prints and the contributing guide all follow
// this list.
var (
	eventTexts = []textField[Event]{
		{"title", true, func(e *Event) Text { return e.Title }},
		{"summary", true, func(e *Event) Text { return e.Summary }},
	}
	actorTexts = []textField[Actor]{
		// A name's Japanese is given only where a source prints one: many
		// foreign people and bodies have no settled Japanese name, and a
		// transliteration made up by the dataset would be worse than none.
		{"name", false, func(a *Actor) Text { return a.Name }},
		{"description", true, func(a *Actor) Text { return a.Description }},
	}
	programTexts = []textField[Program]{
		{"name", true, func(p *Program) Text { return p.Name }},
		{"summary", true, func(p *Program) Text { return p.Summary }},
	}
	budgetTexts = []textField[BudgetLine]{
		{"title", true, func(b *BudgetLine) Text { return b.Title }},
	}
)

// blank reports whether s has no text at all.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// hasJapaneseScript reports whether s has at least one kana or kanji, the
// least that Japanese text has. It catches English pasted into ja.
func hasJapaneseScript(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return true
		}
	}
	return false
}

// texts checks the Text fields of one current record of a release that pairs
// its texts.
func texts[T any](r rec, record *T, fields []textField[T]) {
	for _, f := range fields {
		t := f.get(record)
		switch {
		case f.paired && !blank(t.EN) && blank(t.JA):
			r.fail(f.name+".ja", "has English but no Japanese: from release %s every %s %s is written in both languages", BilingualSince, r.kind, f.name)
		case f.paired && blank(t.EN) && !blank(t.JA):
			r.fail(f.name+".en", "has Japanese but no English: from release %s every %s %s is written in both languages", BilingualSince, r.kind, f.name)
		case !blank(t.JA) && !hasJapaneseScript(t.JA):
			r.fail(f.name+".ja", "%q has no kana or kanji: write the Japanese text here, not the English", t.JA)
		}
	}
}

// FieldCoverage is how many of the current records of a kind have Japanese
// text in one field.
type FieldCoverage struct {
	Field string // e.g. "title"
	// Paired fields must have Japanese from BilingualSince on; the others
	// (an actor's name) have it only where a source gives one.
	Paired bool
	JA     int // current records with Japanese in the field
	Of     int // current (not withdrawn) records of the kind
}

// KindCoverage is the Japanese coverage of the Text fields of one kind.
type KindCoverage struct {
	Kind   string // plural, as Counts names it: "events"
	Fields []FieldCoverage
}

// JapaneseCoverage counts, for every Text field of every kind, the current
// records that have Japanese text in it. Withdrawn records are left out: they
// are kept unchanged as tombstones and are not translated.
func JapaneseCoverage(r *Release) []KindCoverage {
	var out []KindCoverage
	for _, k := range Kinds {
		if c, ok := k.coverage(r); ok {
			out = append(out, c)
		}
	}
	return out
}

func coverage[T any](records []T, fields []textField[T], withdrawn func(*T) bool) []FieldCoverage {
	out := make([]FieldCoverage, len(fields))
	for i, f := range fields {
		out[i] = FieldCoverage{Field: f.name, Paired: f.paired}
	}
	for i := range records {
		if withdrawn(&records[i]) {
			continue
		}
		for j, f := range fields {
			out[j].Of++
			if !blank(f.get(&records[i]).JA) {
				out[j].JA++
			}
		}
	}
	return out
}
