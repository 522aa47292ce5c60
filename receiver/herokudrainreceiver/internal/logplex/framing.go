package logplex

// Framing: where each frame starts and ends. Every decision here looks only
// at a window of bytes (Scanner.window), never at how the reader chunked the
// body; the rules are listed in the package documentation.

import "bytes"

type prefixKind int

const (
	prefixOK prefixKind = iota
	prefixBad
	prefixUnframed
	prefixZero // "0 " not followed by '<': an empty frame
)

// parsePrefix classifies the start of a frame (b[0] is not whitespace).
// For prefixBad, off is the length of the bad prefix to set aside (0 when
// the bytes do not look like a prefix at all).
func parsePrefix(b []byte) (kind prefixKind, off, n int, detail string) {
	lim := min(len(b), prefixWindow)
	d := 0
	for d < lim && isDigit(b[d]) {
		d++
	}
	if d > 0 && d < lim {
		switch b[d] {
		case ' ':
			if d > maxLenDigits {
				return prefixBad, d + 1, 0, "length has too many digits"
			}
			for _, c := range b[:d] {
				n = n*10 + int(c-'0')
			}
			if n == 0 {
				if d+1 < len(b) && b[d+1] == '<' {
					return prefixBad, d + 1, 0, "zero length"
				}
				return prefixZero, d + 1, 0, "zero length"
			}
			return prefixOK, d + 1, n, ""
		case '<':
			return prefixBad, d, 0, "no space after the length"
		}
	}
	if d == 0 && b[0] == '<' {
		return prefixUnframed, 0, 0, ""
	}
	// A short non-numeric token before " <", e.g. "-5 <13>1 ..." or "abc <...".
	for i := 0; i < min(lim, maxBadToken+1); i++ {
		c := b[i]
		if c == ' ' {
			if i > 0 && i+1 < len(b) && b[i+1] == '<' {
				return prefixBad, i + 1, 0, "length is not a positive decimal"
			}
			break
		}
		if isSpace(c) || c == '<' {
			break
		}
	}
	return prefixBad, 0, 0, "expected a length prefix"
}

// framed handles a valid prefix with n <= MaxFrameSize.
func (s *Scanner) framed(off, n int) {
	b, atEnd := s.window(off + n + lookahead)
	if len(b) < off+n {
		s.resync(off, n)
		return
	}
	e := off + n
	ok := endsWell(b, e, atEnd)
	if ok && isDigit(b[e-1]) && e < len(b) && isDigit(b[e]) {
		// Digits run on from this frame into the next prefix: make sure the
		// split is right by checking where the next frame would end.
		ok = s.nextLengthFits(e)
	}
	if !ok {
		s.resync(off, n)
		return
	}
	s.emit(off, e, 0, nil, "", n)
}

// nextLengthFits reports whether the length prefix at buf[r+e:] declares a
// frame that itself ends well.
func (s *Scanner) nextLengthFits(e int) bool {
	b, _ := s.window(e + prefixWindow)
	d := e
	n := 0
	for d < len(b) && d-e < maxLenDigits && isDigit(b[d]) {
		n = n*10 + int(b[d]-'0')
		d++
	}
	if d == len(b) || b[d] != ' ' || n > s.max {
		return true // not a checkable prefix; the shape test already passed
	}
	b, atEnd := s.window(d + 1 + n + lookahead)
	if len(b) < d+1+n {
		return true // a truncated last frame: its own problem
	}
	return endsWell(b, d+1+n, atEnd)
}

// toNextStart looks for the next plausible frame start within MaxFrameSize
// after the frame at off. When there is one, the bytes up to it become one bad
// frame (kind, detail, declared) and found is true. Otherwise it returns the
// window it searched (from buf[r]), whether the body ends within it, and
// whether the rest of the body fits in one frame.
func (s *Scanner) toNextStart(off int, kind error, detail string, declared int) (b []byte, restFits, found bool) {
	b, atEnd := s.window(off + s.max + lookahead)
	limit := min(len(b), off+s.max+1) // the bad frame stays within MaxFrameSize
	if q := findStart(b, off+1, limit, atEnd, true); q >= 0 {
		s.stats.Resyncs++
		s.emit(off, q, 0, kind, detail, declared)
		return nil, false, true
	}
	return b, atEnd && len(b)-off <= s.max, false
}

// resync finds the end of a frame whose declared length n is contradicted
// by the bytes or by the end of the body.
func (s *Scanner) resync(off, n int) {
	b, restFits, found := s.toNextStart(off, ErrLengthMismatch, "next frame found elsewhere", n)
	switch {
	case found:
	case restFits:
		// Nothing follows but this frame's bytes: take them all.
		if len(b)-off < n {
			s.emit(off, len(b), 0, ErrTruncated, "", n)
		} else {
			s.emit(off, len(b), 0, ErrLengthMismatch, "followed by unframed bytes", n)
		}
	default:
		// No frame start within MaxFrameSize: honour the declared length and
		// let the next Scan deal with what follows.
		s.emit(off, min(off+n, len(b)), 0, ErrLengthMismatch, "followed by unframed bytes", n)
	}
}

// oversize handles a valid prefix declaring more than MaxFrameSize. A frame
// start inside the window means the length is wrong, not the frame.
func (s *Scanner) oversize(off, n int) {
	b, restFits, found := s.toNextStart(off, ErrLengthMismatch, "next frame found elsewhere", n)
	switch {
	case found:
	case restFits:
		s.emit(off, len(b), 0, ErrTruncated, "", n)
	default:
		s.growFull()
		d := s.discardN(off+s.max, n-s.max)
		s.setFrame(off, off, off+s.max, d, ErrFrameTooLong, "", n)
	}
}

