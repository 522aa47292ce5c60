package aggregate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/aggregate"

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// appendMapKey appends an encoding of m to dst that is equal for equal maps
// whatever their order: for each key in order, the key, 0, the value's type,
// the value as a string, 0. decodable says whether putAttrs can rebuild m
// from it: every value is a string, int, double, bool or empty, and no key
// or string holds a 0 byte.
func appendMapKey(dst []byte, m pcommon.Map) (_ []byte, decodable bool) {
	decodable = true
	if m.Len() == 0 {
		return dst, true
	}
	keys := make([]string, 0, m.Len())
	for k := range m.All() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, _ := m.Get(k)
		s := v.AsString()
		switch v.Type() {
		case pcommon.ValueTypeStr, pcommon.ValueTypeInt, pcommon.ValueTypeBool, pcommon.ValueTypeEmpty:
		case pcommon.ValueTypeDouble:
			decodable = decodable && sameDouble(s, v.Double())
		default:
			decodable = false
		}
		decodable = decodable && strings.IndexByte(k, 0) < 0 && strings.IndexByte(s, 0) < 0
		dst = append(dst, k...)
		dst = append(dst, 0, byte(v.Type()))
		dst = append(dst, s...)
		dst = append(dst, 0)
	}
	return dst, decodable
}

// sameDouble says whether s parses back to exactly d.
func sameDouble(s string, d float64) bool {
	p, err := strconv.ParseFloat(s, 64)
	return err == nil && (math.Float64bits(p) == math.Float64bits(d) || (math.IsNaN(p) && math.IsNaN(d)))
}

// putAttrs fills dst with the attributes of s: decoded from its key, whose
// strings it shares, or copied from s.odd.
func (s *series) putAttrs(dst pcommon.Map) {
	if s.odd != nil {
		s.odd.CopyTo(dst)
		return
	}
	dst.EnsureCapacity(strings.Count(s.key, "\x00") / 2)
	for rest := s.key; rest != ""; {
		i := strings.IndexByte(rest, 0)
		k, typ := rest[:i], pcommon.ValueType(rest[i+1])
		rest = rest[i+2:]
		i = strings.IndexByte(rest, 0)
		v := rest[:i]
		rest = rest[i+1:]
		switch typ {
		case pcommon.ValueTypeStr:
			dst.PutStr(k, v)
		case pcommon.ValueTypeInt:
			n, _ := strconv.ParseInt(v, 10, 64)
			dst.PutInt(k, n)
		case pcommon.ValueTypeDouble:
			d, _ := strconv.ParseFloat(v, 64)
			dst.PutDouble(k, d)
		case pcommon.ValueTypeBool:
			dst.PutBool(k, v == "true")
		default:
			dst.PutEmpty(k)
		}
	}
}

// cloneMap copies src into dst with strings of their own, so that dst does
// not keep src's backing memory alive.
func cloneMap(dst, src pcommon.Map) {
	dst.EnsureCapacity(src.Len())
	for k, v := range src.All() {
		k = strings.Clone(k)
		if v.Type() == pcommon.ValueTypeStr {
			dst.PutStr(k, strings.Clone(v.Str()))
			continue
		}
		v.CopyTo(dst.PutEmpty(k))
	}
}
