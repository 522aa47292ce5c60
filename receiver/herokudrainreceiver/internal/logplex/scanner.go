package logplex

import (
	"bytes"
	"errors"
	"io"
)

// DefaultMaxFrameSize bounds one frame when Options.MaxFrameSize is 0.
// Logplex frames are at most ~10 KB (§1.5), so 64 KiB leaves ample room.
const DefaultMaxFrameSize = 64 << 10

const (
	minFrameSize = 32
	// lookahead is how far past a frame's declared end we look to confirm
	// that the length was right.
	lookahead = 48
	// prefixWindow covers the longest length prefix we classify.
	prefixWindow = 40
	// maxLenDigits: a longer length cannot be honest (>= 1 GB) and is ErrBadLength.
	maxLenDigits = 9
	// maxBadToken: a non-numeric "length" longer than this is not a prefix.
	maxBadToken = 24
	// tailKeep bytes survive each refill while discarding, so that a frame
	// start split across two reads is still found (a start is <= 21 bytes).
	tailKeep = 32
	slack    = 2 * (prefixWindow + lookahead)
	initBuf  = 16 << 10
)

// Options configure a Scanner. The zero value is for Logplex drains.
type Options struct {
	// MaxFrameSize caps the bytes kept per frame (0: DefaultMaxFrameSize,
	// minimum 32). The Scanner's buffer never exceeds 2*MaxFrameSize+176.
	MaxFrameSize int
	// SD selects how STRUCTURED-DATA is found; the zero value SDNone is right
	// for Logplex.
	SD SDMode
}

// Stats counts what a Scanner has seen. The byte counters partition the
// body: once Scan has returned false with Err() == nil,
//
//	BytesRead == PrefixBytes + FrameBytes + SkippedBytes + DiscardedBytes
//
// where FrameBytes is the sum of len(Raw) and DiscardedBytes the sum of
// Frame.Discarded over all frames.
type Stats struct {
	Frames    int64 // frames returned by Scan, good or bad
	Malformed int64 // frames with Err != nil

	// Frames by framing problem.
	BadLength, LengthMismatch, FrameTooLong, Truncated, Unframed int64
	// Frames by header problem (one class per frame, the first found).
	BadPRI, BadVersion, BadTimestamp, BadSD, BadHeader int64

	BytesRead      int64 // bytes read from the reader
	PrefixBytes    int64 // length prefixes, including their SP
	FrameBytes     int64 // sum of len(Frame.Raw)
	SkippedBytes   int64 // whitespace between frames
	DiscardedBytes int64 // bytes over MaxFrameSize, not kept
	Resyncs        int64 // frames whose end was found by searching for the next frame start
}

// Scanner reads Logplex frames from a body. See the package doc for the
// framing and resynchronisation rules.
type Scanner struct {
	rd     io.Reader
	sd     SDMode
	max    int
	maxBuf int

	buf  []byte
	r, w int // unconsumed data is buf[r:w]
	eof  bool
	err  error
	done bool

	frame Frame
	stats Stats
}

// NewScanner returns a Scanner reading r. It allocates its buffer lazily,
// growing up to 2*MaxFrameSize+176 bytes only when a frame needs it.
func NewScanner(r io.Reader, opts Options) *Scanner {
	s := &Scanner{}
	s.configure(opts)
	s.Reset(r)
	return s
}

func (s *Scanner) configure(opts Options) {
	m := opts.MaxFrameSize
	if m <= 0 {
		m = DefaultMaxFrameSize
	}
	m = max(m, minFrameSize)
	s.max, s.maxBuf, s.sd = m, 2*m+slack, opts.SD
}

// Reset makes s read from r, keeping its options and buffer (for pooling).
func (s *Scanner) Reset(r io.Reader) {
	s.rd = r
	s.r, s.w = 0, 0
	s.eof, s.err, s.done = false, nil, false
	s.frame = Frame{}
	s.stats = Stats{}
}

// Frame returns the frame found by the last successful Scan. It and its
// slices are valid until the next Scan or Reset.
func (s *Scanner) Frame() *Frame { return &s.frame }

