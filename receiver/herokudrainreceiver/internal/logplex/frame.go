package logplex

import (
	"time"
	"unicode/utf8"
)

// Frame is one SYSLOG-MSG. Its byte slices alias the Scanner's buffer and
// are valid only until the next call to Scan; copy what you keep.
type Frame struct {
	// Raw is the SYSLOG-MSG as framed, trailing LF included, at most
	// MaxFrameSize bytes (see Truncated). The length prefix is not part of it.
	Raw []byte

	Priority       int       // 0..191, or -1 when missing or out of range
	Version        int       // 1 for every known sender; 0 when missing
	Timestamp      time.Time // in UTC; zero unless TimestampValid
	TimestampValid bool      // false for "-", for a bad timestamp and when the header did not parse

	// Header fields as sent (a "-" NILVALUE is kept, except for MsgID).
	Hostname, AppName, ProcID []byte
	MsgID                     []byte // nil when "-"
	SD                        []byte // raw SD, nil when absent or "-" (see SDMode)
	// Message is MSG without one trailing LF. When the header does not parse,
	// it is the whole of Raw without that LF, so the text is never lost.
	Message []byte

	// Err is nil for a good frame. Otherwise it is a *FrameError whose Kind
	// is the framing sentinel if framing failed, else the header sentinel.
	Err error
	// HeaderErr is the header parse result alone (nil: header fields are
	// trustworthy even if Err reports a framing problem, e.g. ErrUnframed).
	HeaderErr error

	Truncated bool  // bytes of this frame were not kept (see Discarded)
	Discarded int   // bytes of this frame skipped because of MaxFrameSize
	Offset    int64 // body offset of the frame's first byte (its length prefix, if any)
}

// ValidUTF8 reports whether Raw is valid UTF-8, ignoring a rune cut off by
// truncation. The scanner never rejects invalid UTF-8; the caller decides.
func (f *Frame) ValidUTF8() bool {
	b := f.Raw
	if f.Truncated {
		// Drop an incomplete last rune (at most 3 bytes) cut by the limit.
		for i := 1; i <= 3 && i <= len(b); i++ {
			c := b[len(b)-i]
			if c < 0x80 {
				break
			}
			if c >= 0xC0 { // lead byte
				if !utf8.FullRune(b[len(b)-i:]) {
					b = b[:len(b)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// SDElements returns an iterator over the frame's structured data.
func (f *Frame) SDElements() SDIter { return NewSDIter(f.SD) }
