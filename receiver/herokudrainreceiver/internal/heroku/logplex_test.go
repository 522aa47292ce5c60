package heroku

import (
	"testing"
	"time"
)

func TestParseLogplexError(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		code     string
		title    string
		count    int64
		hasCount bool
		since    string
		detail   string
		desc     string
	}{
		// A captured body, verbatim (no trailing LF, final '.').
		{"L10 from a captured drain body",
			"Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.",
			"L10", "output buffer overflow", 1, true, "2015-05-09T20:19:03+00:00",
			"1 messages dropped since 2015-05-09T20:19:03+00:00.", "Drain buffer overflow"},
		// Counts as in Logplex's test suite ("21 messages dropped"), timestamp completed.
		{"L10 with a larger count",
			"Error L10 (output buffer overflow): 21 messages dropped since 2025-03-14T10:04:11+00:00.",
			"L10", "output buffer overflow", 21, true, "2025-03-14T10:04:11+00:00",
			"21 messages dropped since 2025-03-14T10:04:11+00:00.", "Drain buffer overflow"},
		// The error-code article's form; it abbreviates T, completed here.
		{"L12 from log-shuttle with final period",
			"Error L12: 222 messages dropped since 2013-04-25T21:20:04.123456+00:00.",
			"L12", "", 222, true, "2013-04-25T21:20:04.123456+00:00",
			"222 messages dropped since 2013-04-25T21:20:04.123456+00:00.", "Local buffer overflow"},
		// The form log-shuttle writes: no period (the LF is stripped by the framer).
		{"L13 says lost, not dropped",
			"Error L13: 4 messages lost since 2013-04-25T21:20:04.123456+00:00",
			"L13", "", 4, true, "2013-04-25T21:20:04.123456+00:00",
			"4 messages lost since 2013-04-25T21:20:04.123456+00:00", "Local delivery error"},
		// The article's form, T completed.
		{"L11 puts the verb before the count",
			"L11 (Tail buffer overflow) -> This tail session dropped 1101 messages since 2012-12-05T22:02:44+00:00",
			"L11", "Tail buffer overflow", 1101, true, "2012-12-05T22:02:44+00:00",
			"This tail session dropped 1101 messages since 2012-12-05T22:02:44+00:00", "Tail buffer overflow"},
		// The article's form, the uri completed.
		{"L14 has detail pairs and no count",
			`Error L14 (certificate validation): error="bad certificate" uri="syslog+tls://logs.example.com:6514/"`,
			"L14", "certificate validation", 0, false, "",
			`error="bad certificate" uri="syslog+tls://logs.example.com:6514/"`, "Certificate validation error"},
		// L15's wording is not documented; constructed from its title.
		{"L15 with only a title",
			"Error L15 (Tail buffer temporarily unavailable)",
			"L15", "Tail buffer temporarily unavailable", 0, false, "", "", "Tail buffer temporarily unavailable"},
		{"unknown L code keeps the logged title",
			"Error L42 (new thing): 3 messages dropped since 2026-01-01T00:00:00Z",
			"L42", "new thing", 3, true, "2026-01-01T00:00:00Z",
			"3 messages dropped since 2026-01-01T00:00:00Z", "new thing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e LogplexError
			if !ParseLogplexError([]byte(tt.line), &e) {
				t.Fatal("not parsed")
			}
			if e.Code.String() != tt.code || string(e.Title) != tt.title || e.Count != tt.count || e.HasCount != tt.hasCount ||
				string(e.Since) != tt.since || string(e.Detail) != tt.detail || e.Description() != tt.desc {
				t.Errorf("got code=%s title=%q count=%d/%v since=%q detail=%q desc=%q",
					e.Code, e.Title, e.Count, e.HasCount, e.Since, e.Detail, e.Description())
			}
			if tt.since != "" {
				if _, ok := e.SinceTime(); !ok {
					t.Errorf("SinceTime(%q) failed", e.Since)
				}
			}
		})
	}
}

func TestLogplexSinceTimeIsTheFirstLoss(t *testing.T) {
	var e LogplexError
	ParseLogplexError([]byte("Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00."), &e)
	got, ok := e.SinceTime()
	if want := time.Date(2015, 5, 9, 20, 19, 3, 0, time.UTC); !ok || !got.Equal(want) {
		t.Errorf("SinceTime = %v %v, want %v", got, ok, want)
	}
}

func TestParseLogplexErrorRejectsOtherLines(t *testing.T) {
	for _, line := range []string{
		"", "Error", "Error L", "Error L1", "Error R14 (Memory quota exceeded)",
		"Error H12 (Request timeout)", "L100 something", "Error L1x: 3 messages dropped",
		"State changed from up to down", "Log L10 (output buffer overflow)",
	} {
		var e LogplexError
		if ParseLogplexError([]byte(line), &e) {
			t.Errorf("%q parsed as %+v", line, e)
		}
	}
}

func TestParseLogplexErrorWithoutSinceHasNoTime(t *testing.T) {
	var e LogplexError
	if !ParseLogplexError([]byte("Error L12: 7 messages dropped"), &e) || e.Count != 7 || e.Since != nil {
		t.Errorf("got %+v", e)
	}
	if _, ok := e.SinceTime(); ok {
		t.Error("SinceTime ok without a timestamp")
	}
}

func FuzzLogplex(f *testing.F) {
	for _, s := range []string{
		"Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.",
		"L11 (Tail buffer overflow) -> This tail session dropped 1101 messages since x",
		"Error L13: 4 messages lost since 2013-04-25T21:20:04.123456+00:00", "Error L14 (", "Error L10:  messages since .",
		"Error L12: 99999999999999999999 messages dropped",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var e LogplexError
		if !ParseLogplexError(b, &e) {
			return
		}
		if e.Code.Letter() != 'L' {
			t.Fatalf("code %s from %q", e.Code, b)
		}
		if e.Count < 0 || (!e.HasCount && e.Count != 0) {
			t.Fatalf("count %d/%v from %q", e.Count, e.HasCount, b)
		}
		e.SinceTime()
	})
}
