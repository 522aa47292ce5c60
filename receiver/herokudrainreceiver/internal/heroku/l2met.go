package heroku

import "bytes"

// l2met measurements in app output (docs/heroku-formats.md, "l2met measurements"):
//
//	source=checkout count#orders.placed measure#db.latency=12.5ms sample#queue.depth=42 unique#user=u123
//	measure.api.latency=200ms        (l2met v1)
//	measure=api.latency val=200      (older still)

// L2metKind is the aggregation an l2met prefix asks for.
type L2metKind uint8

// l2met prefixes.
const (
	// L2metCount (count#) is summed per interval: a counter increment.
	L2metCount L2metKind = iota + 1
	// L2metMeasure (measure#, measure.) is a distribution of values.
	L2metMeasure
	// L2metSample (sample#) keeps the last value: a gauge.
	L2metSample
	// L2metUnique (unique#) counts distinct string values (Librato).
	L2metUnique
)

// Measurement is one l2met measurement. Its byte fields alias the message.
type Measurement struct {
	Kind L2metKind
	// Name is the metric name as logged, after the prefix ("db.latency").
	Name []byte
	// Value is the number as logged, before unit conversion (see
	// Normalized). A bare count#name, or count#name=, is 1, as in l2met.
	// Zero for L2metUnique.
	Value float64
	// Unit is the unit suffix as logged ("ms"), nil when absent.
	Unit []byte
	// Text is the value of a unique# measurement; nil otherwise.
	Text []byte
}

// Normalized returns Value converted with the unit table (12ms → 0.012 s)
// and the UCUM unit. For a suffix not in the table it returns Value, ""
// and false; the caller keeps Unit as the metric's unit, which UCUM would
// write as an annotation ("{req}").
func (m *Measurement) Normalized() (float64, string, bool) {
	return Normalize(m.Value, m.Unit)
}

// ParseL2met appends the l2met measurements of an app message to dst and
// returns the extended slice plus the line's source= value (nil if none).
// It appends nothing, without tokenizing, when the message contains
// neither '#' nor "measure", which is what almost every app line looks
// like. Reusing dst across lines (dst[:0]) makes it allocation-free.
//
// Pairs that do not parse are skipped, not fatal: measure#x=abc, an empty
// name, or a unique# with no value. Unlike l2met, an empty value means 1
// only for count#: an empty measure# or sample# is more likely a bug than
// a deliberate "1", and negative numbers are accepted (see ParseSample).
func ParseL2met(msg []byte, dst []Measurement) (ms []Measurement, source []byte) {
	if bytes.IndexByte(msg, '#') < 0 && !bytes.Contains(msg, []byte("measure")) {
		return dst, nil
	}
	var legacyName []byte // from measure=<name>, waiting for val=
	for {
		key, val, _, rest, ok := NextKV(msg)
		if !ok {
			break
		}
		msg = rest
		var m Measurement
		switch {
		case string(key) == "source":
			source = val
			continue
		case string(key) == "measure":
			legacyName = val
			continue
		case string(key) == "val":
			if len(legacyName) == 0 {
				continue
			}
			m.Kind, m.Name = L2metMeasure, legacyName
			legacyName = nil
		default:
			m.Kind, m.Name = l2metKey(key)
			if m.Kind == 0 || len(m.Name) == 0 {
				continue
			}
		}
		switch {
		case m.Kind == L2metUnique:
			if len(val) == 0 {
				continue
			}
			m.Text = val
		case len(val) == 0 && m.Kind == L2metCount:
			m.Value = 1
		default:
			v, unit, ok := ParseSample(val)
			if !ok {
				continue
			}
			m.Value, m.Unit = v, unit
		}
		dst = append(dst, m)
	}
	return dst, source
}

// l2metKey splits a key into its l2met prefix and the metric name.
func l2metKey(key []byte) (L2metKind, []byte) {
	i := bytes.IndexByte(key, '#')
	if i < 0 {
		if len(key) > len("measure.") && string(key[:len("measure.")]) == "measure." {
			return L2metMeasure, key[len("measure."):]
		}
		return 0, nil
	}
	name := key[i+1:]
	switch string(key[:i]) {
	case "count":
		return L2metCount, name
	case "measure":
		return L2metMeasure, name
	case "sample":
		return L2metSample, name
	case "unique":
		return L2metUnique, name
	}
	return 0, nil
}
