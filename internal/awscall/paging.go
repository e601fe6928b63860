package awscall

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Page reads one page of a list operation: given the token of the page to
// read (nil for the first), it returns the page's items and the next token,
// nil or empty after the last page.
type Page[T any] func(ctx context.Context, token *string) ([]T, *string, error)

// ErrRepeatedToken is returned when a list operation hands back a token it
// already gave, which would otherwise loop forever.
var ErrRepeatedToken = errors.New("list returned a pagination token it had already returned")

// maxRestarts bounds how often a listing starts again after its token was
// refused mid-way.
const maxRestarts = 3

// Items returns an iterator over every item of a paginated list. It follows
// next tokens through empty pages (AWS may return an empty page that still
// carries a token) and stops at the first error, which it yields once with
// the zero value. Ranging twice starts again from the first page; breaking
// out of the loop makes no further call.
//
// When key is not nil, items whose key was already yielded are skipped, and
// when a page after the first fails because its token was refused (expired
// or invalid), the listing starts again from the first page, up to three
// times, so that nothing is lost and nothing is repeated.
func Items[T any](ctx context.Context, page Page[T], key func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var seen map[string]struct{}
		if key != nil {
			seen = map[string]struct{}{}
		}
		restarts := 0

	listing:
		for {
			var token *string
			tokens := map[string]struct{}{}
			for first := true; first || (token != nil && *token != ""); first = false {
				items, next, err := page(ctx, token)
				if err != nil {
					if key != nil && token != nil && IsTokenRefused(err) && restarts < maxRestarts {
						restarts++
						continue listing
					}
					var zero T
					yield(zero, err)
					return
				}
				for _, it := range items {
					if seen != nil {
						k := key(it)
						if _, dup := seen[k]; dup {
							continue
						}
						seen[k] = struct{}{}
					}
					if !yield(it, nil) {
						return
					}
				}
				if next != nil && *next != "" {
					if _, dup := tokens[*next]; dup {
						var zero T
						yield(zero, fmt.Errorf("%w", ErrRepeatedToken))
						return
					}
					tokens[*next] = struct{}{}
				}
				token = next
			}
			return
		}
	}
}

// IsTokenRefused reports whether err is how AWS (or an emulator) refuses a
// pagination token it no longer accepts. It is only consulted for pages after
// the first, where the request differs from the first page's in nothing but
// the token, so a validation error there is the token's.
func IsTokenRefused(err error) bool {
	switch ErrorCode(err) {
	case "ValidationException", "InvalidToken", "InvalidNextTokenException",
		"InvalidInputException", "ExpiredNextTokenException":
		return true
	}
	return false
}
