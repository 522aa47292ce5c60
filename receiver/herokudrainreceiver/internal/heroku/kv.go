package heroku

// Logfmt-style key=value tokenizing shared by every Heroku line parser.
//
// Heroku writes router lines, runtime metrics, add-on metrics and l2met
// measurements as space-separated key=value pairs, with double quotes around
// values that may hold spaces (router desc=, path=, fwd=). The tokenizer
// works on the caller's bytes and returns subslices, so it never allocates;
// escapes inside quoted values are left as they are (see AppendUnquoted).

// NextKV splits the first pair off b.
//
// Forms accepted, after skipping leading blanks (space, tab, CR, LF):
//
//	key=value          value runs to the next blank and may contain '='
//	key="a \"b\" c"    quoted: val is the text between the quotes, escapes kept raw
//	key=               empty value: val is empty but not nil
//	key                bare key (l2met count#name): val is nil
//
// A quoted value without its closing quote runs to the end of b. Bytes glued
// to a closing quote (key="a"b) are dropped up to the next blank. A token
// starting with '=' yields an empty key, which callers should skip.
// ok is false only when b holds nothing but blanks; rest is what follows the
// pair and is always shorter than b when ok is true.
func NextKV(b []byte) (key, val []byte, quoted bool, rest []byte, ok bool) {
	i := 0
	for i < len(b) && kvBlank(b[i]) {
		i++
	}
	if i == len(b) {
		return nil, nil, false, nil, false
	}
	start := i
	for i < len(b) && b[i] != '=' && !kvBlank(b[i]) {
		i++
	}
	key = b[start:i]
	if i == len(b) || b[i] != '=' {
		return key, nil, false, b[i:], true
	}
	i++ // '='
	if i < len(b) && b[i] == '"' {
		i++
		vs := i
		for i < len(b) && b[i] != '"' {
			if b[i] == '\\' && i+1 < len(b) {
				i++
			}
			i++
		}
		val = b[vs:i]
		for i < len(b) && !kvBlank(b[i]) { // closing quote and any glued bytes
			i++
		}
		return key, val, true, b[i:], true
	}
	vs := i
	for i < len(b) && !kvBlank(b[i]) {
		i++
	}
	return key, b[vs:i], false, b[i:], true
}

func kvBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// KVScanner iterates over the pairs of a line with NextKV. The zero value
// scans nothing; use Reset or NewKVScanner. It holds no allocations of its
// own, so it can live on the stack or be reused across lines.
type KVScanner struct {
	rest   []byte
	key    []byte
	val    []byte
	quoted bool
}

// NewKVScanner returns a scanner over b.
func NewKVScanner(b []byte) KVScanner { return KVScanner{rest: b} }

// Reset starts scanning b, dropping the current pair.
func (s *KVScanner) Reset(b []byte) { *s = KVScanner{rest: b} }

// Next advances to the next pair and reports whether there was one.
func (s *KVScanner) Next() bool {
	var ok bool
	s.key, s.val, s.quoted, s.rest, ok = NextKV(s.rest)
	return ok
}

// Key is the current key. It may be empty for a token that starts with '='.
func (s *KVScanner) Key() []byte { return s.key }

// Value is the current value without quotes; nil for a bare key.
func (s *KVScanner) Value() []byte { return s.val }

// AppendUnquoted appends a quoted value to dst with the escapes \" and \\
// decoded. Other backslash sequences are copied unchanged: Heroku does not
// emit them and guessing a meaning would corrupt paths such as "\d".
func AppendUnquoted(dst, val []byte) []byte {
	for i := 0; i < len(val); i++ {
		c := val[i]
		if c == '\\' && i+1 < len(val) && (val[i+1] == '"' || val[i+1] == '\\') {
			i++
			c = val[i]
		}
		dst = append(dst, c)
	}
	return dst
}
