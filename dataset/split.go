package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"

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
	if bytes.HasPrefix(data, []byte(byteOrderMark)) {
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
		switch lineKind(data[off:next], len(spans) > 0) {
		case lineItem:
			if len(spans) > 0 {
				spans[len(spans)-1].end = off
			}
			spans = append(spans, span{start: off, end: len(data), line: line})
		case lineOther:
			return nil, false
		}
		off = next
	}
	return spans, len(spans) > 0
}

const byteOrderMark = "\xef\xbb\xbf"

// The kinds of line of a list file, for reading it record by record.
const (
	lineInside = iota // blank, a comment, or indented inside a record
	lineItem          // "-" at the margin: a record starts
	lineOther         // anything else: the file is read whole
)

// lineKind classifies a line (with or without its newline); inRecord says
// whether a record has started.
func lineKind(line []byte, inRecord bool) int {
	text := bytes.TrimRight(line, "\r\n")
	switch {
	case len(text) == 0 || text[0] == '#':
		return lineInside
	case text[0] == ' ':
		rest := bytes.TrimLeft(text, " ")
		if !inRecord && len(rest) > 0 && rest[0] != '#' {
			return lineOther // content before the first item
		}
		return lineInside
	case text[0] == '-' && (len(text) == 1 || text[1] == ' '):
		return lineItem
	}
	return lineOther // includes a byte order mark, a tab, "---", flow style
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

// stream reads a list file record by record as it is read, holding one
// record's text at a time (a release's events file of a hundred thousand
// events is 140 MB), and returns the SHA-256 of its bytes. It returns false,
// with the loader as it was, when the file is not in the layout
// splitRecords reads or a record does not stand alone: the caller then
// reads the file whole.
func (l *loader) stream(fsys fs.FS, f File) (sum string, ok bool, err error) {
	file, err := fsys.Open(f.Name)
	if err != nil {
		return "", false, err
	}
	defer func() { _ = file.Close() }()
	h := sha256.New()
	r := bufio.NewReaderSize(io.TeeReader(file, h), 64<<10)
	mark := l.mark()
	var (
		chunk, text []byte
		cur         span // the record being read
		off         int  // bytes read before the current line
		records     int
	)
	// flush decodes the record read so far, which ends at off.
	flush := func() bool {
		if records == 0 {
			return true
		}
		cur.end = off
		n, ok := parseSpan(chunk, span{start: 0, end: len(chunk), line: cur.line})
		if !ok {
			return false
		}
		l.recordAt(f, n, records-1, recordAt{file: f.Name, span: cur})
		return true
	}
	for line := 1; ; line++ {
		text, err = readLine(r, text[:0])
		if err != nil && err != io.EOF {
			return "", false, err
		}
		if len(text) == 0 {
			break // end of file
		}
		switch lineKind(text, records > 0) {
		case lineItem:
			if !flush() {
				l.reset(mark)
				return "", false, nil
			}
			records++
			cur = span{start: off, line: line}
			chunk = chunk[:0]
		case lineOther:
			l.reset(mark)
			return "", false, nil
		}
		if records > 0 {
			chunk = append(chunk, text...)
		}
		off += len(text)
		if err == io.EOF {
			break
		}
	}
	if records == 0 || !flush() {
		l.reset(mark)
		return "", false, nil
	}
	return hex.EncodeToString(h.Sum(nil)), true, nil
}

// readLine appends the next line of r, with its newline, to buf.
func readLine(r *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		part, err := r.ReadSlice('\n')
		buf = append(buf, part...)
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}