// Err returns the first error from the reader other than io.EOF. Problems
// inside the body are reported per frame (Frame.Err), never here.
func (s *Scanner) Err() error { return s.err }

// Stats returns the counters so far.
func (s *Scanner) Stats() Stats { return s.stats }

// Scan advances to the next frame, good or bad. It returns false at the end
// of the body. After a read error, frames already buffered are still
// returned (the last one as ErrTruncated) before Scan returns false; Err
// then reports the error.
func (s *Scanner) Scan() bool {
	if s.done {
		return false
	}
	s.frame = Frame{}
	if !s.next() {
		s.done = true
		return false
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// next skips whitespace, classifies the length prefix and dispatches.
func (s *Scanner) next() bool {
	for {
		if s.fill(1) == 0 {
			return false
		}
		b := s.buf[s.r:s.w]
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		s.r += i
		s.stats.SkippedBytes += int64(i)
		if i < len(b) {
			break
		}
	}
	s.frame.Offset = s.consumed()
	b, _ := s.window(prefixWindow)
	kind, off, n, detail := parsePrefix(b)
	switch kind {
	case prefixOK:
		if n > s.max {
			s.oversize(off, n)
		} else {
			s.framed(off, n)
		}
	case prefixUnframed:
		s.unframed()
	case prefixZero:
		s.emit(off, off, 0, ErrBadLength, detail, 0)
	default:
		s.badPrefix(off, detail)
	}
	return true
}

// consumed is the body offset of buf[r]: everything before it is accounted for.
func (s *Scanner) consumed() int64 {
	st := &s.stats
	return st.PrefixBytes + st.FrameBytes + st.SkippedBytes + st.DiscardedBytes
}

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

// window makes up to n bytes at buf[r:] available and returns exactly
// those (fewer only at the end of the body) and whether the body ends
// within them. Every framing decision looks only at such a window, so the
// result never depends on how the reader chunks the body.
func (s *Scanner) window(n int) (b []byte, atEnd bool) {
	avail := s.fill(n + 1)
	if avail > n {
		return s.buf[s.r : s.r+n], false
	}
	return s.buf[s.r:s.w], true
}

// framed handles a valid prefix with n <= MaxFrameSize.
func (s *Scanner) framed(off, n int) {
	b, atEnd := s.window(off + n + lookahead)
	if len(b) < off+n {
		s.resync(off, n, ErrTruncated)
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
		s.resync(off, n, ErrLengthMismatch)
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

// searchWindow returns the bytes a resynchronisation may look at, and the
// exclusive bound for where a found start may lie (the bad frame stays
// within MaxFrameSize).
func (s *Scanner) searchWindow(off int) (b []byte, limit int, atEnd bool) {
	b, atEnd = s.window(off + s.max + lookahead)
	return b, min(len(b), off+s.max+1), atEnd
}

// resync finds the end of a frame whose declared length n is contradicted
// by the bytes (kind ErrLengthMismatch) or by the end of the body
// (ErrTruncated).
func (s *Scanner) resync(off, n int, kind error) {
	b, limit, atEnd := s.searchWindow(off)
	if q := findStart(b, off+1, limit, atEnd, true); q >= 0 {
		s.stats.Resyncs++
		s.emit(off, q, 0, ErrLengthMismatch, "next frame found elsewhere", n)
		return
	}
	if len(b)-off <= s.max && atEnd {
		// Nothing follows but this frame's bytes: take them all.
		if len(b)-off < n {
			s.emit(off, len(b), 0, ErrTruncated, "", n)
		} else {
			s.emit(off, len(b), 0, ErrLengthMismatch, "followed by unframed bytes", n)
		}
		return
	}
	// No frame start within MaxFrameSize: honour the declared length and
	// let the next Scan deal with what follows.
	s.emit(off, min(off+n, len(b)), 0, ErrLengthMismatch, "followed by unframed bytes", n)
}

// oversize handles a valid prefix declaring more than MaxFrameSize.
func (s *Scanner) oversize(off, n int) {
	b, limit, atEnd := s.searchWindow(off)
	if q := findStart(b, off+1, limit, atEnd, true); q >= 0 {
		// A frame starts inside the window: the length is wrong, not the frame.
		s.stats.Resyncs++
		s.emit(off, q, 0, ErrLengthMismatch, "next frame found elsewhere", n)
		return
	}
	if len(b)-off <= s.max && atEnd {
		s.emit(off, len(b), 0, ErrTruncated, "", n)
		return
	}
	s.growFull()
	d := s.discardN(off+s.max, n-s.max)
	s.setFrame(off, off, off+s.max, d, ErrFrameTooLong, "", n)
}

// badPrefix takes everything up to the next plausible frame start.
func (s *Scanner) badPrefix(off int, detail string) {
	b, limit, atEnd := s.searchWindow(off)
	if q := findStart(b, off+1, limit, atEnd, true); q >= 0 {
		s.stats.Resyncs++
		s.emit(off, q, 0, ErrBadLength, detail, -1)
		return
	}
	if len(b)-off <= s.max && atEnd {
		s.emit(off, len(b), 0, ErrBadLength, detail, -1)
		return
	}
	s.stats.Resyncs++
	s.growFull()
	d := s.discardUntilStart(off + s.max)
	s.setFrame(off, off, off+s.max, d, ErrBadLength, detail, -1)
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

// emit makes buf[r+off:r+end] the current frame and consumes it.
func (s *Scanner) emit(off, end, discarded int, kind error, detail string, declared int) {
	s.setFrame(off, s.r+off, s.r+end, discarded, kind, detail, declared)
	s.r += end
}

// setFrame fills s.frame from buf[from:to] (absolute indices) and accounts
// for it and its prefix bytes; the caller moves r.
func (s *Scanner) setFrame(prefix, from, to, discarded int, kind error, detail string, declared int) {
	f := &s.frame
	st := &s.stats
	raw := s.buf[from:to:to]
	f.Raw = raw
	f.Discarded = discarded
	f.Truncated = discarded > 0
	st.Frames++
	st.PrefixBytes += int64(prefix)
	st.FrameBytes += int64(len(raw))
	st.DiscardedBytes += int64(discarded)

	m := raw
	if len(m) > 0 && m[len(m)-1] == '\n' {
		m = m[:len(m)-1]
		if kind == ErrUnframed && len(m) > 0 && m[len(m)-1] == '\r' {
			m = m[:len(m)-1]
		}
	}
	if hk, hd := parseHeader(m, s.sd, f); hk != nil {
		f.HeaderErr = &FrameError{Kind: hk, Detail: hd, Offset: f.Offset, Declared: declared, Actual: len(raw) + discarded}
		switch {
		case hk == ErrBadPRI:
			st.BadPRI++
		case hk == ErrBadVersion:
			st.BadVersion++
		case hk == ErrBadTimestamp:
			st.BadTimestamp++
		case hk == ErrBadSD:
			st.BadSD++
		default:
			st.BadHeader++
		}
	}
	if kind != nil {
		f.Err = &FrameError{Kind: kind, Detail: detail, Offset: f.Offset, Declared: declared, Actual: len(raw) + discarded}
		switch kind {
		case ErrBadLength:
			st.BadLength++
		case ErrLengthMismatch:
			st.LengthMismatch++
		case ErrFrameTooLong:
			st.FrameTooLong++
		case ErrTruncated:
			st.Truncated++
		case ErrUnframed:
			st.Unframed++
		}
	} else {
		f.Err = f.HeaderErr
	}
	if f.Err != nil {
		st.Malformed++
	}
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
// syslog header start.
func hdrAt(b []byte, k int) bool {
	i := k + 1
	for i < len(b) && i-k <= 3 && isDigit(b[i]) {
		i++
	}
	if i == k+1 || i-k > 4 || i >= len(b) || b[i] != '>' {
		return false
	}
	i++
	v := i
	for i < len(b) && i-v < 3 && isDigit(b[i]) {
		i++
	}
	return i > v && i < len(b) && b[i] == ' '
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

// fill tries to make n bytes available at buf[r:], reading as needed, and
// returns how many are available. n never exceeds maxBuf.
func (s *Scanner) fill(n int) int {
	n = min(n, s.maxBuf)
	for s.w-s.r < n && !s.eof {
		if s.r+n > len(s.buf) {
			s.makeRoom(n)
		}
		s.read()
	}
	return s.w - s.r
}

// makeRoom moves buf[r:w] to the front, growing buf if n bytes won't fit.
func (s *Scanner) makeRoom(n int) {
	if n > len(s.buf) {
		size := min(max(2*len(s.buf), initBuf, n), s.maxBuf)
		nb := make([]byte, size)
		copy(nb, s.buf[s.r:s.w])
		s.buf = nb
	} else {
		copy(s.buf, s.buf[s.r:s.w])
	}
	s.w -= s.r
	s.r = 0
}

// growFull gives the discard loops their working space: a full-size buffer
// with the current frame at the front, leaving >= MaxFrameSize of scratch
// after the kept bytes.
func (s *Scanner) growFull() {
	if len(s.buf) < s.maxBuf {
		s.makeRoom(s.maxBuf)
	} else if s.r > 0 {
		s.makeRoom(0)
	}
}

var errNegativeRead = errors.New("logplex: reader returned an invalid count")

// read appends to buf[w:]; it never blocks twice for one call's worth.
func (s *Scanner) read() {
	for range 100 {
		n, err := s.rd.Read(s.buf[s.w:])
		if n < 0 || n > len(s.buf)-s.w {
			s.err, s.eof = errNegativeRead, true
			return
		}
		s.w += n
		s.stats.BytesRead += int64(n)
		if err != nil {
			if err != io.EOF {
				s.err = err
			}
			s.eof = true
			return
		}
		if n > 0 {
			return
		}
	}
	s.err, s.eof = io.ErrNoProgress, true
}

// discardN drops n bytes starting at buf[from] (reading as needed, reusing
// buf[from:] as scratch) and returns how many it dropped (fewer at EOF).
func (s *Scanner) discardN(from, n int) int {
	d := 0
	for d < n {
		if avail := s.w - from; avail > 0 {
			k := min(avail, n-d)
			d += k
			if k < avail {
				copy(s.buf[from:], s.buf[from+k:s.w])
			}
			s.w -= k
			continue
		}
		if s.eof {
			break
		}
		s.read()
	}
	s.r = from
	return d
}

// discardUntilLF drops bytes from buf[from] up to and including the next LF.
func (s *Scanner) discardUntilLF(from int) int {
	d := 0
	for {
		if i := bytes.IndexByte(s.buf[from:s.w], '\n'); i >= 0 {
			d += i + 1
			copy(s.buf[from:], s.buf[from+i+1:s.w])
			s.w -= i + 1
			s.r = from
			return d
		}
		d += s.w - from
		s.w = from
		if s.eof {
			s.r = from
			return d
		}
		s.read()
	}
}

// discardUntilStart drops bytes from buf[from] up to the next plausible
// frame start (or EOF). buf[from-1] serves as look-behind on the first pass.
func (s *Scanner) discardUntilStart(from int) int {
	d := 0
	lb := from - 1
	for {
		b := s.buf[lb:s.w]
		if q := findStart(b, 1, len(b), s.eof, false); q >= 0 {
			drop := lb + q - from
			d += drop
			copy(s.buf[from:], s.buf[from+drop:s.w])
			s.w -= drop
			s.r = from
			return d
		}
		if s.eof {
			d += s.w - from
			s.w, s.r = from, from
			return d
		}
		if n := s.w - from; n > tailKeep {
			drop := n - tailKeep
			copy(s.buf[from:], s.buf[from+drop:s.w])
			s.w -= drop
			d += drop
			lb = from // the first kept byte is look-behind only
		}
		s.read()
	}
}