// badPrefix takes everything up to the next plausible frame start.
func (s *Scanner) badPrefix(off int, detail string) {
	b, restFits, found := s.toNextStart(off, ErrBadLength, detail, -1)
	switch {
	case found:
	case restFits:
		s.emit(off, len(b), 0, ErrBadLength, detail, -1)
	default:
		s.stats.Resyncs++
		s.growFull()
		d := s.discardUntilStart(off + s.max)
		s.setFrame(off, off, off+s.max, d, ErrBadLength, detail, -1)
	}
}

// unframed takes a syslog line without a length prefix, up to its LF.
func (s *Scanner) unframed() {
	b, atEnd := s.window(s.max + 1)
	if i := bytes.IndexByte(b[:min(len(b), s.max)], '\n'); i >= 0 {
		s.emit(0, i+1, 0, ErrUnframed, "", -1)
		return
	}
	if len(b) <= s.max && atEnd {
		s.emit(0, len(b), 0, ErrUnframed, "", -1)
		return
	}
	if b[s.max] == '\n' {
		// Exactly MaxFrameSize bytes plus the LF: keep the line whole and
		// count the LF as whitespace.
		s.emit(0, s.max, 0, ErrUnframed, "", -1)
		s.r++
		s.stats.SkippedBytes++
		return
	}
	s.growFull()
	d := s.discardUntilLF(s.max)
	s.setFrame(0, 0, s.max, d, ErrUnframed, "line longer than MaxFrameSize", -1)
}

// endsWell reports whether a frame ending at b[e] (exclusive) has a
// believable length: it ends in LF (a length counted wrongly almost never
// lands on one, and so garbage after a good frame does not cost it), or
// what follows is plausible.
func endsWell(b []byte, e int, eof bool) bool {
	return (e > 0 && b[e-1] == '\n') || plausibleNext(b, e, eof)
}

// plausibleNext reports whether what follows a frame ending at b[e] is
// consistent with a correct length: the end of the body, whitespace, or
// something shaped like a frame start. A bad-but-recognisable prefix
// ("abc <", "0 <", "83<") counts, so that a bad frame after a good one does
// not cost the good one. Undecidable (lookahead exhausted) counts as yes.
func plausibleNext(b []byte, e int, eof bool) bool {
	j := e
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j == len(b) {
		return true
	}
	if b[j] == '<' {
		// An unframed line may follow a frame that ends in LF.
		return j > 0 && b[j-1] == '\n'
	}
	c := b[j:]
	lim := min(len(c), maxBadToken+2)
	i := 0
	digits := true
	for i < lim && !isSpace(c[i]) && c[i] != '<' {
		digits = digits && isDigit(c[i])
		i++
	}
	switch {
	case i == len(c):
		return !eof
	case i >= lim:
		return false
	case c[i] == '<':
		return digits
	case c[i] == ' ':
		if i+1 == len(c) {
			return !eof
		}
		return c[i+1] == '<'
	}
	return false
}

// hdrAt reports whether b[k:] starts with "<d{1,3}>d{1,3} ", the shape of a
// syslog header start: the PRI and VERSION that parseHeader reads, with the
// SP after VERSION present.
func hdrAt(b []byte, k int) bool {
	h := b[k:]
	_, i, detail := parsePRI(h)
	if detail != "" {
		return false
	}
	_, i, ok := parseVersion(h, i)
	return ok && i < len(h)
}

// findStart returns the index i, from <= i < limit, of the first plausible
// frame start in b, or -1. A start is either "LEN SP <PRI>VER SP" with LEN
// 1-9 digits without a leading zero, or "<PRI>VER SP" right after an LF (an
// unframed line). When the digits before SP could be split several ways
// (a message without LF that ends in a digit), the split whose declared end
// is itself plausible wins.
func findStart(b []byte, from, limit int, eof, validate bool) int {
	k := from
	for k < len(b) {
		j := bytes.IndexByte(b[k:], '<')
		if j < 0 {
			return -1
		}
		k += j
		if k-maxLenDigits-1 >= limit {
			return -1
		}
		if k >= 1 && hdrAt(b, k) {
			if b[k-1] == '\n' && k >= from && k < limit {
				return k
			}
			if k >= 2 && b[k-1] == ' ' && isDigit(b[k-2]) {
				if i := pickLength(b, k, from, limit, eof, validate); i >= 0 {
					return i
				}
			}
		}
		k++
	}
	return -1
}

// pickLength chooses where the length digits before b[k-1] == ' ' begin.
func pickLength(b []byte, k, from, limit int, eof, validate bool) int {
	sp := k - 1
	lo := max(sp-maxLenDigits, from)
	rs := sp
	for rs > lo && isDigit(b[rs-1]) {
		rs--
	}
	first, undecided := -1, -1
	for i := rs; i < sp && i < limit; i++ {
		if b[i] == '0' {
			continue
		}
		n := 0
		for _, c := range b[i:sp] {
			n = n*10 + int(c-'0')
		}
		if first < 0 {
			first = i
			if !validate {
				break
			}
		}
		end := k + n
		if end > len(b) || (end == len(b) && !eof) {
			if undecided < 0 {
				undecided = i
			}
			continue
		}
		if endsWell(b, end, eof) {
			return i
		}
	}
	if undecided >= 0 {
		return undecided
	}
	return first
}
