package logplextest

import "bytes"

// Long dyno lines reach a drain cut into several messages. Heroku's
// "Logging" Dev Center article says lines over 10,000 bytes "are split into
// 10000 byte chunks without extra trailing newlines"; log-shuttle, which
// reads dyno output, cuts the line as read (its LF included) every 10,000
// bytes, and Logplex accepts no syslog message over 10,240 bytes. Every
// piece keeps the line's timestamp and header; only the last ends in LF.
const (
	// ShuttleMaxLine is log-shuttle's piece size.
	ShuttleMaxLine = 10_000
	// LogplexMaxMessage is the most bytes a syslog message may have in
	// Logplex, header included.
	LogplexMaxMessage = 10_240
)

// ShuttleSplit cuts line (with its trailing LF) as log-shuttle does: every
// ShuttleMaxLine bytes, each piece the message of a copy of m.
func ShuttleSplit(m Message, line []byte) []Message {
	return cut(m, line, ShuttleMaxLine)
}

// LogplexSplit cuts line so that every rendered syslog message but the last
// is exactly LogplexMaxMessage bytes long.
func LogplexSplit(m Message, line []byte) []Message {
	m.Msg, m.NoLF = "", true
	return cut(m, line, LogplexMaxMessage-len(m.Syslog()))
}

func cut(m Message, line []byte, size int) []Message {
	var out []Message
	for i := 0; i < len(line); i += size {
		piece := line[i:min(i+size, len(line))]
		p := m
		p.Msg = string(bytes.TrimSuffix(piece, []byte{'\n'}))
		p.NoLF = !bytes.HasSuffix(piece, []byte{'\n'})
		out = append(out, p)
	}
	return out
}
