package dataset

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"gopkg.in/yaml.v3"
)

// working is the release in progress: the hand-edited YAML files beside this
// package.
//
//go:embed *.yaml
var working embed.FS

// Release is one complete, validated release of the dataset.
type Release struct {
	Info     ReleaseInfo
	Sources  []Source
	Actors   []Actor
	Events   []Event
	Programs []Program
	Budgets  []BudgetLine
	// Checksums maps each file name to the SHA-256 of its bytes, hex-encoded.
	Checksums map[string]string
	// others holds the records of the kinds added by Register, which have
	// no field of their own: for each kind's name, a *[]T (see
	// OtherRecords).
	others map[string]any
}

// Load parses and validates the embedded working copy of the dataset.
func Load() (*Release, error) {
	return LoadFS(working)
}

// WorkingFS returns the embedded working copy's files.
func WorkingFS() fs.FS { return working }

// LoadFS parses and validates the release whose files are at the root of
// fsys. Parsing is strict: unknown fields, wrong types and values outside
// their enums are errors. Every problem found is returned at once, as Errors.
func LoadFS(fsys fs.FS) (*Release, error) {
	l := loader{reg: NewRegistry(), rel: &Release{Checksums: map[string]string{}}, lines: lineIndex{fsys: fsys}}
	for _, f := range Files {
		if f.List {
			// Read as a stream, record by record, when the file's layout
			// allows; otherwise read whole below.
			sum, ok, err := l.stream(fsys, f)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("reading %s: %w", f.Name, err)
			}
			if ok {
				l.rel.Checksums[f.Name] = sum
				continue
			}
		}
		data, err := fs.ReadFile(fsys, f.Name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				l.fileFailed = true
				l.add(&Error{File: f.Name, Msg: "file is missing"})
				continue
			}
			return nil, fmt.Errorf("reading %s: %w", f.Name, err)
		}
		sum := sha256.Sum256(data)
		l.rel.Checksums[f.Name] = hex.EncodeToString(sum[:])
		l.file(f, data)
	}
	if !l.fileFailed {
		// Cross-record checks on a release with a whole file missing would
		// only repeat that one problem as dangling references.
		l.errs = append(l.errs, validate(l.rel, &l.lines, l.invalid)...)
	}
	if len(l.errs) > 0 {
		l.errs.sort()
		return nil, l.errs
	}
	return l.rel, nil
}

// loader accumulates records and errors across the files of one release.
type loader struct {
	reg   huma.Registry
	rel   *Release
	errs  Errors
	lines lineIndex
	// invalid holds the ids of records that failed schema validation: they
	// are left out of the release but still exist, so references to them
	// are not reported as dangling on top of their own errors.
	invalid idSet
	// invalidAdded lists what was put in invalid, in order (see reset).
	invalidAdded [][2]string
	// fileFailed is set when a whole file could not be read as records.
	fileFailed bool
}

func (l *loader) add(e *Error) { l.errs = append(l.errs, e) }

