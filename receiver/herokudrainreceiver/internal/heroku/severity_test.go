package heroku

import "testing"

func TestAppLineSeverityFindsTheLevelTheAppWrote(t *testing.T) {
	tests := []struct {
		msg  string
		want Severity
	}{
		// Ruby Logger (Rails default)
		{"E, [2024-03-15T12:10:39.123456 #12] ERROR -- : boom", SeverityError},
		{"I, [2024-03-15T12:10:39.123456 #12]  INFO -- : Started GET \"/\"", SeverityInfo},
		{"W, [2024-03-15T12:10:39.123456 #12]  WARN -- : slow", SeverityWarn},
		{"D, [2024-03-15T12:10:39.123456 #12] DEBUG -- : sql", SeverityDebug},
		{"F, [2024-03-15T12:10:39.123456 #12] FATAL -- : dead", SeverityFatal},
		// gunicorn, as in Sumo's Application Errors panels
		{"[2021-02-15 17:11:38 +0000] [6] [INFO] Worker exiting (pid: 6)", SeverityInfo},
		{"[2024-03-15 12:10:39 +0000] [4] [ERROR] Worker failed to boot.", SeverityError},
		{"[ERROR] Worker was sent SIGTERM!", SeverityError},
		{"[warn] deprecated", SeverityWarn},
		// first word
		{"ERROR: relation \"users\" does not exist", SeverityError},
		{"ERROR:root:something failed", SeverityError},
		{"Error: Cannot find module 'express'", SeverityError},
		{"WARNING: no config", SeverityWarn},
		{"warn - slow query", SeverityWarn},
		{"INFO listening on :5000", SeverityInfo},
		{"debug: cache miss", SeverityDebug},
		{"CRITICAL: disk full", SeverityFatal},
		{"fatal error: all goroutines are asleep - deadlock!", SeverityFatal},
		// an upper-case level after a timestamp
		{"2024-03-15 12:10:39,123 ERROR app.views: boom", SeverityError},
		{"12:10:39 WARN  [main] low memory", SeverityWarn},
		// logfmt keys
		{`time=2024-03-15T12:10:39Z level=error msg="db down"`, SeverityError},
		{`at=foo severity=WARNING msg=x`, SeverityWarn},
		{`lvl="info" msg=x`, SeverityInfo},
		{`ts=1 LEVEL=Debug`, SeverityDebug},
		// JSON
		{`{"level":"error","msg":"boom"}`, SeverityError},
		{`{"time":1,"severity": "WARNING","msg":"x"}`, SeverityWarn},
		{`{"level":30,"time":1710504639123,"pid":1,"msg":"request completed"}`, SeverityInfo},
		{`{"level":50,"msg":"x"}`, SeverityError},
		{`{"level":60,"msg":"x"}`, SeverityFatal},
		// nothing to go on
		{"Listening on port 5000", SeverityUnset},
		{"user error while saving", SeverityUnset},
		{"Errors: 0", SeverityUnset},
		{"loglevel=error", SeverityUnset},
		{"Information wanted", SeverityUnset},
		{"", SeverityUnset},
		{"[", SeverityUnset},
		{`{"level":`, SeverityUnset},
	}
	for _, tt := range tests {
		if got := AppLineSeverity([]byte(tt.msg)); got != tt.want {
			t.Errorf("AppLineSeverity(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

func TestPostgresLogSeverityReadsTheServerLevel(t *testing.T) {
	tests := []struct {
		msg  string
		want Severity
	}{
		// Form of Postgres server logs (docs/heroku-formats.md, "Heroku Postgres metrics"): `[DATABASE] [9-1]  sql_error_code = … LOG: …`
		{"[DATABASE] [9-1]  sql_error_code = 00000 LOG:  checkpoint starting: time", SeverityInfo},
		{"[DATABASE] [12-1]  sql_error_code = 42P01 ERROR:  relation \"foo\" does not exist at character 15", SeverityError},
		{"[DATABASE] [12-2]  sql_error_code = 42P01 STATEMENT:  select * from foo", SeverityUnset},
		{"[DATABASE] [5-1]  sql_error_code = 57P01 FATAL:  terminating connection due to administrator command", SeverityFatal},
		{"[DATABASE] [7-1]  sql_error_code = 01000 WARNING:  there is no transaction in progress", SeverityWarn},
		{"[HEROKU_POSTGRESQL_GREEN] [3-1] LOG:  duration: 1.2 ms", SeverityInfo},
		{"[DATABASE] [9-2] continued text", SeverityUnset},
		{"[DATABASE", SeverityUnset},
	}
	for _, tt := range tests {
		if got := PostgresLogSeverity([]byte(tt.msg)); got != tt.want {
			t.Errorf("PostgresLogSeverity(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

func TestSeverityNames(t *testing.T) {
	want := []string{"", "debug", "info", "warn", "error", "fatal"}
	for i, w := range want {
		if got := Severity(i).String(); got != w {
			t.Errorf("Severity(%d) = %q, want %q", i, got, w)
		}
	}
}

func TestAppLineSeverityDoesNotAllocate(t *testing.T) {
	msg := []byte(`{"time":1,"msg":"x","level":"warn"}`)
	if n := testing.AllocsPerRun(100, func() { AppLineSeverity(msg) }); n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
