package logplex

import (
	"bytes"
	"time"
)

// SDMode says whether a STRUCTURED-DATA field sits between MSGID and MSG.
type SDMode int

const (
	// SDNone never looks for SD: Logplex drains send neither SD nor the "-"
	// NILVALUE, so a message starting with "- " or "[x]" is message text.
	// It is the zero value because Logplex is the main sender.
	SDNone SDMode = iota
	// SDAuto takes SD only when it is unambiguous: text after MSGID that
	// starts with "[" and parses completely as RFC 5424 SD followed by SP or
	// the end, or a "-" NILVALUE followed by SP or the end. For log-shuttle
	// and RFC 5424 clients. Caveat: a message such as "[INFO] x" is valid SD.
	SDAuto
	// SDRFC5424 requires the SD field ("-" or valid SD); otherwise the
	// header is bad (ErrBadSD) and Message holds everything after MSGID.
	SDRFC5424
)

// parseHeader fills f from m (no trailing LF). It returns the first problem
// as a sentinel plus detail. Value problems (PRI > 191, version != 1, bad
// timestamp, bad SD) keep the other fields; structural ones (no "<", too few
// fields) leave only Message = m.
func parseHeader(m []byte, mode SDMode, f *Frame) (error, string) {
	f.resetHeader(m)
	pri, i, detail := parsePRI(m)
	if detail != "" {
		return ErrBadPRI, detail
	}
	var first problem
	if pri > 191 {
		first.note(ErrBadPRI, "PRI above 191")
	} else {
		f.Priority = pri
	}
	v, i, ok := parseVersion(m, i)
	if !ok {
		f.Priority = -1
		return ErrBadVersion, "VERSION is not 1-3 digits followed by SP"
	}
	f.Version = v
	if v != 1 {
		first.note(ErrBadVersion, "VERSION is not 1")
	}
	tok, i, detail := headerFields(m, i)
	if detail != "" {
		return f.badStructure(m, detail)
	}
	if !f.setFields(&tok) {
		first.note(ErrBadTimestamp, "not RFC 3339")
	}
	if !f.setSDAndMessage(m, i, mode) {
		first.note(ErrBadSD, "STRUCTURED-DATA missing or invalid")
	}
	return first.kind, first.detail
}

// problem keeps the first value problem of a header; later ones are not
// reported.
type problem struct {
	kind   error
	detail string
}

func (p *problem) note(kind error, detail string) {
	if p.kind == nil {
		p.kind, p.detail = kind, detail
	}
}

// resetHeader clears the header fields: Message = m until parsed further.
func (f *Frame) resetHeader(m []byte) {
	f.Priority, f.Version = -1, 0
	f.Timestamp, f.TimestampValid = time.Time{}, false
	f.Hostname, f.AppName, f.ProcID, f.MsgID, f.SD = nil, nil, nil, nil, nil
	f.Message = m
}

// parsePRI reads "<" 1-3 digits ">" and returns the value and the index
// after ">"; detail says what is wrong when the PRI cannot be read.
func parsePRI(m []byte) (pri, i int, detail string) {
	if len(m) == 0 || m[0] != '<' {
		return 0, 0, "missing '<'"
	}
	i = 1
	for i < len(m) && i <= 4 && isDigit(m[i]) {
		pri = pri*10 + int(m[i]-'0')
		i++
	}
	if i == 1 || i > 4 || i >= len(m) || m[i] != '>' {
		return 0, 0, "PRI is not <1-3 digits>"
	}
	return pri, i + 1, ""
}

// parseVersion reads the 1-3 digit VERSION at m[i:], which must be
// followed by SP or the end, and returns it with the index after it.
func parseVersion(m []byte, i int) (v, next int, ok bool) {
	start := i
	for i < len(m) && i-start < 3 && isDigit(m[i]) {
		v = v*10 + int(m[i]-'0')
		i++
	}
	if i == start || (i < len(m) && m[i] != ' ') {
		return 0, i, false
	}
	return v, i, true
}