// file parses one file and appends its valid records to the release. A
// list is read record by record when its layout allows (see splitRecords),
// so that only one record's nodes are held at a time; otherwise, or when a
// record does not read as it would in the whole file, the whole file is
// parsed at once.
func (l *loader) file(f File, data []byte) {
	if f.List {
		if spans, ok := splitRecords(data); ok {
			mark := l.mark()
			if l.records(f, data, spans) {
				return
			}
			l.reset(mark)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		l.fileFailed = true
		l.add(&Error{File: f.Name, Line: yamlErrorLine(err), Msg: "not valid YAML: " + yamlErrorText(err)})
		return
	}
	if len(doc.Content) == 0 {
		l.fileFailed = true
		l.add(&Error{File: f.Name, Msg: "file is empty"})
		return
	}
	root := doc.Content[0]
	if !f.List {
		l.record(f, root, 0)
		return
	}
	if root.Kind != yaml.SequenceNode {
		l.fileFailed = true
		l.add(&Error{File: f.Name, Line: root.Line, Msg: "expected a list of " + f.Kind + " records"})
		return
	}
	for i, n := range root.Content {
		l.record(f, n, i)
	}
}

// records reads a list record by record, each from its span of the file
// (see splitRecords). It returns false, having added some records, if a
// span is not exactly one list item: the caller then starts the file again
// as a whole, whose parse reports any error with its line.
func (l *loader) records(f File, data []byte, spans []span) bool {
	for i, sp := range spans {
		n, ok := parseSpan(data, sp)
		if !ok {
			return false
		}
		l.recordAt(f, n, i, recordAt{file: f.Name, span: sp})
	}
	return true
}

// record validates one record against the schema of its type and, if it is
// valid, decodes it into the release.
func (l *loader) record(f File, n *yaml.Node, index int) {
	l.recordAt(f, n, index, recordAt{node: n})
}

// recordAt is record for a record whose lines are found again as at says.
func (l *loader) recordAt(f File, n *yaml.Node, index int, at0 recordAt) {
	id := recordID(n)
	at := func(field string, line int, msg string) *Error {
		return &Error{File: f.Name, Line: line, Kind: f.Kind, ID: id, Index: index, Field: field, Msg: msg}
	}
	if n.Kind != yaml.MappingNode {
		l.add(at("", n.Line, "expected a mapping of fields"))
		return
	}
	value, problems := toValue(n, "")
	for _, p := range problems {
		l.add(at(p.path, p.line, p.msg))
	}
	if len(problems) > 0 {
		l.invalid.put(f.Kind, id)
		l.invalidAdded = append(l.invalidAdded, [2]string{f.Kind, id})
		return
	}
	res := &huma.ValidateResult{}
	schema := l.reg.Schema(f.Type, true, f.Type.Name())
	huma.Validate(l.reg, schema, huma.NewPathBuffer(make([]byte, 0, 64), 0), huma.ModeWriteToServer, value, res)
	for _, e := range res.Errors {
		var d *huma.ErrorDetail
		if errors.As(e, &d) {
			l.add(at(d.Location, lineAt(n, d.Location), d.Message))
		} else {
			l.add(at("", n.Line, e.Error()))
		}
	}
	if len(res.Errors) > 0 {
		l.invalid.put(f.Kind, id)
		l.invalidAdded = append(l.invalidAdded, [2]string{f.Kind, id})
		return
	}
	ptr := reflect.New(f.Type)
	if err := n.Decode(ptr.Interface()); err != nil {
		l.add(at("", n.Line, "cannot decode: "+yamlErrorText(err)))
		return
	}
	l.lines.put(f.Kind, at0)
	if info, ok := ptr.Interface().(*ReleaseInfo); ok {
		l.rel.Info = *info
		return
	}
	placeRecord(l.rel, ptr.Interface())
}

// recordID reads the id field of a record node, if it has one.
func recordID(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

type problem struct {
	path, msg string
	line      int
}

// toValue converts a YAML node into the generic JSON-like value that schema
// validation expects. It keeps timestamps as the strings they were written as
// (the dataset's dates are strings, never times) and reports duplicate keys,
// which YAML parsers otherwise resolve silently.
func toValue(n *yaml.Node, path string) (any, []problem) {
	switch n.Kind {
	case yaml.AliasNode:
		return toValue(n.Alias, path)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		var probs []problem
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				probs = append(probs, problem{path, "field names must be plain strings", k.Line})
				continue
			}
			child := joinPath(path, k.Value)
			if _, dup := m[k.Value]; dup {
				probs = append(probs, problem{child, "field appears more than once", k.Line})
				continue
			}
			cv, cp := toValue(v, child)
			m[k.Value] = cv
			probs = append(probs, cp...)
		}
		return m, probs
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		var probs []problem
		for i, c := range n.Content {
			cv, cp := toValue(c, path+"["+strconv.Itoa(i)+"]")
			s[i] = cv
			probs = append(probs, cp...)
		}
		return s, probs
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int":
			if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
				return i, nil
			}
			var f float64
			if err := n.Decode(&f); err == nil {
				return f, nil
			}
			return nil, []problem{{path, fmt.Sprintf("%q is not a number that fits in 64 bits", n.Value), n.Line}}
		case "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, []problem{{path, fmt.Sprintf("%q is not a number", n.Value), n.Line}}
			}
			return f, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return nil, []problem{{path, fmt.Sprintf("%q is not true or false", n.Value), n.Line}}
			}
			return b, nil
		case "!!null":
			return nil, nil
		default: // !!str, !!timestamp and anything else: the text as written
			return n.Value, nil
		}
	}
	return nil, []problem{{path, "unsupported YAML node", n.Line}}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// lineAt finds the line of the field at path (as written by schema
// validation, e.g. "sources[0].source") inside a record node. It falls back to
// the nearest enclosing node that exists.
func lineAt(n *yaml.Node, path string) int {
	line := n.Line
	cur := n
	for _, seg := range splitPath(path) {
		next := childNode(cur, seg)
		if next == nil {
			break
		}
		cur = next
		line = cur.Line
	}
	return line
}

