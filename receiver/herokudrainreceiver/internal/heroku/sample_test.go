package heroku

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseSampleReadsHerokuValues(t *testing.T) {
	tests := []struct {
		in   string
		v    float64
		unit string
	}{
		// Values exactly as Heroku writes them (docs/heroku-formats.md, runtime,
		// Postgres and Redis metrics).
		{"21.00MB", 21, "MB"},
		{"180.43MB", 180.43, "MB"},
		{"0.00MB", 0, "MB"},
		{"512.00MB", 512, "MB"},
		{"348836pages", 348836, "pages"},
		{"16012956319bytes", 16012956319, "bytes"},
		{"147391814791bytes", 147391814791, "bytes"},
		{"8945836.0bytes", 8945836, "bytes"},
		{"15405636.0kB", 15405636, "kB"},
		{"31328356kB", 31328356, "kB"},
		{"343477584bytes", 343477584, "bytes"},
		{"0.9239", 0.9239, ""},
		{"0.07767112123673295", 0.07767112123673295, ""},
		{"11618849366", 11618849366, ""},
		{"4171563.0", 4171563, ""},
		{"542765056", 542765056, ""},
		{"2.46", 2.46, ""},
		{"0", 0, ""},
		// Timings and l2met app values.
		{"12ms", 12, "ms"},
		{"3.5s", 3.5, "s"},
		{"30000ms", 30000, "ms"},
		{"42req/s", 42, "req/s"},
		{"99.5%", 99.5, "%"},
		// Sign, exponent and the odd spellings we decided to accept.
		{"-3", -3, ""},
		{"+3", 3, ""},
		{"-0.5ms", -0.5, "ms"},
		{"1e3", 1000, ""},
		{"2.5E-3s", 0.0025, "s"},
		{"1e+2bytes", 100, "bytes"},
		{"5eggs", 5, "eggs"},
		{"5e", 5, "e"},
		{".5", 0.5, ""},
		{"5.", 5, ""},
		{"-0", 0, ""},
		{"007", 7, ""},
		{"1e-999", 0, ""}, // underflow rounds to zero, as in strconv
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, unit, ok := ParseSample([]byte(tt.in))
			if !ok {
				t.Fatalf("ParseSample(%q) not ok", tt.in)
			}
			if v != tt.v || string(unit) != tt.unit {
				t.Errorf("ParseSample(%q) = %v %q, want %v %q", tt.in, v, unit, tt.v, tt.unit)
			}
		})
	}
}

func TestParseSampleRejectsNonNumbers(t *testing.T) {
	for _, in := range []string{
		"", "-", "+", ".", "MB", "abc", "NaN", "Inf", "-Inf", "1.2.3", "12 ms", "12ms!", "1,5",
		"0x1F", "1_000", "1e999", "-1e999", "3µs",
	} {
		if v, unit, ok := ParseSample([]byte(in)); ok {
			t.Errorf("ParseSample(%q) = %v %q, want not ok", in, v, unit)
		}
	}
}

func TestParseSampleMatchesStrconvOnLongNumbers(t *testing.T) {
	for _, in := range []string{
		"12345678901234567890123", "0.123456789012345678901234", "9007199254740993",
		"123456789.123456789123", "1e23", "1e-23", "4.9e-324", "1.7976931348623157e308",
	} {
		want, err := strconv.ParseFloat(in, 64)
		if err != nil {
			t.Fatal(err)
		}
		got, unit, ok := ParseSample([]byte(in))
		if !ok || got != want || unit != nil {
			t.Errorf("ParseSample(%q) = %v %q %v, want %v", in, got, unit, ok, want)
		}
	}
}

func TestNormalizeUsesBinaryByteMultiples(t *testing.T) {
	tests := []struct {
		unit   string
		v      float64
		want   float64
		ucum   string
		wantOK bool
	}{
		{"MB", 512, 536870912, "By", true}, // a 512 MB dyno's cgroup limit
		{"MB", 21.22, 21.22 * 1048576, "By", true},
		{"kB", 31328356, 31328356 * 1024, "By", true},
		{"bytes", 16012956319, 16012956319, "By", true},
		{"B", 7, 7, "By", true},
		{"GB", 1, 1 << 30, "By", true},
		{"pages", 348836, 348836, "{page}", true},
		{"ms", 18, 0.018, "s", true},
		{"s", 3.5, 3.5, "s", true},
		{"us", 5, 5e-6, "s", true},
		{"", 0.9239, 0.9239, "1", true},
		{"%", 12, 12, "%", true},
		{"req", 4, 4, "", false},
		{"mb", 4, 4, "", false}, // case matters: Heroku never writes "mb"
	}
	for _, tt := range tests {
		got, ucum, ok := Normalize(tt.v, []byte(tt.unit))
		if math.Abs(got-tt.want) > 1e-9*math.Abs(tt.want) || ucum != tt.ucum || ok != tt.wantOK {
			t.Errorf("Normalize(%v, %q) = %v %q %v, want %v %q %v", tt.v, tt.unit, got, ucum, ok, tt.want, tt.ucum, tt.wantOK)
		}
	}
}

func TestParseSampleDoesNotAllocate(t *testing.T) {
	for _, in := range []string{"180.43MB", "0.07767112123673295", "12345678901234567890123bytes", "1e-23"} {
		b := []byte(in)
		if a := testing.AllocsPerRun(100, func() { ParseSample(b); NormalizeUnit(b) }); a != 0 {
			t.Errorf("ParseSample(%q): %v allocs", in, a)
		}
	}
}

func FuzzSample(f *testing.F) {
	for _, s := range []string{"180.43MB", "348836pages", "0.9239", "-3", "1e3", "5eggs", ".", "1e999",
		"12345678901234567890123.5kB", "0.07767112123673295", "+.e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, unit, ok := ParseSample([]byte(s))
		if !ok {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseSample(%q) = %v", s, v)
		}
		num := s[:len(s)-len(unit)]
		if !strings.HasSuffix(s, string(unit)) {
			t.Fatalf("unit %q is not a suffix of %q", unit, s)
		}
		// The numeric part must agree with strconv, allowing the forms
		// strconv reads differently ("5." and ".5" are fine for both).
		want, err := strconv.ParseFloat(num, 64)
		if err != nil {
			t.Fatalf("ParseSample(%q) ok but strconv(%q): %v", s, num, err)
		}
		if want != v {
			t.Fatalf("ParseSample(%q) = %v, strconv says %v", s, v, want)
		}
	})
}
