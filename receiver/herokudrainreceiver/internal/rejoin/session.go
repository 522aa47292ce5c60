package rejoin // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"

import (
	"bytes"
	"slices"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// Session is one request's work on a Joiner: Add every frame in order, then
// End once the request's data was delivered or refused. It is not safe for
// concurrent use.
type Session struct {
	j     *Joiner
	drain drain
	sink  Sink
	now   time.Time

	open  []*line // lines open in this request, the ones taken from j first
	taken []line  // what the taken lines were, restored if the request fails
	base  int     // bytes j held for other drains when the request began
	held  int     // bytes held in open

	rejoined, givenUp int64
	ended             bool
}

// Begin starts a request from the drain with this token and ?app=. Frames
// go to sink. It takes the drain's open lines from j, so that the request
// can continue them. A nil Joiner gives a Session that lets every frame
// through.
func (j *Joiner) Begin(token, app string, sink Sink) *Session {
	s := &Session{j: j, drain: drain{token, app}, sink: sink}
	if j == nil {
		return s
	}
	s.now = j.set.Now()
	j.mu.Lock()
	if lines, ok := j.pending[s.drain]; ok {
		delete(j.pending, s.drain)
		s.open = lines
		for _, l := range lines {
			s.taken = append(s.taken, *l)
			j.bytes -= l.size()
			s.held += l.size()
		}
	}
	s.base = j.bytes
	j.mu.Unlock()
	return s
}

// Add passes f on, holds it as a piece of a line, or completes a line.
func (s *Session) Add(f *logplex.Frame) {
	if s.j == nil || !joinable(f) || len(s.open) == 0 && !isCut(f) {
		s.sink.AddPart(f, Part{}) // the common case: no line is open
		return
	}
	if s.j.set.Mode == ModeRejoin {
		// Whatever comes of f below, it was read here.
		s.sink.CountRead(f)
	}
	i := s.find(f)
	if i >= 0 && !f.Timestamp.Equal(s.open[i].stamp) {
		// A new line from the same dyno: the open one's other pieces
		// are not coming.
		s.giveUp(i)
		i = -1
	}
	cut := isCut(f)
	switch {
	case i >= 0:
		s.next(i, f, cut)
	case cut:
		s.start(f)
	default:
		s.pass(f)
	}
}

// pass lets f through as an ordinary frame.
func (s *Session) pass(f *logplex.Frame) { s.out(f, Part{}) }

// out hands f to the sink, saying whether its frames were counted.
func (s *Session) out(f *logplex.Frame, p Part) {
	p.Counted = s.j.set.Mode == ModeRejoin
	s.sink.AddPart(f, p)
}

// End settles the request: delivered keeps the lines still open for the
// drain's next request and counts what was rejoined and given up; otherwise
// the lines are restored as they were when the request began, because the
// sender retries it whole. Calls after the first do nothing.
func (s *Session) End(delivered bool) {
	if s.j == nil || s.ended {
		return
	}
	s.ended = true
	j := s.j
	j.mu.Lock()
	if delivered {
		for _, l := range s.open {
			j.put(s.drain, l)
		}
	} else {
		for i := range s.taken {
			j.put(s.drain, &s.taken[i])
		}
	}
	j.mu.Unlock()
	if delivered {
		j.count(j.set.Rejoined, s.rejoined)
		j.count(j.set.GivenUp, s.givenUp)
	}
}

// put stores l as open for d. The caller holds j.mu.
func (j *Joiner) put(d drain, l *line) {
	j.pending[d] = append(j.pending[d], l)
	j.bytes += l.size()
}

// find returns the index of f's dyno's open line, or -1.
func (s *Session) find(f *logplex.Frame) int {
	for i, l := range s.open {
		if bytes.Equal(l.procID, f.ProcID) && bytes.Equal(l.appName, f.AppName) {
			return i
		}
	}
	return -1
}

// fits reports whether n more bytes may be held.
func (s *Session) fits(n int) bool {
	return s.base+s.held+n <= maxPendingBytes
}

// start opens a line with its first piece f.
func (s *Session) start(f *logplex.Frame) {
	l := &line{
		appName: bytes.Clone(f.AppName),
		procID:  bytes.Clone(f.ProcID),
		stamp:   f.Timestamp,
		pieces:  1,
		until:   s.now.Add(s.j.set.MaxWait),
	}
	if s.j.set.Mode == ModeMark {
		l.id = lineID(s.drain, f)
		whole, cut := splitCutRune(f.Message)
		s.emitAs(f, whole, Part{ID: l.id})
		l.buf = bytes.Clone(cut)
	} else {
		if len(f.Message) > s.j.set.MaxLineBytes || !s.fits(len(f.Message)) {
			s.givenUp++
			s.emitAs(f, text(f.Message), Part{Pieces: 1, Incomplete: true})
			return
		}
		l.header = cloneHeader(f)
		l.buf = bytes.Clone(f.Message)
	}
	s.open = append(s.open, l)
	s.held += l.size()
}

// next adds f, the next piece of open line i; cut says more are coming.
func (s *Session) next(i int, f *logplex.Frame, cut bool) {
	l := s.open[i]
	l.pieces++
	l.until = s.now.Add(s.j.set.MaxWait)
	if s.j.set.Mode == ModeMark {
		msg := f.Message
		if len(l.buf) > 0 {
			msg = append(l.buf, f.Message...)
		}
		p := Part{ID: l.id, Index: l.pieces - 1}
		if !cut {
			p.Last = true
			s.emitAs(f, msg, p)
			s.close(i)
			s.rejoined++
			return
		}
		whole, rest := splitCutRune(msg)
		s.emitAs(f, whole, p)
		s.held -= l.size()
		l.buf = bytes.Clone(rest)
		s.held += l.size()
		return
	}
	if l.overflow || len(l.buf)+len(f.Message) > s.j.set.MaxLineBytes || !s.fits(len(f.Message)) {
		s.overflow(i, f, cut)
		return
	}
	l.buf = append(l.buf, f.Message...)
	s.held += len(f.Message)
	if cut {
		return
	}
	whole := *l.header
	whole.Message = l.buf
	s.out(&whole, Part{Pieces: l.pieces})
	s.close(i)
	s.rejoined++
}

// overflow handles piece f of open line i when the line is too long to
// hold: what was held goes out as it is, then every further piece on its
// own, all marked incomplete; the line counts as given up once.
func (s *Session) overflow(i int, f *logplex.Frame, cut bool) {
	l := s.open[i]
	if !l.overflow {
		l.pieces--
		if g, p, ok := s.j.givenUp(l); ok {
			s.out(g, p)
		}
		s.givenUp++
		s.held -= l.size()
		l.buf, l.header, l.overflow = nil, nil, true
	}
	s.emitAs(f, text(f.Message), Part{Pieces: 1, Incomplete: true})
	if !cut {
		s.close(i)
	}
}

// giveUp emits open line i as far as it got and closes it.
func (s *Session) giveUp(i int) {
	if f, p, ok := s.j.givenUp(s.open[i]); ok {
		s.out(f, p)
	}
	if !s.open[i].overflow {
		s.givenUp++ // an overflowed line was counted when it overflowed
	}
	s.close(i)
}

func (s *Session) close(i int) {
	s.held -= s.open[i].size()
	s.open = slices.Delete(s.open, i, i+1)
}

// emitAs emits f with msg as its message.
func (s *Session) emitAs(f *logplex.Frame, msg []byte, p Part) {
	g := *f
	g.Message = msg
	s.out(&g, p)
}

// cloneHeader copies the header fields of f that a record uses, so that
// they outlive the scanner's buffer. The message and raw bytes are left out.
func cloneHeader(f *logplex.Frame) *logplex.Frame {
	h := *f
	h.Raw, h.Message = nil, nil
	h.Hostname = bytes.Clone(f.Hostname)
	h.AppName = bytes.Clone(f.AppName)
	h.ProcID = bytes.Clone(f.ProcID)
	h.MsgID = bytes.Clone(f.MsgID)
	h.SD = bytes.Clone(f.SD)
	return &h
}
