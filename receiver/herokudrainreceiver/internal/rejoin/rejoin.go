// Package rejoin makes lines that Heroku cut into several frames whole again.
//
// A dyno line longer than 10,000 bytes reaches a drain as several frames:
// log-shuttle, which reads the dyno's output, cuts the line (its trailing LF
// included) into 10,000-byte pieces, and Logplex never carries a syslog
// message longer than 10,240 bytes. Heroku's "Logging" Dev Center article
// says such lines "are split into 10000 byte chunks without extra trailing
// newlines". Nothing marks the pieces, but they can be recognised: every
// piece but the last is exactly at a cut size (a 10,000-byte message, or a
// 10,240-byte syslog message) with no trailing LF, and every piece carries
// the same header timestamp, app-name and procid, because they were one line.
//
// A Joiner follows such pieces per drain, app and dyno, within one request
// and across requests within a time window. In ModeRejoin it emits one frame
// holding the whole line; in ModeMark it emits every piece as it comes, with
// its index and an id shared by the pieces of one line. Either way a UTF-8
// character cut between two pieces comes out whole.
//
// State that outlives a request lives in the Joiner, which the receiver owns.
// A request works on it through a Session, which takes the open lines it
// continues and hands back what is still open when the request ends: kept
// if the request's data was delivered, restored as it was if not (the sender
// retries the whole request, pieces included).
package rejoin // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"

