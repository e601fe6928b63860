package awsidctest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync"
)

// idGen derives every identifier of one Org from a seed and a counter, so
// that the same sequence of calls yields the same ids on every run. Request
// ids for errors come from a counter of their own so that failed calls do not
// shift the ids of the objects created after them.
type idGen struct {
	mu   sync.Mutex
	seed string
	n    uint64
	reqN uint64
}

func newIDGen(seed string) *idGen { return &idGen{seed: seed} }

// bytes returns 32 pseudo-random bytes for the next id of kind.
func (g *idGen) bytes(kind string) []byte {
	g.mu.Lock()
	g.n++
	n := g.n
	g.mu.Unlock()
	return g.hash(kind, n)
}

func (g *idGen) hash(kind string, n uint64) []byte {
	h := sha256.New()
	h.Write([]byte(g.seed))
	h.Write([]byte{0})
	h.Write([]byte(kind))
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	h.Write(b[:])
	return h.Sum(nil)
}

// hexID returns n hex digits.
func (g *idGen) hexID(kind string, n int) string {
	return hex.EncodeToString(g.bytes(kind))[:n]
}

// digits returns n decimal digits; the first is never zero.
func (g *idGen) digits(kind string, n int) string {
	b := g.bytes(kind)
	out := make([]byte, n)
	for i := range out {
		out[i] = '0' + b[i%len(b)]%10
	}
	if out[0] == '0' {
		out[0] = '1'
	}
	return string(out)
}

// uuid returns a version-4 shaped UUID.
func (g *idGen) uuid(kind string) string {
	return formatUUID(g.bytes(kind))
}

// requestID returns a UUID for an error or a response, from its own counter.
func (g *idGen) requestID() string {
	g.mu.Lock()
	g.reqN++
	n := g.reqN
	g.mu.Unlock()
	return formatUUID(g.hash("request", n))
}

func formatUUID(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], u[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], u[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], u[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], u[10:16])
	return string(out[:])
}
