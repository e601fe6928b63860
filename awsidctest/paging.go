package awsidctest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// cursor is where the next page starts: after the object with seq after, in
// segment seg (only ListAccountAssignmentsForPrincipal has segments).
type cursor struct {
	Seg   uint64 `json:"s,omitempty"`
	After uint64 `json:"a"`
}

// tokenBody is what a NextToken carries, base64-encoded: the cursor, a hash
// of the operation and its other parameters, and a checksum over both, so
// that a token reused with other parameters, or made up, is refused.
type tokenBody struct {
	Params string `json:"p"`
	cursor
	Check string `json:"c"`
}

func paramsHash(op string, params []string) string {
	h := sha256.Sum256([]byte(op + "\x00" + strings.Join(params, "\x00")))
	return hex.EncodeToString(h[:8])
}

func tokenCheck(params string, c cursor) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], c.Seg)
	binary.BigEndian.PutUint64(b[8:], c.After)
	h := sha256.Sum256(append([]byte("awsidctest-token\x00"+params+"\x00"), b[:]...))
	return hex.EncodeToString(h[:8])
}

// encodeToken returns the NextToken for c, or nil when there is no more.
func encodeToken(op string, params []string, c cursor, more bool) *string {
	if !more {
		return nil
	}
	p := paramsHash(op, params)
	b, _ := json.Marshal(tokenBody{Params: p, cursor: c, Check: tokenCheck(p, c)})
	t := base64.RawURLEncoding.EncodeToString(b)
	return &t
}

// decodeToken reads a NextToken given back with op and params. A nil or
// empty token starts at the beginning.
func decodeToken(op string, params []string, tok *string) (cursor, error) {
	if tok == nil || *tok == "" {
		return cursor{}, nil
	}

	bad := invalid("invalid NextToken")
	raw, err := base64.RawURLEncoding.DecodeString(*tok)
	if err != nil {
		return cursor{}, bad
	}
	var body tokenBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return cursor{}, bad
	}
	if body.Check != tokenCheck(body.Params, body.cursor) {
		return cursor{}, bad
	}
	if body.Params != paramsHash(op, params) {
		return cursor{}, invalid("NextToken was issued for a request with other parameters")
	}
	return body.cursor, nil
}
