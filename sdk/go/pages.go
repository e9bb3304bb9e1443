package jcdd

// This file is written by hand; jcdd.gen.go is generated (make sdk).

import (
	"context"
	"fmt"
	"iter"
)

// FetchPage gets one page of a list: the page after cursor, or the first
// page when cursor is nil. It returns the page's items and its next_cursor
// (nil on the last page). A FetchPage usually sets the cursor in the
// operation's parameters, calls the generated method and Check:
//
//	func(ctx context.Context, cursor *string) ([]jcdd.Event, *string, error) {
//		params.Cursor = cursor
//		r, err := c.ListEventsWithResponse(ctx, params)
//		if err != nil {
//			return nil, nil, err
//		}
//		if err := jcdd.Check(r); err != nil {
//			return nil, nil, err
//		}
//		return r.JSON200.Items, r.JSON200.NextCursor, nil
//	}
type FetchPage[T any] func(ctx context.Context, cursor *string) (items []T, next *string, err error)

// All yields every item of a list, following next_cursor from page to page
// until the last. It fetches a page only when the loop needs its first
// item, so breaking out of the loop stops the requests. An error (from
// fetch, from ctx, or a cursor that repeats, which would never end) is
// yielded once with the zero item, and ends the sequence.
//
//	for e, err := range jcdd.All(ctx, fetch) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(e.ID)
//	}
func All[T any](ctx context.Context, fetch FetchPage[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var cursor *string
		seen := map[string]bool{}
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, fmt.Errorf("page %d: %w", page, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == nil {
				return
			}
			if seen[*next] {
				yield(zero, fmt.Errorf("page %d: next_cursor %q was already followed", page, *next))
				return
			}
			seen[*next] = true
			cursor = next
		}
	}
}
