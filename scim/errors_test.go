package scim

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		wantType  string
		wantDet   string
		wantReqID string
		wantRetry time.Duration
	}{
		{
			name:   "aws conflict with schema and schemas",
			status: 409,
			body: `{"schema":["` + SchemaError + `"],"schemas":["` + SchemaError +
				`"],"detail":"Refused to create a new, duplicate resource.","status":"409",` +
				`"exceptionRequestId":"81abca44-1","timeStamp":"2022-03-18 10:57:08.014"}`,
			wantDet:   "Refused to create a new, duplicate resource.",
			wantReqID: "81abca44-1",
		},
		{
			name:   "old aws body with schema only",
			status: 404,
			body: `{"schema":["` + SchemaError + `"],` +
				`"detail":"TENANT does not exist.","status":"404"}`,
			wantDet:   "TENANT does not exist.",
			wantReqID: "",
		},
		{
			name:   "rfc body with scimType",
			status: 400,
			body: `{"schemas":["` + SchemaError + `"],"scimType":"invalidFilter",` +
				`"detail":"bad","status":"400"}`,
			wantType: "invalidFilter",
			wantDet:  "bad",
		},
		{
			name:    "status as a number",
			status:  400,
			body:    `{"schemas":["` + SchemaError + `"],"detail":"numeric","status":400}`,
			wantDet: "numeric",
		},
		{
			name:    "html body",
			status:  502,
			body:    "<html>\n<body>Bad Gateway</body></html>",
			wantDet: "<html> <body>Bad Gateway</body></html>",
		},
		{
			name:   "empty body",
			status: 500,
		},
		{
			name:      "header request id wins",
			status:    429,
			header:    http.Header{"X-Amzn-Requestid": {"hdr-1"}, "Retry-After": {"3"}},
			body:      `{"detail":"Rate exceeded","exceptionRequestId":"body-1","status":"429"}`,
			wantDet:   "Rate exceeded",
			wantReqID: "hdr-1",
			wantRetry: 3 * time.Second,
		},
		{
			name:    "token echoed by the server is redacted",
			status:  401,
			body:    `{"detail":"bad token ` + testToken + `","status":"401"}`,
			wantDet: "bad token [redacted]",
		},
		{
			name:    "long detail is cut",
			status:  400,
			body:    `{"detail":"` + strings.Repeat("é", 400) + `"}`,
			wantDet: strings.Repeat("é", 256) + "…",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			e := decodeError("POST", "/Users", tt.status, h, []byte(tt.body), testToken)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, tt.wantType, e.ScimType)
			assert.Equal(t, tt.wantDet, e.Detail)
			assert.Equal(t, tt.wantReqID, e.RequestID)
			assert.Equal(t, tt.wantRetry, e.RetryAfter)
			assert.NotContains(t, e.Error(), testToken)
		})
	}
}

func TestErrorIs(t *testing.T) {
	sentinels := []error{ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden, ErrThrottled}
	tests := []struct {
		status int
		want   error
	}{
		{404, ErrNotFound},
		{409, ErrConflict},
		{401, ErrUnauthorized},
		{403, ErrForbidden},
		{429, ErrThrottled},
		{400, nil},
		{500, nil},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			var err error = &Error{Method: "GET", Path: "/Users", StatusCode: tt.status}
			wrapped := errors.Join(errors.New("context"), err)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, errors.Is(wrapped, s), "errors.Is(%v)", s)
			}
			var e *Error
			assert.True(t, errors.As(wrapped, &e))
		})
	}
}

func TestErrorMessage(t *testing.T) {
	e := &Error{Method: "GET", Path: "/Users", StatusCode: 401, RequestID: "r-1"}
	msg := e.Error()
	assert.Contains(t, msg, "401")
	assert.Contains(t, msg, "expired or been rotated")
	assert.Contains(t, msg, "r-1")

	e = &Error{Method: "POST", Path: "/Users", StatusCode: 409, Detail: "dup",
		ScimType: "uniqueness"}
	assert.Equal(t, "scim: POST /Users: 409 conflict (uniqueness): dup", e.Error())
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"99999999999", 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			assert.Equal(t, tt.want, retryAfter(h, now))
		})
	}
}
