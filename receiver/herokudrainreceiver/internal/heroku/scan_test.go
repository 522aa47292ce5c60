package heroku

import "testing"

// within reports whether sub is empty or lies inside b's backing array; the
// fuzz targets use it to check that parsers only return subslices of their input.
func within(sub, b []byte) bool {
	if len(sub) == 0 {
		return true
	}
	for i := range b {
		if &b[i] == &sub[0] {
			return i+len(sub) <= len(b)
		}
	}
	return false
}

func TestLeadingDecimalReadsTheNumbersHerokuWrites(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		n    int
		ok   bool
	}{
		{"590M", 590, 3, true},
		{"115.2%", 115.2, 5, true},
		{"103.3%)", 103.3, 5, true},
		{".5", 0.5, 2, true},
		{"7.", 7, 1, true},
		{"x", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		v, n, ok := leadingDecimal([]byte(tt.in))
		if v != tt.want || n != tt.n || ok != tt.ok {
			t.Errorf("leadingDecimal(%q) = %v %d %v, want %v %d %v", tt.in, v, n, ok, tt.want, tt.n, tt.ok)
		}
	}
}
