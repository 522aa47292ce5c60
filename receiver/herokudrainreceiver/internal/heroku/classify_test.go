package heroku

import "testing"

func TestClassifyRoutesEachLineToItsParser(t *testing.T) {
	// One line per source of reference §1.3/§1.4, quoted from the reference
	// where it gives the text.
	tests := []struct {
		name      string
		app, proc string
		msg       string
		kind      LineKind
		comp      Component
		code      string
		severity  Severity
	}{
		{"router request", "heroku", "router",
			`at=info method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`,
			KindRouter, ComponentRouter, "", SeverityInfo},
		{"router error carries its code", "heroku", "router",
			`at=error code=H12 desc="Request timeout" method=GET path="/" host=example.herokuapp.com fwd="1.2.3.4" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0 protocol=https`,
			KindRouter, ComponentRouter, "H12", SeverityError},
		{"legacy 2010 router error", "heroku", "router",
			`Error H12 (Request timeout) -> GET host/path dyno=web.1 queue=0 wait=0ms service=0ms bytes=0`,
			KindRouter, ComponentRouter, "H12", SeverityError},
		{"unrecognised router text is platform info", "heroku", "router", "something new",
			KindAppLine, ComponentRouter, "", SeverityInfo},
		{"dyno state change", "heroku", "web.1", "State changed from starting to crashed",
			KindDynoEvent, ComponentDyno, "", SeverityError},
		{"dyno R14", "heroku", "web.1", "Error R14 (Memory quota exceeded)",
			KindDynoEvent, ComponentDyno, "R14", SeverityWarn},
		{"one-off dyno event", "heroku", "run.2660", "Client connection closed. Sending SIGHUP to all processes",
			KindDynoEvent, ComponentDyno, "", SeverityInfo},
		{"Fir dyno name", "heroku", "web-abc-123", "Restarting",
			KindDynoEvent, ComponentDyno, "", SeverityInfo},
		{"runtime memory metrics", "heroku", "web.1",
			"source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages",
			KindRuntimeMetrics, ComponentDyno, "", SeverityInfo},
		{"runtime load metrics", "heroku", "web.1",
			"source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99",
			KindRuntimeMetrics, ComponentDyno, "", SeverityInfo},
		{"unrecognised dyno text is platform info, not PRI's emerg", "heroku", "web.1", "Something Heroku added later",
			KindAppLine, ComponentDyno, "", SeverityInfo},
		{"L10 in the drain", "heroku", "logplex",
			"Error L10 (output buffer overflow): 120 messages dropped since 2025-03-14T10:00:00+00:00.",
			KindLogplexError, ComponentLogplex, "L10", SeverityWarn},
		{"L14 stops a syslog drain", "heroku", "logplex",
			`Error L14 (certificate validation): error="bad certificate" uri="syslog+tls://logs.example.com:6514/"`,
			KindLogplexError, ComponentLogplex, "L14", SeverityError},
		{"L12 from log-shuttle", "app", "log-shuttle", "Error L12: 222 messages dropped since 2025-03-14T10:00:00+00:00.",
			KindLogplexError, ComponentLogShuttle, "L12", SeverityWarn},
		{"L13 from log-shuttle", "app", "log-shuttle", "Error L13: 5 messages lost since 2025-03-14T10:00:00+00:00",
			KindLogplexError, ComponentLogShuttle, "L13", SeverityWarn},
		{"api deploy", "app", "api", "Deploy 954ab531 by user user@example.com",
			KindAPIEvent, ComponentAPI, "", SeverityInfo},
		{"api build failure", "app", "api", "Build failed -- check your build output: https://dashboard.heroku.com/apps/a/activity/builds/b",
			KindAPIEvent, ComponentAPI, "", SeverityError},
		{"postgres metrics", "app", "heroku-postgres",
			"source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes sample#tables=67 sample#active-connections=41",
			KindAddonMetrics, ComponentPostgres, "", SeverityInfo},
		{"redis metrics", "app", "heroku-redis",
			"source=REDIS addon=redis-metric-98068 sample#active-connections=404 sample#load-avg-1m=0.115 sample#hit-rate=0.7 sample#evicted-keys=0",
			KindAddonMetrics, ComponentRedis, "", SeverityInfo},
		{"postgres attachment update is an api event", "app", "heroku-postgres", "Update DATABASE by user user@example.com",
			KindAPIEvent, ComponentPostgres, "", SeverityInfo},
		{"other postgres add-on text", "app", "heroku-postgres", "Maintenance window starting",
			KindAddonLog, ComponentPostgres, "", SeverityUnset},
		{"postgres server log", "app", "postgres.1262692", "[DATABASE] [9-1]  sql_error_code = 00000 LOG:  checkpoint starting: time",
			KindAddonLog, ComponentPostgres, "", SeverityInfo},
		{"app output without a level", "app", "web.1", "Listening on port 5000",
			KindAppLine, ComponentApp, "", SeverityUnset},
		{"app output with a level", "app", "web.1", "[2024-03-15 12:10:39 +0000] [4] [ERROR] Worker failed to boot.",
			KindAppLine, ComponentApp, "", SeverityError},
		{"l2met measurement is app output", "app", "web.1", "source=api measure#db.latency=12ms count#requests=1",
			KindAppLine, ComponentApp, "", SeverityUnset},
		{"R13 in the app channel is a dyno event", "app", "run.1234", "Error R13 (Attach error) -> Failed to attach to process",
			KindDynoEvent, ComponentDyno, "R13", SeverityError},
		{"unknown app name is app output", "other", "x", "warn: careful",
			KindAppLine, ComponentApp, "", SeverityWarn},
	}
	var l Line
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := []byte(tt.msg)
			Classify([]byte(tt.app), []byte(tt.proc), msg, &l)
			if l.Kind != tt.kind || l.Component != tt.comp || l.Code.String() != tt.code || l.Severity != tt.severity {
				t.Errorf("Classify(%s %s %q) = %v %v %q %v, want %v %v %q %v", tt.app, tt.proc, tt.msg,
					l.Kind, l.Component, l.Code, l.Severity, tt.kind, tt.comp, tt.code, tt.severity)
			}
			if string(l.Msg) != tt.msg {
				t.Errorf("Msg = %q", l.Msg)
			}
		})
	}
}