// splitPath splits "a[0].b" into ["a", "0", "b"].
func splitPath(path string) []string {
	path = strings.NewReplacer("[", ".", "]", "").Replace(path)
	var out []string
	for _, s := range strings.Split(path, ".") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func childNode(n *yaml.Node, seg string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// lineIndex remembers where each decoded record is, in the order the
// records were appended to the release, so that checks on decoded records
// can still point at a line. A record read from its own span of a file is
// remembered by that span alone and parsed again only when a line is asked
// for, which is rare (a record with a problem); the nodes of a release of a
// hundred thousand events would take gigabytes.
type lineIndex struct {
	fsys fs.FS
	recs map[string][]recordAt
	// file caches the last file read back for a line.
	file struct {
		name string
		data []byte
	}
}

// recordAt is where a record is: its node, or its span of a file.
type recordAt struct {
	node *yaml.Node
	file string
	span span
}

func (x *lineIndex) put(kind string, at recordAt) {
	if x.recs == nil {
		x.recs = map[string][]recordAt{}
	}
	x.recs[kind] = append(x.recs[kind], at)
}

// line returns the line of a field of the i-th record of a kind, or 0.
func (x *lineIndex) line(kind string, i int, field string) int {
	if i < 0 || i >= len(x.recs[kind]) {
		return 0
	}
	at := x.recs[kind][i]
	if at.node != nil {
		return lineAt(at.node, field)
	}
	if x.file.name != at.file {
		data, err := fs.ReadFile(x.fsys, at.file)
		if err != nil {
			return at.span.line
		}
		x.file.name, x.file.data = at.file, data
	}
	n, ok := parseSpan(x.file.data, at.span)
	if !ok {
		return at.span.line
	}
	return lineAt(n, field)
}

// mark is how far the loader got, to go back to when a file read record
// by record has to be read again as a whole.
type mark struct {
	errs, invalid                              int
	sources, actors, events, programs, budgets int
	lines                                      map[string]int
}

func (l *loader) mark() mark {
	m := mark{
		errs: len(l.errs), invalid: len(l.invalidAdded),
		sources: len(l.rel.Sources), actors: len(l.rel.Actors), events: len(l.rel.Events),
		programs: len(l.rel.Programs), budgets: len(l.rel.Budgets), lines: map[string]int{},
	}
	for k, v := range l.lines.recs {
		m.lines[k] = len(v)
	}
	return m
}

func (l *loader) reset(m mark) {
	l.errs = l.errs[:m.errs]
	for _, ki := range l.invalidAdded[m.invalid:] {
		delete(l.invalid[ki[0]], ki[1])
	}
	l.invalidAdded = l.invalidAdded[:m.invalid]
	l.rel.Sources, l.rel.Actors, l.rel.Events = l.rel.Sources[:m.sources], l.rel.Actors[:m.actors], l.rel.Events[:m.events]
	l.rel.Programs, l.rel.Budgets = l.rel.Programs[:m.programs], l.rel.Budgets[:m.budgets]
	for k, v := range l.lines.recs {
		l.lines.recs[k] = v[:m.lines[k]]
	}
}

// idSet is a set of ids per record kind.
type idSet map[string]map[string]bool

func (s *idSet) put(kind, id string) {
	if *s == nil {
		*s = idSet{}
	}
	if (*s)[kind] == nil {
		(*s)[kind] = map[string]bool{}
	}
	(*s)[kind][id] = true
}

func yamlErrorText(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// yamlErrorLine extracts the line number yaml.v3 puts in its messages.
func yamlErrorLine(err error) int {
	msg := err.Error()
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0
	}
	rest := msg[i+len("line "):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(rest[:j])
	return n
}

// ReadFile returns the raw bytes of one file of the embedded working copy.
func ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(working, name)
}

// Count is the number of records of one kind in a release.
type Count struct {
	Kind string `json:"kind" doc:"Record kind." enum:"events,actors,budgets,programs,sources"`
	N    int    `json:"count" doc:"Number of records, tombstones included."`
}

// Counts returns the number of records of each kind, in the order of Kinds.
func Counts(r *Release) []Count {
	out := make([]Count, len(Kinds))
	for i, k := range Kinds {
		out[i] = Count{k.Plural(), k.Count(r)}
	}
	return out
}
