// Package logplextest is test infrastructure that behaves like Heroku
// Logplex's HTTPS drain sender: it renders messages the way Logplex writes
// them into a drain, frames them with RFC 6587 octet counts, batches them
// under Logplex's 102400-byte target, posts them with Logplex's headers and
// follows Logplex's retry, drop and L10 loss-reporting rules.
//
// The behaviour modelled here is described in docs/heroku-formats.md
// ("Drain requests", "Limits", "Responses and retries"). The package has no
// OpenTelemetry imports so that receiver unit tests and the e2e tests can both use it.
package logplextest

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// TimeLayout is how log-shuttle, the router and the dyno manager write
// timestamps: microseconds and a numeric +00:00 offset.
const TimeLayout = "2006-01-02T15:04:05.000000+00:00"

// SecondsLayout is the whole-second form Logplex uses for its own L10 lines
// (and Heroku Postgres and Redis use for their metric lines).
const SecondsLayout = "2006-01-02T15:04:05+00:00"

// Common PRI values seen in drains.
const (
	PRIRouter   = 158 // heroku router (local3.info, even for at=error)
	PRIApp      = 190 // app web.N etc. (local7.info, log-shuttle default)
	PRIDyno     = 45  // heroku web.N dyno manager messages (syslog.notice)
	PRIRuntime  = 134 // heroku web.N runtime metrics in recent captures (local0.info)
	PRIAddon    = 134 // app heroku-postgres / heroku-redis (local0.info)
	PRILogplex  = 172 // heroku logplex L10 (local5.warning)
	PRIAPIEvent = 133 // app api in recent captures
)

// Message is one syslog message as Logplex renders it for an HTTPS drain:
//
//	<PRI>1 TIMESTAMP host APP-NAME PROCID - MSG
//
// There is no STRUCTURED-DATA and no NILVALUE in its place; HOSTNAME is the
// literal "host".
type Message struct {
	PRI int
	// Timestamp is written verbatim when it is not empty. Otherwise Time is
	// written in TimeLayout, in UTC.
	Timestamp string
	Time      time.Time
	AppName   string // "app" or "heroku"
	ProcID    string // "web.1", "router", "heroku-postgres", ...
	Msg       string // the message text, without a trailing LF
	// NoLF leaves out the trailing LF that dyno and router lines carry
	// inside their octet count. L10 lines, split chunks of long lines and
	// some add-on lines have none.
	NoLF bool
	// Raw, when not nil, replaces the whole rendered SYSLOG-MSG. It lets
	// tests send frames that do not follow the Logplex layout.
	Raw []byte
}

// AppendSyslog appends the SYSLOG-MSG part of m (without the length
// prefix) to dst.
func (m Message) AppendSyslog(dst []byte) []byte {
	if m.Raw != nil {
		return append(dst, m.Raw...)
	}
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(m.PRI), 10)
	dst = append(dst, ">1 "...)
	if m.Timestamp != "" {
		dst = append(dst, m.Timestamp...)
	} else {
		dst = m.Time.UTC().AppendFormat(dst, TimeLayout)
	}
	dst = append(dst, " host "...)
	dst = append(dst, m.AppName...)
	dst = append(dst, ' ')
	dst = append(dst, m.ProcID...)
	dst = append(dst, " - "...)
	dst = append(dst, m.Msg...)
	if !m.NoLF {
		dst = append(dst, '\n')
	}
	return dst
}

// Syslog returns the SYSLOG-MSG part of m.
func (m Message) Syslog() []byte { return m.AppendSyslog(nil) }

// AppendFrame appends m as one octet-counted frame, "<len> <syslog-msg>",
// where len is the byte length of the syslog message including its trailing
// LF if it has one.
func (m Message) AppendFrame(dst []byte) []byte {
	msg := m.Syslog()
	dst = strconv.AppendInt(dst, int64(len(msg)), 10)
	dst = append(dst, ' ')
	return append(dst, msg...)
}

// Frame returns m as one octet-counted frame.
func (m Message) Frame() []byte { return m.AppendFrame(nil) }

// FrameSize is the number of bytes m takes in a drain body, length prefix
// and separating space included.
func (m Message) FrameSize() int {
	n := len(m.Syslog())
	return len(strconv.Itoa(n)) + 1 + n
}

// Body concatenates the frames of msgs into a drain body. Frames follow each
// other with no separator.
func Body(msgs []Message) []byte {
	var b []byte
	for _, m := range msgs {
		b = m.AppendFrame(b)
	}
	return b
}

// L10 returns the message Logplex prepends to the next batch it sends after
// it lost messages: PRI 172, "heroku logplex", a whole-second timestamp and
// no trailing LF.
func L10(now time.Time, dropped int, since time.Time) Message {
	return Message{
		PRI:       PRILogplex,
		Timestamp: now.UTC().Format(SecondsLayout),
		AppName:   "heroku",
		ProcID:    "logplex",
		Msg: "Error L10 (output buffer overflow): " + strconv.Itoa(dropped) +
			" messages dropped since " + since.UTC().Format(SecondsLayout) + ".",
		NoLF: true,
	}
}

// SplitFrames splits an octet-counted drain body into its syslog messages.
// It is deliberately small and strict (standard library only, no leading
// zeros, every length exact) so tests can check bodies and fixtures without
// depending on the receiver's scanner.
func SplitFrames(body []byte) ([][]byte, error) {
	var out [][]byte
	for len(body) > 0 {
		sp := bytes.IndexByte(body, ' ')
		if sp <= 0 || sp > 7 {
			return out, fmt.Errorf("frame %d: no length prefix before %q", len(out), head(body))
		}
		n, err := strconv.Atoi(string(body[:sp]))
		if err != nil || n <= 0 || body[0] == '0' {
			return out, fmt.Errorf("frame %d: bad length %q", len(out), body[:sp])
		}
		body = body[sp+1:]
		if n > len(body) {
			return out, fmt.Errorf("frame %d: length %d but only %d bytes left", len(out), n, len(body))
		}
		out = append(out, body[:n])
		body = body[n:]
	}
	return out, nil
}

func head(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
