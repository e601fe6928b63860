package scim

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxEmptyPages bounds a run of empty pages that still carry a nextCursor.
const maxEmptyPages = 10

// list iterates over every resource under path matching f. It pages with a cursor while
// the server returns nextCursor, and with startIndex while an RFC server reports more
// totalResults than it has returned. Resources already yielded (by id) are skipped; a
// non-empty page with nothing new, a repeated cursor, a long run of empty pages or a
// resource without an id (which SCIM requires, and without which a repeated page cannot
// be told from a new one) ends the iteration with an error wrapping ErrPaging.
func list[T any](ctx context.Context, c *Client, path string, f Filter,
	id func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if f.err != nil {
			yield(zero, f.err)
			return
		}
		p := pager{filter: f.expr, count: c.pageSize}
		seen := make(map[string]struct{})
		for {
			query := p.query()
			resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query})
			if err != nil {
				yield(zero, err)
				return
			}
			var page listResponse[T]
			if err := decode(http.MethodGet, "/"+path, resp.body, &page); err != nil {
				yield(zero, err)
				return
			}

			fresh := 0
			for _, item := range page.Resources {
				k := id(item)
				if k == "" {
					yield(zero, fmt.Errorf("scim: GET /%s: %w: a resource without an id",
						path, ErrPaging))
					return
				}
				if _, dup := seen[k]; dup {
					continue
				}
				seen[k] = struct{}{}
				fresh++
				if !yield(item, nil) {
					return
				}
			}

			more, err := p.advance(page.NextCursor, page.TotalResults, page.StartIndex,
				len(page.Resources), fresh)
			if err != nil {
				yield(zero, fmt.Errorf("scim: GET /%s: %w", path, err))
				return
			}
			if !more {
				return
			}
		}
	}
}

// pager holds the paging state of one iteration.
type pager struct {
	filter     string
	count      int
	cursor     string          // the cursor to send; "" sends a bare cursor
	startIndex int             // >0 once paging by startIndex
	cursors    map[string]bool // cursors already followed
	emptyRun   int
}

// query returns the query of the next request. The first request carries a bare
// cursor, as AWS requires to page at all; RFC servers ignore it. Spaces are sent as
// %20 and a plus as %2B, which no server can read another way.
func (p *pager) query() string {
	q := url.Values{}
	if p.filter != "" {
		q.Set("filter", p.filter)
	}
	q.Set("count", strconv.Itoa(p.count))
	switch {
	case p.startIndex > 0:
		q.Set("startIndex", strconv.Itoa(p.startIndex))
	case p.cursor != "":
		q.Set("cursor", p.cursor)
	default:
		return "cursor&" + encodeQuery(q)
	}
	return encodeQuery(q)
}

func encodeQuery(q url.Values) string { return strings.ReplaceAll(q.Encode(), "+", "%20") }

// advance takes in a page's paging fields and reports whether another page follows.
func (p *pager) advance(next string, total, start *int, n, fresh int) (bool, error) {
	if next != "" {
		if p.cursors == nil {
			p.cursors = make(map[string]bool)
		}
		if p.cursors[next] {
			return false, fmt.Errorf("%w: cursor returned twice", ErrPaging)
		}
		p.cursors[next] = true
		if n > 0 && fresh == 0 {
			return false, fmt.Errorf("%w: page holds only resources already seen", ErrPaging)
		}
		if n == 0 {
			p.emptyRun++
			if p.emptyRun > maxEmptyPages {
				return false, fmt.Errorf("%w: %d empty pages in a row", ErrPaging, p.emptyRun)
			}
		} else {
			p.emptyRun = 0
		}
		p.cursor, p.startIndex = next, 0
		return true, nil
	}

	// No cursor: an RFC page, or the last cursor page.
	if total == nil || n == 0 {
		return false, nil
	}
	first := p.startIndex
	if first == 0 {
		first = 1
		if start != nil && *start > 0 {
			first = *start
		}
	} else if start != nil && *start != first {
		return false, fmt.Errorf("%w: asked for startIndex %d, got %d", ErrPaging, first,
			*start)
	}
	if fresh == 0 {
		return false, fmt.Errorf("%w: page holds only resources already seen", ErrPaging)
	}
	following := first + n
	if following > *total {
		return false, nil
	}
	p.startIndex = following
	return true, nil
}
