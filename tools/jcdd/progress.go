package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// progress shows the loader's phases: bars on a terminal, and plain log
// lines (at each tenth and at the end of a phase) when the output is a file
// or a pipe, where bars would only be noise.
type progress interface {
	Phase(name string, total int)
	Add(n int)
	finish()
}

func newProgress(w io.Writer) progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barProgress{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))}
	}
	return &lineProgress{w: w}
}

type barProgress struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

func (b *barProgress) Phase(name string, total int) {
	if b.bar != nil {
		b.bar.SetTotal(-1, true)
	}
	b.bar = b.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name(fmt.Sprintf("%-7s", name)), decor.CountersNoUnit(" %d/%d")),
		mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.EwmaSpeed(decor.SizeB1000(0), "%.0f items/s", 30)),
	)
}

func (b *barProgress) Add(n int) {
	if b.bar != nil {
		b.bar.EwmaIncrBy(n, time.Second)
	}
}

func (b *barProgress) finish() {
	if b.bar != nil {
		b.bar.SetTotal(-1, true)
	}
	b.p.Wait()
}

type lineProgress struct {
	w            io.Writer
	mu           sync.Mutex
	name         string
	total, done  int
	nextReport   int
	phaseStarted time.Time
}

func (l *lineProgress) Phase(name string, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.name, l.total, l.done, l.nextReport, l.phaseStarted = name, total, 0, max(total/10, 1), time.Now()
	fmt.Fprintf(l.w, "%s: %d items\n", name, total)
}

func (l *lineProgress) Add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done += n
	if l.done >= l.nextReport || l.done == l.total {
		fmt.Fprintf(l.w, "%s: %d/%d (%d%%) in %s\n", l.name, l.done, l.total, 100*l.done/max(l.total, 1), time.Since(l.phaseStarted).Round(time.Millisecond))
		for l.nextReport <= l.done {
			l.nextReport += max(l.total/10, 1)
		}
	}
}

func (l *lineProgress) finish() {}
