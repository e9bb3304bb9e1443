// Package synth generates synthetic releases of the dataset, of any size,
// for benchmarks: the same record types, shapes and rough sizes as the real
// data (events of about 1.3 KB of JSON, English and sometimes Japanese
// text, partial dates and periods, several actors, countries and tags per
// event, budget lines by fiscal year, agency and stage), valid by every
// check of package dataset, and deterministic: a size and a seed always give
// the same bytes.
//
// For n events a release has n/10 actors, n/10 budget lines, n/4 sources and
// n/100 programs (with floors for small n). The real release has about as
// many actors and budget lines as events; a hundredfold larger dataset would
// mostly add events about the same actors and budgets, so these ratios keep
// the lists of actors and budgets proportional without letting them
// dominate.
package synth

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/jcdd/jcdd/dataset"
)

// BenchSeed is the seed of the releases the benchmarks use, so that
// tools/bench (which loads them into DynamoDB) and the benchmarks (which
// query them) generate the same ones.
const BenchSeed = 20201

// Options shape a synthetic release.
type Options struct {
	Events  int    // number of events
	Seed    uint64 // the same seed and size give the same release
	Version string // release version; default 1.0.0
}

// Counts are the numbers of records of each kind for n events.
func Counts(n int) (actors, budgets, sources, programs int) {
	return max(20, n/10), max(20, n/10), max(20, n/4), max(5, n/100)
}

// Common words of titles and summaries.
var (
	nouns = strings.Fields("network intrusion ministry agency briefing report budget strategy law command unit " +
		"contractor cable embassy server operation defense intelligence attribution campaign warning meeting " +
		"official system satellite vulnerability investigation exercise team office committee alliance")
	verbs = strings.Fields("discloses warns confirms denies reports briefs reviews funds establishes appoints " +
		"detects investigates attributes announces restructures expands tightens publishes")
	adjs = strings.Fields("classified national joint allied foreign domestic senior cyber military diplomatic " +
		"regional technical interim annual unnamed public private critical")
	jaWords = strings.Fields("防衛省 外務省 警察庁 内閣 サイバー 攻撃 情報 保全 予算 戦略 調査 報告 同盟 司令部 侵入 " +
		"通信 機密 政府 職員 対策")
	eventTypes  = strings.Fields("intrusion discovery briefing diplomatic-visit diplomatic-call statement denial report leak attribution policy legislation organization-established appointment budget other")
	roles       = strings.Fields("perpetrator target discoverer messenger recipient spokesperson author publisher investigator decision-maker subject participant")
	countryPool = strings.Fields("JP US CN KR TW GB AU FR DE IN RU KP CA NZ PH SG VN ID IT NL")
	actorKinds  = strings.Fields("person government-agency military-unit state company media organization threat-group")
	srcKinds    = strings.Fields("news government report leak reference blog")
	progKinds   = strings.Fields("organization law strategy initiative target")
	progStates  = strings.Fields("planned active in-force superseded abolished completed unknown")
	stages      = strings.Fields("request draft initial supplementary spending")
)

type gen struct {
	r    *rand.Rand
	cite int // the next source to cite first, so that every source is cited
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// sentence writes about n words of English prose.
func (g *gen) sentence(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch i % 4 {
		case 0:
			b.WriteString(g.pick(adjs))
		case 1, 3:
			b.WriteString(g.pick(nouns))
		default:
			b.WriteString(g.pick(verbs))
		}
	}
	return b.String()
}

func (g *gen) prose(sentences int) string {
	parts := make([]string, sentences)
	for i := range parts {
		s := g.sentence(10 + g.r.IntN(12))
		parts[i] = strings.ToUpper(s[:1]) + s[1:] + "."
	}
	return strings.Join(parts, " ")
}

func (g *gen) japanese(words int) string {
	var b strings.Builder
	for range words {
		b.WriteString(g.pick(jaWords))
	}
	return b.String() + "。"
}