import (
	"encoding/hex"
	"hash/fnv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// Mode says what happens to the pieces of a cut line.
type Mode string

const (
	// ModeRejoin emits one record per line, made of all its pieces.
	ModeRejoin Mode = "rejoin"
	// ModeMark emits one record per piece, marked with its index and the
	// line's id.
	ModeMark Mode = "mark"
	// ModeOff passes every frame on as received.
	ModeOff Mode = "off"
)

// Cut sizes: a piece that is not the last of its line has exactly one of
// these lengths and no trailing LF.
const (
	// ShuttleCutSize is log-shuttle's cut: the message of every piece but
	// the last is 10,000 bytes.
	ShuttleCutSize = 10_000
	// LogplexCutSize is Logplex's limit on a whole syslog message (header
	// and message); a message cut to fit it is exactly that long.
	LogplexCutSize = 10_240
)

// maxPendingBytes bounds the bytes held for open lines across all drains.
// Lines that would exceed it are given up (emitted as far as they got).
const maxPendingBytes = 64 << 20

// Part says where a frame stands in a cut line. The zero Part is an
// ordinary frame.
type Part struct {
	// Pieces is, in ModeRejoin, the number of frames joined into this one
	// (1 for a piece given up on its own).
	Pieces int
	// Incomplete is set, in ModeRejoin, on a line whose remaining pieces
	// never came (max wait, max size or another line from the dyno first).
	Incomplete bool

	// ID is, in ModeMark, the id every piece of the line shares.
	ID string
	// Index is, in ModeMark, the piece's position in the line, from 0.
	Index int
	// Last is, in ModeMark, set on the line's last piece.
	Last bool

	// Counted says the frames this one is made of were announced to
	// Sink.CountRead already.
	Counted bool
}

// Sink receives what a Session lets through.
type Sink interface {
	// AddPart receives the frames to translate, in order. f and its
	// slices are only valid during the call.
	AddPart(f *logplex.Frame, p Part)
	// CountRead is told of every frame read that goes into a line held
	// or rejoined, so that the frames read can still be counted.
	CountRead(f *logplex.Frame)
}

// Settings configure a Joiner.
type Settings struct {
	Mode Mode
	// MaxLineBytes bounds a rejoined message; a line that grows past it is
	// emitted as far as it got, marked incomplete.
	MaxLineBytes int
	// MaxWait is how long an open line waits for its next piece from a
	// later request before it is given up.
	MaxWait time.Duration
	// Rejoined and GivenUp, when set, count lines made whole (ModeMark:
	// lines whose every piece was marked) and lines given up. They are
	// called once a request's data is delivered, so retries do not count
	// twice.
	Rejoined, GivenUp func(n int64)
	// Now replaces time.Now in tests.
	Now func() time.Time
}

// Joiner holds the lines left open between requests.
type Joiner struct {
	set Settings

	mu      sync.Mutex
	pending map[drain][]*line
	bytes   int // message bytes held in pending
}

// New returns a Joiner, or nil in ModeOff (a nil Joiner lets every frame
// through).
func New(set Settings) *Joiner {
	if set.Mode == ModeOff || set.Mode == "" {
		return nil
	}
	if set.Now == nil {
		set.Now = time.Now
	}
	return &Joiner{set: set, pending: map[drain][]*line{}}
}

// drain is whose requests a line arrives in: the Logplex-Drain-Token and
// the drain URL's ?app=.
type drain struct{ token, app string }

// line is an open cut line of one dyno (app-name and procid).
type line struct {
	appName, procID []byte
	stamp           time.Time      // header timestamp all its pieces share
	header          *logplex.Frame // ModeRejoin: the first piece's header fields, no message
	buf             []byte         // ModeRejoin: the message so far; ModeMark: bytes of a cut character
	pieces          int            // pieces so far
	id              string         // ModeMark
	until           time.Time      // given up after this, unless a piece comes first
	// overflow is set once the line grew past what may be held; its
	// further pieces pass through one by one.
	overflow bool
}

func (l *line) size() int { return len(l.buf) }

// isCut reports whether f looks like a piece that is not the last of its
// line.
func isCut(f *logplex.Frame) bool {
	if !joinable(f) || len(f.Raw) == 0 || f.Raw[len(f.Raw)-1] == '\n' {
		return false
	}
	return len(f.Message) == ShuttleCutSize || len(f.Raw) == LogplexCutSize
}

// joinable reports whether f's header can be trusted to say whose line it
// is.
func joinable(f *logplex.Frame) bool {
	return f.Err == nil && f.HeaderErr == nil && !f.Truncated && f.TimestampValid
}

// Expired is an open line given up after MaxWait, for the receiver to emit
// with its drain's resource.
type Expired struct {
	DrainToken, App string
	// Frame is the line as far as it got (nil in ModeMark, where every
	// piece was already emitted).
	Frame *logplex.Frame
	Part  Part
}

// Expire gives up the lines that waited longer than MaxWait at now (all of
// them when all is set, at shutdown) and returns the ones that still have
// something to emit. Their given-up count is added here: there is no
// request to retry them.
func (j *Joiner) Expire(now time.Time, all bool) []Expired {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	var out []Expired
	var n int64
	for d, lines := range j.pending {
		kept := lines[:0]
		for _, l := range lines {
			if !all && now.Before(l.until) {
				kept = append(kept, l)
				continue
			}
			j.bytes -= l.size()
			if !l.overflow {
				n++ // an overflowed line was counted when it overflowed
			}
			if f, p, ok := j.givenUp(l); ok {
				out = append(out, Expired{DrainToken: d.token, App: d.app, Frame: f, Part: p})
			}
		}
		if len(kept) == 0 {
			delete(j.pending, d)
		} else {
			clear(lines[len(kept):])
			j.pending[d] = kept
		}
	}
	j.mu.Unlock()
	j.count(j.set.GivenUp, n)
	return out
}

// Pending reports how many lines are open between requests.
func (j *Joiner) Pending() int {
	if j == nil {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, lines := range j.pending {
		n += len(lines)
	}
	return n
}

func (j *Joiner) count(f func(int64), n int64) {
	if f != nil && n > 0 {
		f(n)
	}
}

// givenUp is what a rejoin line that will get no more pieces emits: its
// message so far, without a character cut at its end, so that the body
// stays text. A marked line has nothing left to emit.
func (j *Joiner) givenUp(l *line) (*logplex.Frame, Part, bool) {
	if j.set.Mode != ModeRejoin || l.overflow {
		return nil, Part{}, false
	}
	f := *l.header
	f.Message = text(l.buf)
	return &f, Part{Pieces: l.pieces, Incomplete: true}, true
}

// splitCutRune splits b before a UTF-8 character that its end cuts short,
// if any: whole is b without it, cut is its bytes (at most 3).
func splitCutRune(b []byte) (whole, cut []byte) {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return b, nil // ASCII: nothing cut
		}
		if utf8.RuneStart(c) { // the lead byte of the last character
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i], b[len(b)-i:]
			}
			return b, nil
		}
	}
	return b, nil
}

// text returns b without a character cut short at its end or started
// before its beginning, so that a piece on its own is still text.
func text(b []byte) []byte {
	i := 0
	for i < utf8.UTFMax-1 && i < len(b) && !utf8.RuneStart(b[i]) {
		i++
	}
	whole, _ := splitCutRune(b[i:])
	return whole
}

// lineID derives a piece's line id from who wrote the line and when, so a
// retried request marks its pieces with the same id.
func lineID(d drain, f *logplex.Frame) string {
	h := fnv.New64a()
	for _, b := range [][]byte{[]byte(d.token), []byte(d.app), f.AppName, f.ProcID, []byte(f.Timestamp.Format(time.RFC3339Nano))} {
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
