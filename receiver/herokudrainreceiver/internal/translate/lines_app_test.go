package translate

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// app frames a line of app output from procid, with log-shuttle's PRI 190.
func app(procID, msg string) string {
	return "<190>1 2024-03-15T09:26:53.589793+00:00 host app " + procID + " - " + msg
}

func TestAppLines(t *testing.T) {
	onlyDyno := append([]string{attrHTTPMethod, AttrDynoID, AttrL2metSource}, noErr...)
	runLineCases(t, []lineCase{
		{
			name:     "output of web.1 names the dyno and its type",
			line:     app("web.1", "Started GET \"/\" for 1.2.3.4 at 2024-03-15 09:26:53 +0000"),
			want:     map[string]any{AttrComponent: "app", AttrDynoName: "web.1", AttrDynoType: "web"},
			absent:   onlyDyno,
			severity: plog.SeverityNumberInfo,
		},
		{
			name: "worker.2",
			line: app("worker.2", "Processing job 42"),
			want: map[string]any{AttrDynoName: "worker.2", AttrDynoType: "worker"},
		},
		{
			name: "a one-off run.1234",
			line: app("run.1234", "Running migrations"),
			want: map[string]any{AttrDynoName: "run.1234", AttrDynoType: "run"},
		},
		{
			name: "scheduler.2077",
			line: app("scheduler.2077", "rake cleanup done"),
			want: map[string]any{AttrDynoName: "scheduler.2077", AttrDynoType: "scheduler"},
		},
		{
			name: "release.4821",
			line: app("release.4821", "Migrating to AddIndex (20240315)"),
			want: map[string]any{AttrDynoName: "release.4821", AttrDynoType: "release"},
		},
		{
			name: "clock.1",
			line: app("clock.1", "Triggering job: nightly"),
			want: map[string]any{AttrDynoName: "clock.1", AttrDynoType: "clock"},
		},
		{
			name:     "an l2met line keeps only the dyno: measurements become metrics",
			line:     app("web.1", "source=web.1 count#user.signup=1 measure#db.query=12.5ms sample#queue.depth=3 unique#user=bob"),
			want:     map[string]any{AttrDynoName: "web.1", AttrDynoType: "web"},
			absent:   append([]string{"count#user.signup", "user.signup", "db.query"}, onlyDyno...),
			severity: plog.SeverityNumberInfo,
		},
		{
			name:     "a level the app wrote beats PRI 190",
			line:     app("web.1", "E, [2024-03-15T09:26:53.589793 #12] ERROR -- : PG::ConnectionBad"),
			want:     map[string]any{AttrDynoName: "web.1"},
			severity: plog.SeverityNumberError,
		},
		{
			name:     "a gunicorn worker failure is an error on the worker's dyno",
			line:     app("web.2", "[2024-03-15 09:26:53 +0000] [4] [ERROR] Worker failed to boot."),
			want:     map[string]any{AttrDynoName: "web.2", AttrDynoType: "web"},
			severity: plog.SeverityNumberError,
		},
		{
			name:   "a Fir-style procid is not read as a dyno",
			line:   app("web-58b8d8b8f5-xv9r2", "hello"),
			want:   map[string]any{AttrComponent: "app"},
			absent: []string{AttrDynoName, AttrDynoType},
		},
		{
			name:     "unrecognised platform text from a dyno is info with the dyno named",
			line:     dyno("web.1", "Something the dyno manager never said before"),
			want:     map[string]any{AttrComponent: "dyno", AttrDynoName: "web.1", AttrDynoType: "web"},
			severity: plog.SeverityNumberInfo,
		},
		{
			name:   "unrecognised router text names no dyno",
			line:   router("this is not a router line"),
			want:   map[string]any{AttrComponent: "router"},
			absent: []string{AttrDynoName, attrHTTPMethod},
		},
	})
}
