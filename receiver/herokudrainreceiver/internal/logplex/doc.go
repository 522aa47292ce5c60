// Package logplex reads the body of a Logplex HTTPS drain POST
// (Content-Type application/logplex-1) frame by frame, in bounded memory and
// without copying. It uses only the standard library.
//
// # Wire format
//
//	body  = *frame
//	frame = MSG-LEN SP SYSLOG-MSG        ; RFC 6587 octet counting
//	SYSLOG-MSG = <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP [SD SP] MSG
//
// MSG-LEN counts bytes and includes a trailing LF when there is one; frames
// without one (L10 lines, split chunks) are followed directly by the next
// length. The scanner never splits on LF and strips at most one trailing LF
// from Message. Logplex sends no SD field at all (not even "-"); see SDMode.
//
// # API
//
//	s := logplex.NewScanner(body, logplex.Options{})   // zero Options: Logplex
//	for s.Scan() {
//		f := s.Frame()   // valid until the next Scan; f.Err != nil for a bad frame
//	}
//	if err := s.Err(); err != nil { ... }   // read errors only
//	st := s.Stats()
//
// Scan returns every frame, good or bad. A bad frame has Err set to a
// *FrameError whose Kind is one of ErrBadLength, ErrLengthMismatch,
// ErrFrameTooLong, ErrTruncated, ErrUnframed (framing) or ErrBadPRI,
// ErrBadVersion, ErrBadTimestamp, ErrBadSD, ErrBadHeader (header; all match
// ErrBadHeader), and Raw holding its bytes, so the caller can keep it as a
// flagged raw record. Invalid UTF-8 is not an error: see Frame.ValidUTF8.
// Every byte of the body ends up in a Raw, a length prefix, skipped
// whitespace or a frame's Discarded count (see Stats).
//
// # Memory
//
// The buffer grows on demand up to 2*MaxFrameSize plus a few hundred bytes,
// whatever the body or a declared length says. A frame longer than
// MaxFrameSize keeps its first MaxFrameSize bytes (Truncated, Discarded,
// ErrFrameTooLong) and the rest is read and dropped in place. Good frames
// cost no allocation; a bad one allocates its *FrameError.
//
// # Framing and resynchronisation rules
//
//  1. Whitespace (SP, HT, CR, LF) between frames is skipped and counted
//     (Stats.SkippedBytes); it never flags a frame.
//  2. A frame starts with 1-9 digits and SP. "0 " not followed by "<" is an
//     empty ErrBadLength frame. A line starting with "<" has no prefix: it is
//     taken up to its LF as ErrUnframed, header parsed (an unframed body of
//     syslog lines therefore yields one frame per line). Anything else (a
//     non-numeric, negative, zero or over-long length, digits glued to "<")
//     is ErrBadLength; a short bad prefix followed by " <" is set aside as a
//     prefix so the header still parses.
//  3. After the declared N bytes the length is accepted if the frame ends
//     in LF (a miscounted length almost never lands on one, so junk after a
//     good frame does not cost it), or if what follows (after whitespace)
//     is the end of the body or looks like a frame start: a short token
//     then " <" (this covers bad prefixes, so a bad frame after a good one
//     does not cost the good one), digits glued to "<", or "<" after an LF.
//     When the frame ends in a digit and the next prefix starts with one,
//     the next frame's own end is checked too (a length one too long would
//     otherwise eat the next prefix's first digit). Otherwise the length
//     was wrong.
//  4. Resynchronising (a wrong or bad length, or a body that ends early)
//     searches from just after the prefix for the next plausible frame
//     start: "LEN SP <PRI>VER SP" with LEN 1-9 digits and no leading zero,
//     or "<PRI>VER SP" right after an LF. If the digits before SP could be
//     split several ways (a message without LF ending in a digit), the
//     split whose own declared end is plausible wins. The bytes in between
//     become one bad frame (ErrLengthMismatch, ErrBadLength or ErrTruncated),
//     header parsed if it parses, and scanning resumes at the start found.
//  5. If no start is found within MaxFrameSize: at the end of the body the
//     rest becomes the bad frame; with a valid length the declared frame is
//     kept (flagged) and the next Scan handles what follows; after a bad
//     prefix the first MaxFrameSize bytes are kept and the rest is dropped
//     up to the next start.
//  6. A declared length above MaxFrameSize is checked the same way over the
//     first MaxFrameSize bytes before the excess is dropped, so a garbage
//     9-digit length cannot swallow the good frames after it.
//
// Decisions look only at a fixed window after the frame (at most
// 2*MaxFrameSize+176 bytes), never at whatever happens to be buffered, so
// results do not depend on how the reader chunks the body.
//
// A declared length too long by exactly whole frames, or a message that
// itself contains "LEN <PRI>1 " text, can still fool these rules; that costs
// at most the frames involved, never the rest of the body.
package logplex
