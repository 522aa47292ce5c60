package logplex

// The Scanner's buffer: reading on demand, bounded growth, and dropping the
// bytes of over-long frames in place.

import (
	"bytes"
	"errors"
	"io"
)

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