func TestClassifyFillsTheMatchingStruct(t *testing.T) {
	var l Line
	Classify([]byte("heroku"), []byte("router"), []byte(`at=info method=GET path="/a?b=1" host=h status=200`), &l)
	if string(l.Router.Path) != "/a" || l.Router.Status != 200 {
		t.Errorf("router = %+v", l.Router)
	}
	Classify([]byte("heroku"), []byte("web.1"), []byte("State changed from starting to up"), &l)
	if l.Dyno.Launch() != LaunchSuccessful {
		t.Errorf("dyno = %+v", l.Dyno)
	}
	Classify([]byte("app"), []byte("api"), []byte("Release v6 created by user user@example.com"), &l)
	if l.API.VersionNum != 6 || string(l.API.User) != "user@example.com" {
		t.Errorf("api = %+v", l.API)
	}
	Classify([]byte("heroku"), []byte("web.1"), []byte("source=web.1 sample#load_avg_1m=2.46"), &l)
	if v, ok := l.Runtime.Get(RuntimeLoadAvg1m); !ok || v != 2.46 {
		t.Errorf("runtime = %+v", l.Runtime)
	}
	Classify([]byte("app"), []byte("heroku-redis"), []byte("source=REDIS sample#hit-rate=0.7"), &l)
	if l.Addon.Service != AddonRedis || len(l.Addon.Samples) != 1 {
		t.Errorf("addon = %+v", l.Addon)
	}
	Classify([]byte("heroku"), []byte("logplex"), []byte("Error L10 (output buffer overflow): 120 messages dropped since 2025-03-14T10:00:00+00:00."), &l)
	if !l.Logplex.HasCount || l.Logplex.Count != 120 {
		t.Errorf("logplex = %+v", l.Logplex)
	}
	Classify([]byte("app"), []byte("web.1"), []byte("source=api measure#db.latency=12ms count#requests"), &l)
	if len(l.Measurements) != 2 || string(l.MetricSource) != "api" || string(l.Measurements[0].Name) != "db.latency" {
		t.Errorf("l2met = %+v source %q", l.Measurements, l.MetricSource)
	}
	Classify([]byte("app"), []byte("web.1"), []byte("plain text"), &l)
	if len(l.Measurements) != 0 || l.MetricSource != nil {
		t.Errorf("stale l2met = %+v source %q", l.Measurements, l.MetricSource)
	}
}

func TestComponentAndKindNames(t *testing.T) {
	comps := map[Component]string{ComponentRouter: "router", ComponentDyno: "dyno", ComponentAPI: "api", ComponentLogplex: "logplex",
		ComponentLogShuttle: "log-shuttle", ComponentApp: "app", ComponentPostgres: "postgres", ComponentRedis: "redis", ComponentUnknown: ""}
	for c, want := range comps {
		if c.String() != want {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), want)
		}
	}
	if KindRouter.String() != "router" || KindAppLine.String() != "app" || LineKind(99).String() != "unknown" {
		t.Error("kind names")
	}
}

var (
	benchRouter = []byte(`at=info method=GET path="/api/v1/items?page=2" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd="138.68.186.89, 10.0.0.1" dyno=web.1 connect=0ms service=23ms status=200 bytes=1534 protocol=http2.0 tls=true tls_version=tls1.3`)
	benchApp    = []byte(`I, [2024-03-15T12:10:39.123456 #12]  INFO -- : [6903a168-b79b-ec27-03c8-b8f64d8d8792] Completed 200 OK in 21ms (Views: 10.2ms | ActiveRecord: 4.1ms | Allocations: 5124)`)
	benchDyno   = []byte(`State changed from starting to up`)
)

