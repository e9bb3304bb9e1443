package dataset

import (
	"bytes"

	"gopkg.in/yaml.v3"
)

// span is where one record of a list file is: its bytes, from its "- " to
// the next record's, and the line it starts on.
type span struct {
	start, end int
	line       int
}

// splitRecords finds the records of a list file written in the dataset's
// layout: a block sequence at the left margin, whose items each start with
// "-" in the first column, with nothing else in that column but comments and
// blank lines. It returns false for any other layout (flow style, a document
// marker, a byte order mark, tabs, text at the margin), which is then read
// as a whole. It does not parse: a span that is not exactly one item is
// found when it is parsed (parseSpan).
func splitRecords(data []byte) ([]span, bool) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, false
	}
	var spans []span
	line := 0
	for off := 0; off < len(data); {
		line++
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		text := bytes.TrimRight(data[off:next], "\r\n")
		switch {
		case len(text) == 0 || text[0] == '#':
		case text[0] == ' ':
			if len(spans) == 0 && len(bytes.TrimLeft(text, " ")) > 0 && bytes.TrimLeft(text, " ")[0] != '#' {
				return nil, false // content before the first item
			}
		case text[0] == '-' && (len(text) == 1 || text[1] == ' '):
			if len(spans) > 0 {
				spans[len(spans)-1].end = off
			}
			spans = append(spans, span{start: off, end: len(data), line: line})
		default:
			return nil, false
		}
		off = next
	}
	return spans, len(spans) > 0
}

// parseSpan parses one record's span of a file, with the lines of its
// nodes counted from the start of the file. It returns false unless the span
// is exactly one item of a list (an alias to an anchor outside it, say, is
// not).
func parseSpan(data []byte, sp span) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data[sp.start:sp.end], &doc); err != nil {
		return nil, false
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode || len(doc.Content[0].Content) != 1 {
		return nil, false
	}
	n := doc.Content[0].Content[0]
	shiftLines(n, sp.line-1)
	return n, true
}

// shiftLines adds by to the line of n and of every node under it. Each
// node is reached once: an alias points at its anchor's node (Alias), which
// is not among its Content.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}
