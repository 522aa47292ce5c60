package heroku

import (
	"strconv"
	"testing"
)

// Values as Heroku writes them in runtime, Postgres and Redis lines.
var benchSamples = [][]byte{
	[]byte("147391814791bytes"), []byte("0.99625"), []byte("31328356kB"), []byte("21.22MB"),
	[]byte("348836pages"), []byte("0.07767112123673295"), []byte("302.48"), []byte("11618849366"),
}

// sampleNumberStrconv is the obvious alternative to sampleNumber: the same
// grammar for the extent, strconv.ParseFloat for the value. It is the
// baseline that shows why sampleNumber converts short numbers itself.
func sampleNumberStrconv(b []byte) (float64, int, bool) {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	digits := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digits++
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		j := i + 1
		if j < len(b) && (b[j] == '-' || b[j] == '+') {
			j++
		}
		if j < len(b) && b[j] >= '0' && b[j] <= '9' {
			for j < len(b) && b[j] >= '0' && b[j] <= '9' {
				j++
			}
			i = j
		}
	}
	v, err := strconv.ParseFloat(string(b[:i]), 64)
	if err != nil {
		return 0, 0, false
	}
	return v + 0, i, true // + 0 turns -0 into 0, as sampleNumber does
}

func TestStrconvBaselineAgreesWithSampleNumber(t *testing.T) {
	for _, s := range append(benchSamples, []byte("-0"), []byte("1e3x"), []byte("5eggs"), []byte(".5"), []byte("7.")) {
		v1, n1, ok1 := sampleNumber(s)
		v2, n2, ok2 := sampleNumberStrconv(s)
		if v1 != v2 || n1 != n2 || ok1 != ok2 {
			t.Errorf("%q: sampleNumber %v %d %v, strconv baseline %v %d %v", s, v1, n1, ok1, v2, n2, ok2)
		}
	}
}

// BenchmarkParseSample compares sampleNumber with the strconv baseline on
// the values of one Postgres line; `make bench` prints the ratio.
func BenchmarkParseSample(b *testing.B) {
	for _, bc := range []struct {
		name  string
		parse func([]byte) (float64, int, bool)
	}{{"own", sampleNumber}, {"strconv", sampleNumberStrconv}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			sink := 0.0
			for b.Loop() {
				for _, s := range benchSamples {
					v, _, _ := bc.parse(s)
					sink += v
				}
			}
			_ = sink
		})
	}
}
