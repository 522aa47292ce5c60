package logplex

// isSDName reports whether c may appear in an SD-ID or PARAM-NAME
// (PRINTUSASCII except '=', SP, ']' and '"').
func isSDName(c byte) bool {
	return c > ' ' && c < 0x7f && c != '=' && c != ']' && c != '"'
}

// scanName returns the end of an SD-NAME (1-32 chars) starting at i, or -1.
func scanName(b []byte, i int) int {
	s := i
	for i < len(b) && i-s <= 32 && isSDName(b[i]) {
		i++
	}
	if i == s || i-s > 32 {
		return -1
	}
	return i
}

// scanValue returns the index just past the closing quote of a PARAM-VALUE
// whose opening quote is at i-1, whether it holds a backslash, or -1.
func scanValue(b []byte, i int) (int, bool) {
	esc := false
	for i < len(b) {
		switch b[i] {
		case '\\':
			esc = true
			i += 2
			continue
		case '"':
			return i + 1, esc
		}
		i++
	}
	return -1, false
}

// scanSD returns the length of the RFC 5424 STRUCTURED-DATA (one or more
// SD-ELEMENTs) at the start of b, and whether there was a valid one.
func scanSD(b []byte) (int, bool) {
	i := 0
	for i < len(b) && b[i] == '[' {
		if i = scanName(b, i+1); i < 0 {
			return 0, false
		}
		for {
			if i >= len(b) {
				return 0, false
			}
			if b[i] == ']' {
				i++
				break
			}
			if b[i] != ' ' {
				return 0, false
			}
			if i = scanName(b, i+1); i < 0 || i+1 >= len(b) || b[i] != '=' || b[i+1] != '"' {
				return 0, false
			}
			if i, _ = scanValue(b, i+2); i < 0 {
				return 0, false
			}
		}
	}
	return i, i > 0
}

// SDIter walks STRUCTURED-DATA without allocating:
//
//	it := f.SDElements()
//	for it.NextElement() {
//		id := it.ID()
//		for it.NextParam() {
//			name, value := it.Name(), it.Value() // value still escaped
//			if it.NeedsUnescape() { value = logplex.AppendUnescaped(buf[:0], value) }
//		}
//	}
//
// It stops at the first malformed byte; Valid reports whether it got to the
// end cleanly.
type SDIter struct {
	b           []byte
	i           int
	inElem      bool
	bad         bool
	id          []byte
	name, value []byte
	esc         bool
}

// NewSDIter returns an iterator over sd (raw STRUCTURED-DATA, as in Frame.SD).
func NewSDIter(sd []byte) SDIter { return SDIter{b: sd} }

// NextElement advances to the next SD-ELEMENT, skipping unread params.
func (it *SDIter) NextElement() bool {
	for it.inElem {
		it.NextParam()
	}
	if it.bad || it.i >= len(it.b) || it.b[it.i] != '[' {
		if it.i < len(it.b) {
			it.bad = true
		}
		return false
	}
	e := scanName(it.b, it.i+1)
	if e < 0 {
		it.bad = true
		return false
	}
	it.id = it.b[it.i+1 : e]
	it.i = e
	it.inElem = true
	it.name, it.value, it.esc = nil, nil, false
	return true
}

// NextParam advances to the next SD-PARAM of the current element.
func (it *SDIter) NextParam() bool {
	if !it.inElem || it.bad {
		return false
	}
	b := it.b
	if it.i < len(b) && b[it.i] == ']' {
		it.i++
		it.inElem = false
		return false
	}
	if it.i >= len(b) || b[it.i] != ' ' {
		it.bad, it.inElem = true, false
		return false
	}
	e := scanName(b, it.i+1)
	if e < 0 || e+1 >= len(b) || b[e] != '=' || b[e+1] != '"' {
		it.bad, it.inElem = true, false
		return false
	}
	end, esc := scanValue(b, e+2)
	if end < 0 {
		it.bad, it.inElem = true, false
		return false
	}
	it.name, it.value, it.esc = b[it.i+1:e], b[e+2:end-1], esc
	it.i = end
	return true
}

// ID is the current element's SD-ID.
func (it *SDIter) ID() []byte { return it.id }

// Name is the current param's PARAM-NAME.
func (it *SDIter) Name() []byte { return it.name }

// Value is the current param's PARAM-VALUE as sent (escapes intact).
func (it *SDIter) Value() []byte { return it.value }

// NeedsUnescape reports whether Value holds a backslash.
func (it *SDIter) NeedsUnescape() bool { return it.esc }

// Valid reports whether iteration has not hit malformed SD so far.
func (it *SDIter) Valid() bool { return !it.bad }

// AppendUnescaped appends v to dst with the RFC 5424 escapes \" \\ \]
// resolved; any other backslash is kept as is, as the RFC says.
func AppendUnescaped(dst, v []byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) && (v[i+1] == '"' || v[i+1] == '\\' || v[i+1] == ']') {
			i++
			c = v[i]
		}
		dst = append(dst, c)
	}
	return dst
}
