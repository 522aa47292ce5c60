package dedupe // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/dedupe"

import "encoding/hex"

// Key is a batch id in fixed-size form: 16 bytes decoded from hex plus the
// header it came from. Whatever a sender puts in its headers, the cache
// stores exactly this much per id.
type Key struct {
	id     [16]byte
	source Source
}

// Source is the header a Key was read from. Ids from different headers
// never match each other.
type Source uint8

const (
	// FrameID is Logplex's Logplex-Frame-Id: 32 hex digits (an MD5 of the
	// batch), the same on every retry of a batch.
	FrameID Source = iota + 1
	// RequestID is X-Request-Id as log-shuttle sends it (Shield Private
	// Spaces, where log-shuttle posts straight to the drain): a UUID made
	// once per batch and sent again on each retry of that batch.
	RequestID
)

// ParseFrameID returns the key of a Logplex-Frame-Id: exactly 32 hex
// digits, either case. Anything else is refused (ok false), so a sender
// cannot make the cache hold more than 16 bytes per id.
func ParseFrameID(s string) (k Key, ok bool) {
	if len(s) != 32 {
		return Key{}, false
	}
	if _, err := hex.Decode(k.id[:], []byte(s)); err != nil {
		return Key{}, false
	}
	k.source = FrameID
	return k, true
}

// ParseRequestID returns the key of an X-Request-Id that is a UUID in its
// canonical 8-4-4-4-12 form or 32 bare hex digits, either case; anything
// else is refused.
func ParseRequestID(s string) (k Key, ok bool) {
	switch len(s) {
	case 32:
		k, ok = ParseFrameID(s)
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return Key{}, false
		}
		k, ok = ParseFrameID(s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
	}
	if !ok {
		return Key{}, false
	}
	k.source = RequestID
	return k, true
}
