package logplex

import "io"

// DefaultMaxFrameSize bounds one frame when Options.MaxFrameSize is 0.
// Logplex frames are at most ~10 KB (docs/heroku-formats.md, "Limits"), so
// 64 KiB leaves ample room.
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
