package scim

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rfcPages answers like an RFC server: it ignores cursor and pages with startIndex.
func rfcPages(all []User, pageSize int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		start, err := strconv.Atoi(r.URL.Query().Get("startIndex"))
		if err != nil || start < 1 {
			start = 1
		}
		count, err := strconv.Atoi(r.URL.Query().Get("count"))
		if err != nil {
			count = pageSize
		}
		count = min(count, pageSize)
		lo := min(start-1, len(all))
		hi := min(lo+count, len(all))
		writeJSON(w, 200, map[string]any{
			"schemas": []string{SchemaListResponse}, "totalResults": len(all),
			"startIndex": start, "itemsPerPage": hi - lo, "Resources": all[lo:hi],
		})
	}
}

// cursorPages answers like AWS: pages of at most pageSize, short pages included, each
// but the last with a nextCursor.
func cursorPages(all []User, pageSize int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		from := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			from, _ = strconv.Atoi(c)
		}
		n := pageSize
		if from == 0 && n > 1 {
			n-- // a short page with a cursor
		}
		hi := min(from+n, len(all))
		body := map[string]any{
			"schemas": []string{SchemaListResponse}, "itemsPerPage": hi - from,
			"Resources": all[from:hi],
		}
		if hi < len(all) {
			body["nextCursor"] = strconv.Itoa(hi)
		}
		writeJSON(w, 200, body)
	}
}

func TestUsersPaging(t *testing.T) {
	tests := []struct {
		name      string
		users     int
		handler   func([]User, int) func(http.ResponseWriter, *http.Request, int)
		pageSize  int
		wantCalls int
	}{
		{"cursor, several pages", 23, cursorPages, 10, 3},
		{"cursor, empty", 0, cursorPages, 10, 1},
		{"cursor, one page", 5, cursorPages, 10, 1},
		{"rfc startIndex, several pages", 45, rfcPages, 20, 3},
		{"rfc startIndex, exact pages", 40, rfcPages, 20, 2},
		{"rfc, empty", 0, rfcPages, 20, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := users(tt.users)
			rec := newRecorder(t, tt.handler(all, tt.pageSize))
			c, _ := newTestClient(t, rec)

			got, err := collect(t, c.Users(context.Background()))
			require.NoError(t, err)
			assert.Equal(t, all, nonNil(got))
			reqs := rec.requests()
			assert.Len(t, reqs, tt.wantCalls)
			assert.Regexp(t, `^cursor&`, reqs[0].RawQuery, "the first request has a bare cursor")

			// Ranging again starts over.
			again, err := collect(t, c.Users(context.Background()))
			require.NoError(t, err)
			assert.Equal(t, got, again)
			assert.Len(t, rec.requests(), 2*tt.wantCalls)
		})
	}
}

func TestIteratorEarlyBreak(t *testing.T) {
	rec := newRecorder(t, cursorPages(users(30), 10))
	c, _ := newTestClient(t, rec)
	n := 0
	for u, err := range c.Users(context.Background()) {
		require.NoError(t, err)
		require.NotEmpty(t, u.ID)
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
	assert.Len(t, rec.requests(), 1, "breaking out makes no further request")

	n = 0
	for range c.Users(context.Background()) {
		n++
		if n == 12 {
			break
		}
	}
	assert.Len(t, rec.requests(), 3, "the page holding item 12 is the second")
}

func TestIteratorErrorMidway(t *testing.T) {
	all := users(25)
	pages := cursorPages(all, 10)
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 2 {
			scimError(w, 400, "bad cursor")
			return
		}
		pages(w, r, n)
	})
	c, _ := newTestClient(t, rec)
	got, err := collect(t, c.Users(context.Background()))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, all[:9], got, "items before the error are yielded")
	assert.Len(t, rec.requests(), 2)
}

