package heroku

// Small byte helpers shared by the platform-line parsers. They work on
// subslices and never allocate.

// hasPrefixStr is bytes.HasPrefix against a string constant without a conversion.
func hasPrefixStr(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// hasSuffixStr is bytes.HasSuffix against a string constant.
func hasSuffixStr(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// indexStr is bytes.Index against a string constant.
func indexStr(b []byte, s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	for i := 0; i+n <= len(b); i++ {
		if b[i] == s[0] && string(b[i:i+n]) == s {
			return i
		}
	}
	return -1
}

// lastIndexStr is bytes.LastIndex against a string constant.
func lastIndexStr(b []byte, s string) int {
	n := len(s)
	for i := len(b) - n; i >= 0; i-- {
		if b[i] == s[0] && string(b[i:i+n]) == s {
			return i
		}
	}
	return -1
}

// trimSpaceASCII trims spaces, tabs and CR from both ends.
func trimSpaceASCII(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// firstWord returns b up to the first space (all of b if none).
func firstWord(b []byte) []byte {
	for i, c := range b {
		if c == ' ' {
			return b[:i]
		}
	}
	return b
}

// leadingUint parses the decimal digits at the start of b. n is the number
// of digits consumed; ok is false if there are none or the value overflows.
func leadingUint(b []byte) (v int, n int, ok bool) {
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		if v > (1<<53)/10 {
			return 0, n, false
		}
		v = v*10 + int(b[n]-'0')
		n++
	}
	return v, n, n > 0
}

// wholeUint parses b as an unsigned decimal with nothing else in it.
func wholeUint(b []byte) (int, bool) {
	v, n, ok := leadingUint(b)
	return v, ok && n == len(b)
}

// leadingDecimal parses "123", "123.45" or ".5" at the start of b. The
// fraction is divided once by a power of ten so "115.2" reads as 115.2.
func leadingDecimal(b []byte) (v float64, n int, ok bool) {
	ip, n, okInt := leadingUint(b)
	v = float64(ip)
	if n < len(b) && b[n] == '.' {
		m := n + 1
		frac, k := 0, 0
		for m < len(b) && b[m] >= '0' && b[m] <= '9' {
			if k < len(pow10)-1 {
				frac = frac*10 + int(b[m]-'0')
				k++
			}
			m++
		}
		if m > n+1 {
			return v + float64(frac)/pow10[k], m, true
		}
	}
	return v, n, okInt
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// equalFoldASCII compares b with a lower-case ASCII string, ignoring case.
func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
