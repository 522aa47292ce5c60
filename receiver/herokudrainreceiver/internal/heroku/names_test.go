package heroku

import "testing"

// Kind names become event names (heroku.dyno.<name>, heroku.api.<name>) and
// launch outcomes an attribute value, so they are part of the output: every
// kind has its own snake_case name, and out-of-range values fall back to
// the unknown name instead of panicking.
func TestEventKindNamesAreDistinctSnakeCase(t *testing.T) {
	check := func(t *testing.T, names []string) {
		t.Helper()
		seen := map[string]bool{}
		for _, n := range names {
			for _, c := range n {
				if (c < 'a' || c > 'z') && c != '_' {
					t.Errorf("%q is not snake_case", n)
					break
				}
			}
			if seen[n] {
				t.Errorf("%q names two kinds", n)
			}
			seen[n] = true
		}
	}
	kinds := []struct {
		name       string
		names      []string // String() of every kind, first to last
		outOfRange string
		spot       map[string]string // kind -> name
	}{
		{"dyno", kindNames(DynoUnknown, DynoSIGHUP), DynoEventKind(200).String(),
			map[string]string{DynoStateChanged.String(): "state_changed", DynoSIGHUP.String(): "sighup"}},
		{"api", kindNames(APIUnknown, APIOther), APIEventKind(200).String(),
			map[string]string{APIBuildFailed.String(): "build_failed", APIStackUpgrade.String(): "stack_upgrade"}},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			check(t, k.names)
			for got, want := range k.spot {
				if got != want {
					t.Errorf("got %q, want %q", got, want)
				}
			}
			if k.outOfRange != "unknown" {
				t.Errorf("out of range: %q, want unknown", k.outOfRange)
			}
		})
	}
	t.Run("launch", func(t *testing.T) {
		want := map[LaunchOutcome]string{LaunchNone: "", LaunchSuccessful: "successful", LaunchCompleted: "completed",
			LaunchCrashed: "crashed", LaunchStopped: "stopped", LaunchOutcome(200): ""}
		for o, w := range want {
			if got := o.String(); got != w {
				t.Errorf("LaunchOutcome(%d) = %q, want %q", o, got, w)
			}
		}
	})
}

// kindNames returns String() of every kind from first to last.
func kindNames[K interface {
	~uint8
	String() string
}](first, last K) []string {
	var names []string
	for k := first; k <= last; k++ {
		names = append(names, k.String())
	}
	return names
}
