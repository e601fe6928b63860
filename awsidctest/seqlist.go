package awsidctest

import "sort"

// seqList keeps values in creation order, keyed by a strictly increasing
// sequence number. Removal leaves a tombstone that is compacted away once the
// dead outnumber the live, so paging from a sequence number costs
// O(log n + page) and removal costs O(log n) amortised.
type seqList[T any] struct {
	seqs  []uint64
	vals  []T
	dead  []bool
	ndead int
}

// add appends v. seq must be larger than every seq added before.
func (l *seqList[T]) add(seq uint64, v T) {
	l.seqs = append(l.seqs, seq)
	l.vals = append(l.vals, v)
	l.dead = append(l.dead, false)
}

// remove drops the value added with seq, if present.
func (l *seqList[T]) remove(seq uint64) {
	i := sort.Search(len(l.seqs), func(i int) bool { return l.seqs[i] >= seq })
	if i == len(l.seqs) || l.seqs[i] != seq || l.dead[i] {
		return
	}

	l.dead[i] = true
	var zero T
	l.vals[i] = zero
	l.ndead++
	if l.ndead > 32 && l.ndead > len(l.seqs)/2 {
		l.compact()
	}
}

func (l *seqList[T]) compact() {
	j := 0
	for i := range l.seqs {
		if l.dead[i] {
			continue
		}
		l.seqs[j], l.vals[j], l.dead[j] = l.seqs[i], l.vals[i], false
		j++
	}
	clear(l.vals[j:])
	l.seqs, l.vals, l.dead = l.seqs[:j], l.vals[:j], l.dead[:j]
	l.ndead = 0
}

// len returns the number of live values.
func (l *seqList[T]) len() int {
	if l == nil {
		return 0
	}
	return len(l.seqs) - l.ndead
}

// page returns up to n live values whose seq is greater than after, for which
// keep (when not nil) reports true. last is the seq of the last value
// returned; more reports whether a further matching value exists.
func (l *seqList[T]) page(
	after uint64, n int, keep func(T) bool,
) (out []T, last uint64, more bool) {
	if l == nil {
		return nil, 0, false
	}

	i := sort.Search(len(l.seqs), func(i int) bool { return l.seqs[i] > after })
	for ; i < len(l.seqs); i++ {
		if l.dead[i] || (keep != nil && !keep(l.vals[i])) {
			continue
		}
		if len(out) == n {
			return out, last, true
		}
		out = append(out, l.vals[i])
		last = l.seqs[i]
	}
	return out, last, false
}

// pageLazy is page for a keep with side effects: keep is called only on the
// values it returns or skips, never to look ahead, so more reports whether
// any live value follows, matching or not (AWS, too, may hand out a token
// that leads to an empty page).
func (l *seqList[T]) pageLazy(
	after uint64, n int, keep func(T) bool,
) (out []T, last uint64, more bool) {
	if l == nil {
		return nil, 0, false
	}

	i := sort.Search(len(l.seqs), func(i int) bool { return l.seqs[i] > after })
	for ; i < len(l.seqs) && len(out) < n; i++ {
		if l.dead[i] {
			continue
		}
		last = l.seqs[i]
		if keep(l.vals[i]) {
			out = append(out, l.vals[i])
		}
	}
	for ; i < len(l.seqs); i++ {
		if !l.dead[i] {
			return out, last, true
		}
	}
	return out, last, false
}

// all returns every live value in order.
func (l *seqList[T]) all() []T {
	out, _, _ := l.page(0, l.len(), nil)
	return out
}
