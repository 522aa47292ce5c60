package aggregate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/aggregate"

import (
	"slices"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// appendMapKey appends an encoding of m to dst that is equal for equal maps
// whatever their order.
func appendMapKey(dst []byte, m pcommon.Map) []byte {
	if m.Len() == 0 {
		return dst
	}
	keys := make([]string, 0, m.Len())
	for k := range m.All() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, _ := m.Get(k)
		dst = append(dst, k...)
		dst = append(dst, 0, byte(v.Type()))
		dst = append(dst, v.AsString()...)
		dst = append(dst, 0)
	}
	return dst
}
