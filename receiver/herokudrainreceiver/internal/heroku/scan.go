package heroku

import (
	"bytes"
	"strconv"
)

// Small helpers shared by the platform-line parsers, for what the standard
// library does not say in one call. They work on subslices and do not
// allocate for the short fields Heroku writes.

// firstWord returns b up to the first space (all of b if none).
func firstWord(b []byte) []byte {
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		return b[:i]
	}
	return b
}

// digitRun is the number of ASCII digits at the start of b.
func digitRun(b []byte) int {
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	return n
}

// leadingUint parses the decimal digits at the start of b. n is the number
// of digits consumed; ok is false if there are none or the value does not
// fit in 53 bits (the integers a float64 metric value holds exactly).
// Unlike strconv.Atoi alone, it takes no sign.
func leadingUint(b []byte) (v int, n int, ok bool) {
	n = digitRun(b)
	if n == 0 {
		return 0, 0, false
	}
	u, err := strconv.ParseUint(string(b[:n]), 10, 53)
	if err != nil {
		return 0, n, false
	}
	return int(u), n, true
}

// wholeUint parses b as an unsigned decimal with nothing else in it.
func wholeUint(b []byte) (int, bool) {
	v, n, ok := leadingUint(b)
	return v, ok && n == len(b)
}

// leadingDecimal parses "123", "123.45" or ".5" at the start of b (no sign,
// no exponent: the forms dyno-manager lines use). A point not followed by a
// digit is not part of the number.
func leadingDecimal(b []byte) (v float64, n int, ok bool) {
	n = digitRun(b)
	if n < len(b) && b[n] == '.' {
		if f := digitRun(b[n+1:]); f > 0 {
			n += 1 + f
		}
	}
	if n == 0 {
		return 0, 0, false
	}
	v, err := strconv.ParseFloat(string(b[:n]), 64)
	return v, n, err == nil
}