// text is a Text with Japanese a third of the time.
func (g *gen) text(en string, jaWords int) dataset.Text {
	t := dataset.Text{EN: en}
	if g.r.IntN(3) == 0 {
		t.JA = g.japanese(jaWords)
	}
	return t
}

// distinct picks k different values of list (k <= len(list)).
func (g *gen) distinct(list []string, k int) []string {
	out := make([]string, 0, k)
	for len(out) < k {
		if v := g.pick(list); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// skewed returns an index in [0, n) where small indexes are much more
// likely, as a few actors, tags and sources take part in most events.
func (g *gen) skewed(n int) int {
	f := g.r.Float64()
	return int(f * f * f * float64(n))
}

// refs cites k sources: the next one in turn (every source must be cited
// by some record), then popular ones.
func (g *gen) refs(sources []string, k int) []dataset.SourceRef {
	out := make([]dataset.SourceRef, 0, k)
	seen := map[string]bool{}
	for len(out) < k {
		id := sources[g.skewed(len(sources))]
		if len(out) == 0 {
			id = sources[g.cite%len(sources)]
			g.cite++
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		ref := dataset.SourceRef{Source: id}
		if g.r.IntN(2) == 0 {
			ref.Locator = fmt.Sprintf("paragraph %d", 1+g.r.IntN(20))
		}
		out = append(out, ref)
	}
	return out
}

// date is a random day from 1995 to 2025.
func (g *gen) day() (y, m, d int) {
	return 1995 + g.r.IntN(31), 1 + g.r.IntN(12), 1 + g.r.IntN(28)
}

// Generate builds a synthetic release.
func Generate(o Options) *dataset.Release {
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, uint64(o.Events)))}
	nActors, nBudgets, nSources, nPrograms := Counts(o.Events)
	rel := &dataset.Release{Info: dataset.ReleaseInfo{
		Version:  o.Version,
		Released: "2026-01-01",
		Summary:  fmt.Sprintf("Synthetic release of %d events (seed %d), for benchmarks only.", o.Events, o.Seed),
	}}
	if rel.Info.Version == "" {
		rel.Info.Version = "1.0.0"
	}

	sourceIDs := make([]string, nSources)
	for i := range nSources {
		sourceIDs[i] = fmt.Sprintf("s-%06d", i)
		y, m, d := g.day()
		title := g.sentence(8)
		s := dataset.Source{
			ID: sourceIDs[i], URL: fmt.Sprintf("https://news.example.org/%d/%02d/%s", y, m, sourceIDs[i]),
			Title: strings.ToUpper(title[:1]) + title[1:], Publisher: "Example " + g.pick(nouns) + " news",
			Published: fmt.Sprintf("%04d-%02d-%02d", y, m, d), Language: "en", Kind: g.pick(srcKinds),
		}
		if g.r.IntN(4) == 0 {
			s.Language = "ja"
		}
		rel.Sources = append(rel.Sources, s)
	}

	actorIDs := make([]string, nActors)
	for i := range nActors {
		actorIDs[i] = fmt.Sprintf("a-%06d", i)
	}
	// The first actors are the agencies that budgets and programs belong
	// to.
	nAgencies := max(5, nActors/20)
	for i := range nActors {
		a := dataset.Actor{
			ID: actorIDs[i], Kind: g.pick(actorKinds), Name: g.text("The "+g.sentence(3), 3),
			Country: g.pick(countryPool), Description: g.text(g.prose(2), 8), Sources: g.refs(sourceIDs, 1+g.r.IntN(2)),
		}
		if i < nAgencies {
			a.Kind, a.Country = "government-agency", "JP"
		}
		if g.r.IntN(3) == 0 {
			a.Aliases = []string{strings.ToUpper(g.pick(nouns)[:3]) + fmt.Sprint(i)}
		}
		if a.Kind == "person" {
			a.Roles = []dataset.Role{{Title: "Director, " + g.sentence(2), Organization: actorIDs[g.r.IntN(nAgencies)], From: fmt.Sprint(1995 + g.r.IntN(25))}}
		}
		rel.Actors = append(rel.Actors, a)
	}

	tags := make([]string, 60)
	for i := range tags {
		tags[i] = fmt.Sprintf("%s-%d", g.pick(nouns), i)
	}
	eventIDs := make([]string, o.Events)
	for i := range o.Events {
		eventIDs[i] = fmt.Sprintf("e-%07d", i)
	}
	for i := range o.Events {
		title := g.sentence(9)
		e := dataset.Event{
			ID: eventIDs[i], Title: g.text(strings.ToUpper(title[:1])+title[1:], 6),
			Summary: g.text(g.prose(4+g.r.IntN(4)), 30), Type: g.pick(eventTypes),
			Confidence: "confirmed", Sources: g.refs(sourceIDs, 1+g.r.IntN(3)),
		}
		y, m, d := g.day()
		switch p := g.r.IntN(100); {
		case p < 70:
			e.Occurred, e.Precision = fmt.Sprintf("%04d-%02d-%02d", y, m, d), dataset.PrecisionDay
		case p < 88:
			e.Occurred, e.Precision = fmt.Sprintf("%04d-%02d", y, m), dataset.PrecisionMonth
		case p < 95:
			e.Occurred, e.Precision = fmt.Sprintf("%04d", y), dataset.PrecisionYear
		default:
			// A period of up to six years.
			e.Occurred, e.Precision = fmt.Sprintf("%04d-%02d", y, m), "window"
			e.OccurredTo = fmt.Sprintf("%04d-%02d", y+g.r.IntN(6)+1, 1+g.r.IntN(12))
		}
		if g.r.IntN(3) == 0 {
			e.DisclosedOn = fmt.Sprintf("%04d-%02d-%02d", y+1+g.r.IntN(3), 1+g.r.IntN(12), 1+g.r.IntN(28))
		}
		for _, a := range g.distinctIdx(nActors, 1+g.r.IntN(4)) {
			e.Actors = append(e.Actors, dataset.EventActor{Actor: actorIDs[a], Role: g.pick(roles)})
		}
		e.Countries = g.distinct(countryPool[:8+g.r.IntN(12)], 1+g.r.IntN(3))
		for _, t := range g.distinctIdx(len(tags), 1+g.r.IntN(3)) {
			e.Tags = append(e.Tags, tags[t])
		}
		switch c := g.r.IntN(10); {
		case c < 4:
			e.Confidence = "reported"
		case c == 9:
			e.Confidence, e.DisputedBy = "disputed", []string{actorIDs[g.r.IntN(nActors)]}
		}
		if i > 0 && g.r.IntN(5) == 0 {
			e.Related = []string{eventIDs[g.r.IntN(i)]}
		}
		if g.r.IntN(4) == 0 {
			e.Notes = g.prose(1)
		}
		// About one in a hundred is a tombstone superseded by a later event.
		if i+1 < o.Events && g.r.IntN(100) == 0 {
			e.Status, e.SupersededBy, e.WithdrawnReason = dataset.StatusWithdrawn, eventIDs[i+1], "A duplicate."
		}
		rel.Events = append(rel.Events, e)
	}

	programIDs := make([]string, nPrograms)
	for i := range nPrograms {
		programIDs[i] = fmt.Sprintf("p-%05d", i)
		p := dataset.Program{
			ID: programIDs[i], Name: g.text("The "+g.sentence(4), 4), Agency: actorIDs[g.r.IntN(nAgencies)],
			Kind: g.pick(progKinds), Summary: g.text(g.prose(3), 20), Started: fmt.Sprint(2000 + g.r.IntN(25)),
			State: g.pick(progStates), Sources: g.refs(sourceIDs, 1+g.r.IntN(2)),
		}
		if o.Events > 0 && g.r.IntN(3) == 0 {
			p.Events = []string{eventIDs[g.r.IntN(o.Events)]}
		}
		for k := range 1 + g.r.IntN(3) {
			p.Metrics = append(p.Metrics, dataset.Metric{
				Name: "cyber-personnel", Value: float64(100 + g.r.IntN(5000)), Unit: "people", Kind: "actual",
				AsOf: fmt.Sprint(2005 + k + g.r.IntN(15)), Sources: g.refs(sourceIDs, 1),
			})
		}
		rel.Programs = append(rel.Programs, p)
	}

	// Budget lines: mostly cyber items; one cyber total and one defense
	// total at most per agency, fiscal year and stage (the dataset allows
	// no second total), and a few multi-year plans.
	type totalKey struct {
		fy     int
		agency string
		stage  string
		cat    string
	}
	totals := map[totalKey]bool{}
	for i := 0; len(rel.Budgets) < nBudgets; i++ {
		b := dataset.BudgetLine{
			ID: fmt.Sprintf("b-%06d", i), FiscalYear: 1995 + g.r.IntN(36), Agency: actorIDs[g.skewed(nAgencies)],
			Title: g.text(g.sentence(6), 5), Category: "cyber-item", Stage: g.pick(stages),
			AmountJPY: int64(1+g.r.IntN(50000)) * 10_000_000, Confidence: "confirmed", Sources: g.refs(sourceIDs, 1),
		}
		switch c := g.r.IntN(20); {
		case c < 3:
			b.Category = "cyber-total"
		case c == 3:
			b.Category, b.AmountJPY = "defense-total", int64(4000+g.r.IntN(5000))*1_000_000_000
		case c == 4:
			b.Stage, b.FiscalYearTo, b.Category = "plan", b.FiscalYear+4, "cyber-total"
		}
		if b.Category != "cyber-item" {
			k := totalKey{b.FiscalYear, b.Agency, b.Stage, b.Category}
			if totals[k] {
				continue
			}
			totals[k] = true
		}
		if b.Category == "cyber-item" && g.r.IntN(3) == 0 {
			b.Program = programIDs[g.r.IntN(nPrograms)]
		}
		if g.r.IntN(10) == 0 {
			b.AmountQualifier = "about"
		}
		rel.Budgets = append(rel.Budgets, b)
	}
	return rel
}

