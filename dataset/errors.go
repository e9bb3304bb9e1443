package dataset

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem found in a dataset file, located as precisely as the
// data allows: the file, the line, the record and the field.
type Error struct {
	File  string // e.g. "events.yaml"
	Line  int    // 1-based; 0 when unknown
	Kind  string // record kind, e.g. "event"; empty for file-level problems
	ID    string // record id; empty when the record has none
	Index int    // 0-based position of the record in its file, used when ID is empty
	Field string // path of the field inside the record, e.g. "sources[0].source"
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	switch {
	case e.Kind != "" && e.ID != "":
		fmt.Fprintf(&b, "%s %q: ", e.Kind, e.ID)
	case e.Kind != "":
		fmt.Fprintf(&b, "%s #%d: ", e.Kind, e.Index+1)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a release, reported together so that an
// editor can fix them all in one pass.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return fmt.Sprintf("%d problem(s) in the dataset:\n%s", len(es), strings.Join(lines, "\n"))
}

// sort orders errors by file, then line, then message, so that output is
// stable whatever order the checks ran in.
func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Error() < b.Error()
	})
}
