package heroku

import (
	"bytes"
	"strconv"
	"time"
)

// Log-delivery errors, the L codes (docs/heroku-formats.md, "Error codes", "Responses and retries"):
//
//	heroku logplex      Error L10 (output buffer overflow): 3 messages dropped since 2015-05-09T20:19:03+00:00.
//	heroku logplex      L11 (Tail buffer overflow) -> This tail session dropped 1101 messages since 2015-05-09T20:19:03+00:00
//	app    log-shuttle  Error L12: 222 messages dropped since 2015-05-09T20:19:03+00:00.
//	app    log-shuttle  Error L13: 4 messages lost since 2015-05-09T20:19:03+00:00
//	heroku logplex      Error L14 (certificate validation): error="bad certificate" uri="syslog+tls://…"
//
// An L10 in our drain means lines were lost on the way to us, possibly
// because we answered 4xx or too slowly, so the count is worth a counter.

// LogplexError is a parsed L-code line. Its byte fields alias the message.
type LogplexError struct {
	// Code is L10…L15 (or another L code Heroku adds); its Name() is
	// Heroku's title, e.g. "Drain buffer overflow".
	Code ErrorCode
	// Title is the parenthesised text as logged ("output buffer
	// overflow"), nil when the line has none (L12, L13).
	Title []byte
	// Count is the number of messages dropped or lost; valid if HasCount.
	Count    int64
	HasCount bool
	// Since is the timestamp after "since", without the final '.'; nil
	// if absent. SinceTime parses it.
	Since []byte
	// Detail is everything after "Error Lnn (…):" or "->", e.g. L14's
	// `error="bad certificate" uri="…"`, which NextKV can split.
	Detail []byte
}

// Description returns Heroku's title for the code, falling back to the
// title as logged for codes not in the table.
func (e *LogplexError) Description() string {
	if name := e.Code.Name(); name != "" {
		return name
	}
	return string(e.Title)
}

// SinceTime parses Since as RFC 3339 (with or without fractional seconds,
// Z or ±hh:mm). It allocates, which is fine for these rare lines.
func (e *LogplexError) SinceTime() (time.Time, bool) {
	if len(e.Since) == 0 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, string(e.Since))
	return t, err == nil
}

// ParseLogplexError parses an L-code message into e and reports whether it
// was one: an optional "Error ", then "L" and two digits, then an optional
// "(title)", then ":" or "->". The count and timestamp come from
// "N messages dropped|lost since T" (L10, L12, L13) or "dropped N messages
// since T" (L11), and are optional so that L14, L15 and new wordings still
// parse. Only call it for PROCID "logplex" (APP-NAME heroku) or
// "log-shuttle" (APP-NAME app): an app can print the same words.
func ParseLogplexError(msg []byte, e *LogplexError) bool {
	*e = LogplexError{}
	b := msg
	if len(b) >= len("Error ") && string(b[:len("Error ")]) == "Error " {
		b = b[len("Error "):]
	}
	if len(b) < 3 || b[0] != 'L' {
		return false
	}
	code, ok := ParseErrorCode(b[:3])
	if !ok {
		return false
	}
	b = b[3:]
	if len(b) > 0 && b[0] != ' ' && b[0] != ':' { // "L100", "L10x"
		return false
	}
	e.Code = code
	b = bytes.TrimLeft(b, " ")
	if len(b) > 0 && b[0] == '(' {
		end := 1
		for end < len(b) && b[end] != ')' {
			end++
		}
		e.Title = b[1:end]
		if end < len(b) {
			end++
		}
		b = bytes.TrimLeft(b[end:], " ")
	}
	switch {
	case len(b) > 0 && b[0] == ':':
		b = b[1:]
	case len(b) >= 2 && b[0] == '-' && b[1] == '>':
		b = b[2:]
	}
	b = bytes.TrimLeft(b, " ")
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r' || b[len(b)-1] == '\n') {
		b = b[:len(b)-1]
	}
	e.Detail = b
	e.Count, e.HasCount = logplexCount(b)
	if i := bytes.Index(b, []byte("since ")); i >= 0 {
		since := b[i+len("since "):]
		if n := len(since); n > 0 && since[n-1] == '.' {
			since = since[:n-1]
		}
		if len(since) > 0 {
			e.Since = since
		}
	}
	return true
}

// logplexCount finds the number written just before " messages".
func logplexCount(b []byte) (int64, bool) {
	i := bytes.Index(b, []byte(" messages"))
	if i <= 0 {
		return 0, false
	}
	start := i
	for start > 0 && b[start-1] >= '0' && b[start-1] <= '9' {
		start--
	}
	if start == i || i-start > 18 || (start > 0 && b[start-1] != ' ') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b[start:i]), 10, 64)
	return n, err == nil
}