// headerFields splits TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, each
// preceded by SP, from m[i:]; MSGID ends in SP or at the end of the
// message. It returns the index after MSGID, or what is wrong.
func headerFields(m []byte, i int) (tok [5][]byte, next int, detail string) {
	for t := range tok {
		if i >= len(m) || m[i] != ' ' {
			return tok, i, "too few header fields"
		}
		i++
		j := bytes.IndexByte(m[i:], ' ')
		if j < 0 {
			j = len(m) - i
		}
		if j == 0 {
			return tok, i, "empty header field"
		}
		tok[t] = m[i : i+j]
		i += j
	}
	return tok, i, ""
}

// setFields stores the header fields; "-" (NILVALUE) leaves the timestamp
// and MSGID unset. It reports false when the timestamp is not RFC 3339.
func (f *Frame) setFields(tok *[5][]byte) bool {
	ok := true
	if ts := tok[0]; !isNil(ts) {
		if t, valid := parseTimestamp(ts); valid {
			f.Timestamp, f.TimestampValid = t, true
		} else {
			ok = false
		}
	}
	f.Hostname, f.AppName, f.ProcID = tok[1], tok[2], tok[3]
	if !isNil(tok[4]) {
		f.MsgID = tok[4]
	}
	return ok
}

func isNil(field []byte) bool { return len(field) == 1 && field[0] == '-' }

// setSDAndMessage sets Message, and SD when mode looks for it, from what
// follows MSGID (m[i] is the SP after MSGID, or i is the end). It reports
// false when mode is SDRFC5424 and there is neither "-" nor valid SD.
func (f *Frame) setSDAndMessage(m []byte, i int, mode SDMode) bool {
	var rest []byte
	if i < len(m) {
		rest = m[i+1:]
	}
	f.Message = rest
	if f.Message == nil {
		f.Message = m[len(m):]
	}
	if mode != SDAuto && mode != SDRFC5424 {
		return true
	}
	switch {
	case len(rest) > 0 && rest[0] == '[':
		if n, ok := scanSD(rest); ok && (n == len(rest) || rest[n] == ' ') {
			f.SD = rest[:n]
			f.Message = rest[min(n+1, len(rest)):]
			return true
		}
	case len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' '):
		f.Message = rest[min(2, len(rest)):]
		return true
	}
	return mode != SDRFC5424
}

// badStructure resets the fields parsed so far: the header is not usable.
func (f *Frame) badStructure(m []byte, detail string) (error, string) {
	f.resetHeader(m)
	return ErrBadHeader, detail
}

func isDigit(c byte) bool { return c-'0' < 10 }

func d2(b []byte) int {
	if !isDigit(b[0]) || !isDigit(b[1]) {
		return -1
	}
	return int(b[0]-'0')*10 + int(b[1]-'0')
}

// parseTimestamp parses the RFC 5424 TIMESTAMP (RFC 3339 with 0-9 fractional
// digits and Z or ±hh:mm) without allocating; time.Parse would allocate for
// any non-UTC offset. The result is in UTC.
func parseTimestamp(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	y1, y2 := d2(b[0:2]), d2(b[2:4])
	mo, d, h, mi, s := d2(b[5:7]), d2(b[8:10]), d2(b[11:13]), d2(b[14:16]), d2(b[17:19])
	if y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
		return time.Time{}, false
	}
	y := y1*100 + y2
	if d > daysIn(mo, y) {
		return time.Time{}, false
	}
	i, ns := 19, 0
	if b[i] == '.' {
		i++
		st := i
		for i < len(b) && isDigit(b[i]) {
			ns = ns*10 + int(b[i]-'0')
			i++
		}
		nd := i - st
		if nd == 0 || nd > 9 {
			return time.Time{}, false
		}
		for ; nd < 9; nd++ {
			ns *= 10
		}
	}
	off := 0
	switch {
	case i < len(b) && b[i] == 'Z':
		i++
	case i+6 <= len(b) && (b[i] == '+' || b[i] == '-') && b[i+3] == ':':
		oh, om := d2(b[i+1:i+3]), d2(b[i+4:i+6])
		if oh < 0 || oh > 23 || om < 0 || om > 59 {
			return time.Time{}, false
		}
		off = oh*3600 + om*60
		if b[i] == '-' {
			off = -off
		}
		i += 6
	default:
		return time.Time{}, false
	}
	if i != len(b) {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	if off != 0 {
		t = t.Add(-time.Duration(off) * time.Second)
	}
	return t, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