func TestIteratorBadJSON(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"Resources":[{"id":`))
	})
	c, _ := newTestClient(t, rec)
	got, err := collect(t, c.Groups(context.Background()))
	assert.ErrorContains(t, err, "decode response")
	assert.Empty(t, got)
}

func TestPagingNeverLoops(t *testing.T) {
	page := users(3)
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, n int)
		want    int // users yielded before the error
	}{
		{"same cursor forever", func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 200, map[string]any{"Resources": page, "nextCursor": "same"})
		}, 3},
		{"new cursors, same page", func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 200, map[string]any{"Resources": page, "nextCursor": itoa(n)})
		}, 3},
		{"new cursors, empty pages", func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 200, map[string]any{"Resources": []User{}, "nextCursor": itoa(n)})
		}, 0},
		{"startIndex ignored, startIndex echoed", func(w http.ResponseWriter, r *http.Request,
			n int) {
			writeJSON(w, 200, map[string]any{"Resources": page, "totalResults": 10,
				"startIndex": 1})
		}, 3},
		{"startIndex ignored, no startIndex", func(w http.ResponseWriter, r *http.Request,
			n int) {
			writeJSON(w, 200, map[string]any{"Resources": page, "totalResults": 10})
		}, 3},
		{"new cursors, resources without ids", func(w http.ResponseWriter, r *http.Request,
			n int) {
			writeJSON(w, 200, map[string]any{"Resources": []User{{UserName: "x" + itoa(n)}},
				"nextCursor": itoa(n)})
		}, 0},
		{"huge totalResults, resources without ids", func(w http.ResponseWriter,
			r *http.Request, n int) {
			writeJSON(w, 200, map[string]any{"Resources": []User{{UserName: "x"}},
				"totalResults": 1 << 62})
		}, 0},
		{"a resource without an id after others", func(w http.ResponseWriter,
			r *http.Request, n int) {
			writeJSON(w, 200, map[string]any{"Resources": append(page[:2:2], User{})})
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.handler)
			c, _ := newTestClient(t, rec)
			got, err := collect(t, c.Users(context.Background()))
			assert.ErrorIs(t, err, ErrPaging)
			assert.Len(t, got, tt.want)
			assert.LessOrEqual(t, len(rec.requests()), maxEmptyPages+2)
		})
	}
}

func TestAWSOldListingStops(t *testing.T) {
	// The old AWS API ignored startIndex and answered totalResults = page size.
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, map[string]any{"Resources": users(50), "totalResults": 50,
			"itemsPerPage": 50, "startIndex": 1})
	})
	c, _ := newTestClient(t, rec)
	got, err := collect(t, c.Users(context.Background()))
	require.NoError(t, err)
	assert.Len(t, got, 50)
	assert.Len(t, rec.requests(), 1)
}

func TestDuplicatesAcrossPagesSkipped(t *testing.T) {
	all := users(5)
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			writeJSON(w, 200, map[string]any{"Resources": all[:3], "nextCursor": "a"})
		default:
			writeJSON(w, 200, map[string]any{"Resources": all[2:]})
		}
	})
	c, _ := newTestClient(t, rec)
	got, err := collect(t, c.Users(context.Background()))
	require.NoError(t, err)
	assert.Equal(t, all, got)
}

func TestLookupsByFilter(t *testing.T) {
	tests := []struct {
		name       string
		call       func(*Client) (string, error)
		found      int
		wantFilter string
		wantErr    error
	}{
		{"user name, one", func(c *Client) (string, error) {
			u, err := c.UserByUserName(context.Background(), "a+b@x.com")
			return u.ID, err
		}, 1, `userName eq "a+b@x.com"`, nil},
		{"user name, none", func(c *Client) (string, error) {
			u, err := c.UserByUserName(context.Background(), "a@x.com")
			return u.ID, err
		}, 0, `userName eq "a@x.com"`, ErrNotFound},
		{"external id, two", func(c *Client) (string, error) {
			u, err := c.UserByExternalID(context.Background(), "ext 1")
			return u.ID, err
		}, 2, `externalId eq "ext 1"`, ErrAmbiguous},
		{"group display name", func(c *Client) (string, error) {
			g, err := c.GroupByDisplayName(context.Background(), `Ops "core"`)
			return g.ID, err
		}, 1, `displayName eq "Ops \"core\""`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, 200, map[string]any{"Resources": users(tt.found),
					"totalResults": tt.found})
			})
			c, _ := newTestClient(t, rec)
			id, err := tt.call(c)
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			q := reqs[0].RawQuery
			values, perr := parseQuery(q)
			require.NoError(t, perr)
			assert.Equal(t, tt.wantFilter, values.Get("filter"))
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.Empty(t, id)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "u1", id)
		})
	}
}

func TestMembershipIterators(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 2 {
			scimError(w, 404, "member does not exist")
			return
		}
		writeJSON(w, 200, map[string]any{"Resources": users(2)})
	})
	c, _ := newTestClient(t, rec)
	got, err := collect(t, c.GroupMembers(context.Background(), "g-1"))
	require.NoError(t, err)
	assert.Len(t, got, 2)

	groups, err := collect(t, c.UserGroups(context.Background(), "nobody"))
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Empty(t, groups)

	reqs := rec.requests()
	require.Len(t, reqs, 2)
	v0, _ := parseQuery(reqs[0].RawQuery)
	v1, _ := parseQuery(reqs[1].RawQuery)
	assert.Equal(t, `groups.value eq "g-1"`, v0.Get("filter"))
	assert.Equal(t, "/tenant/scim/v2/Users", reqs[0].Path)
	assert.Equal(t, `members.value eq "nobody"`, v1.Get("filter"))
	assert.Equal(t, "/tenant/scim/v2/Groups", reqs[1].Path)

	_, err = collect(t, c.GroupMembers(context.Background(), ""))
	assert.Error(t, err)
	_, err = collect(t, c.UsersWhere(context.Background(), Eq("bad attr", "x")))
	assert.Error(t, err)
	assert.Len(t, rec.requests(), 2, "invalid input sends nothing")
}
