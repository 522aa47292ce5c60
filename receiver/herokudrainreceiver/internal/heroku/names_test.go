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
	t.Run("dyno", func(t *testing.T) {
		var names []string
		for k := DynoUnknown; k <= DynoSIGHUP; k++ {
			names = append(names, k.String())
		}
		check(t, names)
		if DynoStateChanged.String() != "state_changed" || DynoSIGHUP.String() != "sighup" {
			t.Errorf("dyno names: %v", names)
		}
		if got := DynoEventKind(200).String(); got != "unknown" {
			t.Errorf("out of range: %q", got)
		}
	})
	t.Run("api", func(t *testing.T) {
		var names []string
		for k := APIUnknown; k <= APIOther; k++ {
			names = append(names, k.String())
		}
		check(t, names)
		if APIBuildFailed.String() != "build_failed" || APIStackUpgrade.String() != "stack_upgrade" {
			t.Errorf("api names: %v", names)
		}
		if got := APIEventKind(200).String(); got != "unknown" {
			t.Errorf("out of range: %q", got)
		}
	})
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
