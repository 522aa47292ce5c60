package logplex

import (
	"errors"
	"fmt"
	"strconv"
)

// Framing errors: why the scanner could not take a frame's extent from its
// length prefix. They go in Frame.Err.
var (
	// ErrBadLength: the length prefix is not a positive decimal of at most
	// 9 digits followed by SP (non-numeric, negative, zero, too many digits,
	// missing space). The frame's extent was found by resynchronising.
	ErrBadLength = errors.New("logplex: bad length prefix")
	// ErrLengthMismatch: the prefix parsed, but the bytes after the declared
	// end are not a frame start, so the length was wrong (for example counted
	// in characters instead of bytes). The extent was found by resynchronising.
	ErrLengthMismatch = errors.New("logplex: declared length does not match the frame")
	// ErrFrameTooLong: the frame is longer than MaxFrameSize; Raw holds the
	// first MaxFrameSize bytes and the rest was skipped (Frame.Discarded).
	ErrFrameTooLong = errors.New("logplex: frame longer than MaxFrameSize")
	// ErrTruncated: the body (or the reader) ended inside the frame.
	ErrTruncated = errors.New("logplex: body ends inside a frame")
	// ErrUnframed: a syslog line with no length prefix, taken up to its LF.
	ErrUnframed = errors.New("logplex: syslog line without a length prefix")
)

// Header errors: the frame's extent is fine but the RFC 5424 header is not.
// They go in Frame.HeaderErr (and in Frame.Err when framing was fine). All of
// them match ErrBadHeader with errors.Is.
var (
	ErrBadHeader    = errors.New("logplex: malformed syslog header")
	ErrBadPRI       = fmt.Errorf("%w: bad PRI", ErrBadHeader)
	ErrBadVersion   = fmt.Errorf("%w: bad version", ErrBadHeader)
	ErrBadTimestamp = fmt.Errorf("%w: bad timestamp", ErrBadHeader)
	ErrBadSD        = fmt.Errorf("%w: bad structured data", ErrBadHeader)
)

// FrameError describes one malformed frame. It is allocated only for bad
// frames, so good frames stay allocation-free; Error() formats lazily.
type FrameError struct {
	Kind     error  // one of the sentinels above; errors.Is sees it via Unwrap
	Detail   string // short constant text
	Offset   int64  // body offset of the frame's first byte (its length prefix, if any)
	Declared int    // declared MSG-LEN, or -1 when there was none
	Actual   int    // bytes the scanner took as the frame (len(Raw)+Discarded), or -1
}

func (e *FrameError) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, e.Kind.Error()...)
	if e.Detail != "" {
		b = append(b, ": "...)
		b = append(b, e.Detail...)
	}
	b = append(b, " (offset "...)
	b = strconv.AppendInt(b, e.Offset, 10)
	if e.Declared >= 0 {
		b = append(b, ", declared "...)
		b = strconv.AppendInt(b, int64(e.Declared), 10)
	}
	if e.Actual >= 0 {
		b = append(b, ", actual "...)
		b = strconv.AppendInt(b, int64(e.Actual), 10)
	}
	b = append(b, ')')
	return string(b)
}

func (e *FrameError) Unwrap() error { return e.Kind }