func BenchmarkClassifyRouter(b *testing.B) {
	benchClassify(b, "heroku", "router", benchRouter, KindRouter)
}

func BenchmarkClassifyAppLine(b *testing.B) {
	benchClassify(b, "app", "web.1", benchApp, KindAppLine)
}

func BenchmarkClassifyDyno(b *testing.B) {
	benchClassify(b, "heroku", "web.1", benchDyno, KindDynoEvent)
}

func benchClassify(b *testing.B, app, proc string, msg []byte, want LineKind) {
	appB, procB := []byte(app), []byte(proc)
	var l Line
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		Classify(appB, procB, msg, &l)
	}
	if l.Kind != want {
		b.Fatalf("kind = %v, want %v", l.Kind, want)
	}
}

func TestClassifyDoesNotAllocate(t *testing.T) {
	for _, c := range []struct {
		app, proc string
		msg       []byte
	}{{"heroku", "router", benchRouter}, {"app", "web.1", benchApp}, {"heroku", "web.1", benchDyno},
		{"app", "api", []byte("Scaled to web@2:Standard-1X worker@1:Standard-2X by user user@example.com")}} {
		app, proc := []byte(c.app), []byte(c.proc)
		var l Line
		if n := testing.AllocsPerRun(100, func() { Classify(app, proc, c.msg, &l) }); n != 0 {
			t.Errorf("%s %s: allocs = %v", c.app, c.proc, n)
		}
	}
}

func FuzzClassify(f *testing.F) {
	seeds := []struct{ app, proc, msg string }{
		{"heroku", "router", string(benchRouter)},
		{"heroku", "router", "Error H12 (Request timeout) -> GET host/path dyno=web.1"},
		{"heroku", "web.1", "State changed from up to crashed"},
		{"heroku", "web.1", "source=web.1 sample#load_avg_1m=2.46"},
		{"heroku", "logplex", "Error L10 (output buffer overflow): 1 messages dropped since T."},
		{"app", "api", "Scaled to web@2:Standard-1X by user x"},
		{"app", "heroku-postgres", "source=DATABASE sample#db_size=1bytes"},
		{"app", "postgres.1", "[DATABASE] [9-1]  sql_error_code = 00000 LOG:  x"},
		{"app", "web.1", string(benchApp)},
		{"app", "log-shuttle", "Error L12: 2 messages dropped since T."},
	}
	for _, s := range seeds {
		f.Add([]byte(s.app), []byte(s.proc), []byte(s.msg))
	}
	f.Fuzz(func(t *testing.T, app, proc, msg []byte) {
		var l Line
		Classify(app, proc, msg, &l)
		if l.Kind > KindAddonLog || l.Component > ComponentRedis || l.Severity > SeverityFatal {
			t.Fatalf("out of range: %+v", l)
		}
		if !within(l.Msg, msg) || len(l.Msg) != len(msg) {
			t.Fatal("Msg is not the input")
		}
		var fields [][]byte
		switch l.Kind {
		case KindRouter:
			r := &l.Router
			fields = [][]byte{r.Sock, r.At, r.Desc, r.Cause, r.Method, r.Path, r.Query, r.Host, r.RequestID, r.Fwd, r.ClientIP, r.Dyno, r.Protocol, r.TLSVersion, r.Agent}
		case KindDynoEvent:
			d := &l.Dyno
			fields = [][]byte{d.From, d.To, d.Command, d.User, d.Signal, d.CodeName, d.Detail}
		case KindAPIEvent:
			a := &l.API
			fields = [][]byte{a.User, a.Version, a.Commit, a.Formation, a.BuildURL, a.ConfigVars, a.Attachment, a.Addon, a.Stack, a.Detail}
		case KindRuntimeMetrics:
			fields = [][]byte{l.Runtime.Source, l.Runtime.DynoID}
		case KindAddonMetrics:
			fields = [][]byte{l.Addon.Source, l.Addon.Addon}
			for _, s := range l.Addon.Samples {
				fields = append(fields, s.Key, s.RawUnit)
			}
		case KindLogplexError:
			if l.Code.Letter() != 'L' || l.Logplex.Code != l.Code {
				t.Fatalf("logplex error with code %v", l.Code)
			}
			fields = [][]byte{l.Logplex.Title, l.Logplex.Since, l.Logplex.Detail}
		case KindAppLine:
			fields = [][]byte{l.MetricSource}
			for _, m := range l.Measurements {
				fields = append(fields, m.Name, m.Unit, m.Text)
			}
		}
		for _, b := range fields {
			if !within(b, msg) {
				t.Fatalf("field %q not within input %q", b, msg)
			}
		}
		if l.Code != 0 && (l.Code.Letter() == 0 || l.Code.String() == "") {
			t.Fatalf("bad code %v", l.Code)
		}
	})
}