// distinctIdx picks k different indexes in [0, n), skewed to small ones.
func (g *gen) distinctIdx(n, k int) []int {
	k = min(k, n)
	out := make([]int, 0, k)
	for len(out) < k {
		if v := g.skewed(n); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// records returns what one file of a release holds: its description, or
// the records of the kind whose file it is.
func records(rel *dataset.Release, file string) (any, error) {
	if file == dataset.ReleaseFile.Name {
		return rel.Info, nil
	}
	for _, k := range dataset.Kinds {
		if k.File().Name == file {
			return k.Slice(rel), nil
		}
	}
	return nil, fmt.Errorf("synth: no records for %s", file)
}

// Files encodes a release as the YAML files of a release directory, by
// name, and sets its checksums to theirs.
func Files(rel *dataset.Release) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, f := range dataset.Files {
		v, err := records(rel, f.Name)
		if err != nil {
			return nil, err
		}
		b, err := yaml.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("synth: encoding %s: %w", f.Name, err)
		}
		files[f.Name] = b
	}
	rel.Checksums = map[string]string{}
	for name, b := range files {
		rel.Checksums[name] = dataset.Checksum(b)
	}
	return files, nil
}

// Release generates a release with checksums, as a loaded release has
// them. They are those of the records' JSON encoding, not of YAML files:
// encoding 100,000 events as YAML takes half a minute, and nothing but the
// loader reads the files (WriteDir writes them, with their own checksums).
func Release(o Options) (*dataset.Release, error) {
	rel := Generate(o)
	rel.Checksums = map[string]string{}
	for _, f := range dataset.Files {
		v, err := records(rel, f.Name)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("synth: encoding %s: %w", f.Name, err)
		}
		rel.Checksums[f.Name] = dataset.Checksum(b)
	}
	return rel, nil
}

// WriteDir writes a release's files into dir, which the loader (loader load
// --dir) and dataset.LoadFS read.
func WriteDir(rel *dataset.Release, dir string) error {
	files, err := Files(rel)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
