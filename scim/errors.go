package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors matched by [*Error] through errors.Is. They are never returned bare,
// except ErrNotFound and ErrAmbiguous from the look-ups by user name, external id and
// display name, which wrap them.
var (
	// ErrNotFound matches a 404: the user, group or tenant does not exist.
	ErrNotFound = errors.New("scim: not found")

	// ErrConflict matches a 409: the user name, email, external id or display name is
	// already taken.
	ErrConflict = errors.New("scim: conflict")

	// ErrUnauthorized matches a 401: the bearer token is wrong, expired or revoked, or
	// the tenant id is wrong. AWS SCIM tokens last one year and are rotated in the
	// console only.
	ErrUnauthorized = errors.New("scim: unauthorized")

	// ErrForbidden matches a 403.
	ErrForbidden = errors.New("scim: forbidden")

	// ErrThrottled matches a 429 that was still returned after the retries ran out.
	ErrThrottled = errors.New("scim: throttled")

	// ErrAmbiguous is returned, wrapped, when a look-up that must find one resource
	// finds more than one.
	ErrAmbiguous = errors.New("scim: more than one match")

	// ErrPaging is returned, wrapped, when a server repeats a page or a cursor, so that
	// iteration would never end.
	ErrPaging = errors.New("scim: server repeated a page")
)

// Error is a SCIM error response: a status outside 2xx, with what could be decoded
// from the body. AWS bodies carry schema or schemas, status as a string, detail and
// exceptionRequestId, and no scimType; RFC 7644 bodies carry scimType. Bodies that are
// not JSON leave Detail holding a short, cleaned excerpt of the text.
//
// Decide from StatusCode or with errors.Is, never from Detail, which is text for people.
type Error struct {
	// Method and Path name the request, without its query.
	Method string
	Path   string

	// StatusCode is the HTTP status of the response.
	StatusCode int

	// ScimType is the RFC 7644 error type, such as "invalidFilter"; AWS leaves it empty.
	ScimType string

	// Detail is the server's explanation.
	Detail string

	// RequestID is the x-amzn-RequestId header or, failing that, the body's
	// exceptionRequestId; keep it for support cases.
	RequestID string

	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
}

// Error returns a one-line description. For a 401 it says that the token may have
// expired or been rotated.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scim: %s %s: %d %s", e.Method, e.Path, e.StatusCode,
		strings.ToLower(http.StatusText(e.StatusCode)))
	if e.ScimType != "" {
		fmt.Fprintf(&b, " (%s)", e.ScimType)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.StatusCode == http.StatusUnauthorized {
		b.WriteString(": the bearer token may have expired or been rotated" +
			" (AWS SCIM tokens last one year), or the tenant id is wrong")
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's status: ErrNotFound for 404,
// ErrConflict for 409, ErrUnauthorized for 401, ErrForbidden for 403 and ErrThrottled
// for 429.
func (e *Error) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusNotFound:
		return target == ErrNotFound
	case http.StatusConflict:
		return target == ErrConflict
	case http.StatusUnauthorized:
		return target == ErrUnauthorized
	case http.StatusForbidden:
		return target == ErrForbidden
	case http.StatusTooManyRequests:
		return target == ErrThrottled
	}
	return false
}

// errorBody is the union of the RFC 7644 and AWS error shapes.
type errorBody struct {
	Schemas            []string        `json:"schemas"`
	Schema             []string        `json:"schema"`
	Status             json.RawMessage `json:"status"`
	ScimType           string          `json:"scimType"`
	Detail             string          `json:"detail"`
	ExceptionRequestID string          `json:"exceptionRequestId"`
	Message            string          `json:"message"`
}

// maxDetail bounds the Detail kept from a body, in bytes.
const maxDetail = 512

// decodeError builds an *Error from a response's status, header and (size-capped) body.
// secret, when not empty, is removed from every text taken from the response.
func decodeError(method, path string, status int, h http.Header, body []byte,
	secret string) *Error {
	e := &Error{Method: method, Path: path, StatusCode: status}

	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.ScimType = eb.ScimType
		e.Detail = eb.Detail
		if e.Detail == "" {
			e.Detail = eb.Message
		}
		e.RequestID = eb.ExceptionRequestID
	} else if t := bytes.TrimSpace(body); len(t) > 0 {
		e.Detail = string(t)
	}
	if id := h.Get("X-Amzn-Requestid"); id != "" {
		e.RequestID = id
	}
	e.RetryAfter = retryAfter(h, time.Now())

	e.ScimType = clean(e.ScimType, secret, 64)
	e.Detail = clean(e.Detail, secret, maxDetail)
	e.RequestID = clean(e.RequestID, secret, 128)
	return e
}

// clean makes a server-supplied text safe to show: valid UTF-8, no control characters,
// no secret, at most limit bytes.
func clean(s, secret string, limit int) string {
	if secret != "" {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// retryAfter reads a Retry-After header given in seconds or as an HTTP date.
// It returns 0 when the header is absent or unreadable.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
