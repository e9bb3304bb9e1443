package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// row is one line of the table: a measured value, what it is compared
// with, their ratio, and the target it is held to.
type row struct {
	part, kase, metric string
	value, ref, ratio  string
	target, met, note  string
}

type table struct {
	header string
	rows   []row
}

func (t *table) add(r row) { t.rows = append(t.rows, r) }

var columns = []string{"part", "case", "metric", "jcdd", "compared with", "ratio", "target", "met", "note"}

func (r row) cells() []string {
	return []string{r.part, r.kase, r.metric, r.value, r.ref, r.ratio, r.target, r.met, r.note}
}

// print writes the table aligned in columns.
func (t *table) print(w io.Writer) error {
	fmt.Fprintln(w, t.header)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(columns, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t"))
	}
	return tw.Flush()
}

// markdown writes the table for the README.
func (t *table) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n| %s |\n|%s\n", t.header, strings.Join(columns, " | "), strings.Repeat("---|", len(columns)))
	for _, r := range t.rows {
		cells := r.cells()
		for i := range cells {
			cells[i] = strings.ReplaceAll(cells[i], "|", "\\|")
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
	}
	return b.String()
}
