package aggregate

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestByteBudget(t *testing.T) {
	one := func() int64 {
		a := newAgg(newClock(), nil)
		a.Add(newRequest("app").count("requests", "200", 1).md)
		return a.Bytes()
	}()
	tests := []struct {
		name string
		run  func(t *testing.T, a *Aggregator, c *clock)
	}{
		{"new series past the budget are dropped and counted; existing ones keep counting", func(t *testing.T, a *Aggregator, _ *clock) {
			r := newRequest("app")
			for i := range 50 {
				r.count("requests", strconv.Itoa(i), 1)
			}
			res := a.Add(r.md)
			assert.Positive(t, res.Dropped)
			assert.Equal(t, 50, res.Dropped+a.Len())
			assert.LessOrEqual(t, a.Bytes(), 4*one)
			assert.Equal(t, Result{}, a.Add(newRequest("app").count("requests", "0", 1).md))
		}},
		{"a new app past the budget is refused with all its points", func(t *testing.T, a *Aggregator, _ *clock) {
			for i := range 50 {
				a.Add(newRequest("app-"+strconv.Itoa(i)).count("requests", "200", 1).md)
			}
			n := a.Len()
			res := a.Add(newRequest("late-app").count("requests", "200", 1).count("errors", "", 1).md)
			assert.Equal(t, Result{Dropped: 2}, res)
			assert.Equal(t, n, a.Len())
			assert.LessOrEqual(t, a.Bytes(), 4*one)
		}},
		{"expired series give their bytes back", func(t *testing.T, a *Aggregator, c *clock) {
			r := newRequest("app")
			for i := range 50 {
				r.count("requests", strconv.Itoa(i), 1)
			}
			r.histogram("latency", 1).exponential("measure", 3, 0, 1)
			a.Add(r.md)
			require.Positive(t, a.Bytes())
			c.advance(2 * time.Hour)
			a.Collect()
			assert.Zero(t, a.Bytes())
			assert.Zero(t, a.Len())
			assert.Equal(t, Result{}, a.Add(newRequest("other").count("requests", "200", 1).md))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			tt.run(t, newAgg(c, func(s *Settings) { s.MaxBytes = 4 * one }), c)
		})
	}
}

func TestAttributesSurviveTheKey(t *testing.T) {
	tests := []struct {
		name string
		put  func(m pcommon.Map)
	}{
		{"strings, ints, doubles, bools and empty values are decoded from the key", func(m pcommon.Map) {
			m.PutStr("s", "GET")
			m.PutInt("i", -404)
			m.PutDouble("d", 0.1)
			m.PutBool("b", true)
			m.PutBool("f", false)
			m.PutEmpty("e")
		}},
		{"a string holding a NUL byte is kept as it is", func(m pcommon.Map) { m.PutStr("path", "/a\x00b") }},
		{"nested values are kept as they are", func(m pcommon.Map) {
			m.PutEmptyMap("m").PutStr("k", "v")
			m.PutEmptySlice("l").AppendEmpty().SetInt(1)
			m.PutEmptyBytes("raw").FromRaw([]byte{1, 2})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAgg(newClock(), nil)
			r := newRequest("app").count("requests", "", 1)
			want := r.ms.At(0).Sum().DataPoints().At(0).Attributes()
			tt.put(want)
			a.Add(r.md)
			got := a.Collect().Metrics.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Sum().DataPoints()
			require.Equal(t, 2, got.Len(), "zero point and value")
			assert.Equal(t, want.AsRaw(), got.At(1).Attributes().AsRaw())
		})
	}
}
