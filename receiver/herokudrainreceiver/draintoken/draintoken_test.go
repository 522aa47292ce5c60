package draintoken

import "testing"

func TestValid(t *testing.T) {
	tests := []struct {
		name  string
		token string
		want  bool
	}{
		{"token as heroku drains prints it", "d.fc6b856b-3332-4546-93de-7d0ee272c3bd", true},
		{"upper-case hex is the same token", "d.FC6B856B-3332-4546-93DE-7D0EE272C3BD", true},
		{"empty", "", false},
		{"uuid without the d. prefix", "fc6b856b-3332-4546-93de-7d0ee272c3bd", false},
		{"upper-case D prefix is not what Logplex sends", "D.fc6b856b-3332-4546-93de-7d0ee272c3bd", false},
		{"uuid without dashes", "d.fc6b856b3332454693de7d0ee272c3bd", false},
		{"non-hex digit", "d.gc6b856b-3332-4546-93de-7d0ee272c3bd", false},
		{"one hex digit short", "d.fc6b856b-3332-4546-93de-7d0ee272c3b", false},
		{"trailing newline from a copied shell line", "d.fc6b856b-3332-4546-93de-7d0ee272c3bd\n", false},
		{"surrounding text", "token d.fc6b856b-3332-4546-93de-7d0ee272c3bd", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Valid(tt.token); got != tt.want {
				t.Errorf("Valid(%q) = %v, want %v", tt.token, got, tt.want)
			}
		})
	}
}

func TestNormalizeMakesCaseVariantsEqual(t *testing.T) {
	a := Normalize("d.FC6B856B-3332-4546-93DE-7D0EE272C3BD")
	b := Normalize("d.fc6b856b-3332-4546-93de-7d0ee272c3bd")
	if a != b {
		t.Fatalf("Normalize: %q != %q", a, b)
	}
	if c := Normalize("d.00000000-0000-0000-0000-000000000001"); c == a {
		t.Fatalf("different tokens normalized to the same %q", c)
	}
}
