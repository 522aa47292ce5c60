package logplex

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const (
	readmeMsg  = "<174>1 2012-07-22T00:06:26+00:00 host erlang console - Hi from erlang\n"
	seedMsg    = "<40>1 2012-11-30T06:45:29+00:00 host app web.3 - State changed from starting to up"
	l10Msg     = "<172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00."
	crashedMsg = "<45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.3 - State changed from starting to crashed\n"
	routerMsg  = "<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=info method=GET path=/ host=example-app-1234567890ab.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd=\"204.204.204.204\" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 tls_version=tls1.1 protocol=http\n"
	routerErr  = "<158>1 2025-03-14T09:26:53.589793+00:00 host heroku router - at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" host=myapp.herokuapp.com request_id=1b2c fwd=\"10.0.0.1\" dyno=web.2 connect=0ms service=30000ms status=503 bytes=0 protocol=https\n"
	loadText   = "source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99"
	memText    = "source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=21.00MB sample#memory_rss=21.22MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages"
	loadMsg    = "<134>1 2023-06-01T10:00:00.123456+00:00 host heroku web.1 - " + loadText + "\n"
	memMsg     = "<134>1 2023-06-01T10:00:00.223456+00:00 host heroku web.1 - " + memText + "\n"
	pgText     = "source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes sample#tables=67 sample#active-connections=41 sample#waiting-connections=0 sample#index-cache-hit-rate=0.99625 sample#table-cache-hit-rate=0.99686 sample#load-avg-1m=0.3575 sample#load-avg-5m=0.3275 sample#load-avg-15m=0.2475 sample#read-iops=302.48 sample#write-iops=351.78 sample#tmp-disk-used=542765056 sample#tmp-disk-available=72436027392 sample#memory-total=31328356kB sample#memory-free=242328kB sample#memory-cached=29518708kB sample#memory-postgres=367856kB sample#wal-percentage-used=0.07767112123673295"
	pgMsg      = "<134>1 2022-03-24T23:59:31+00:00 host app heroku-postgres - " + pgText
	appMsg     = "<190>1 2025-03-14T09:26:53.589793+00:00 host app web.1 - Completed 200 OK in 12ms (Views: 3.1ms | ActiveRecord: 1.2ms)\n"
)

func TestReadmeBodyIsTenFramesOf70Bytes(t *testing.T) {
	if len(readmeMsg) != 70 {
		t.Fatalf("README message is %d bytes, want 70", len(readmeMsg))
	}
	body := strings.Repeat(frame(readmeMsg), 10)
	if len(body) != 730 {
		t.Fatalf("body is %d bytes, want Content-Length 730", len(body))
	}
	out, st := scan(t, body, Options{})
	if len(out) != 10 || st.Malformed != 0 || st.SkippedBytes != 0 {
		t.Fatalf("got %d frames, %d malformed, %d skipped", len(out), st.Malformed, st.SkippedBytes)
	}
	want := time.Date(2012, 7, 22, 0, 6, 26, 0, time.UTC)
	for i, g := range out {
		if g.Pri != 174 || g.Ver != 1 || !g.TS.Equal(want) || !g.TSValid || g.Host != "host" || g.App != "erlang" ||
			g.Proc != "console" || !g.MsgIDNil || !g.SDNil || g.Msg != "Hi from erlang" || g.Raw != readmeMsg {
			t.Fatalf("frame %d: %+v", i, g)
		}
		if g.Offset != int64(73*i) {
			t.Fatalf("frame %d offset %d", i, g.Offset)
		}
	}
}

func TestSeedFrameLengthIs83WithItsLF(t *testing.T) {
	// The doc line "83 <40>1 ... up" is 82 bytes of text: 83 counts its LF.
	if len(seedMsg) != 82 || !strings.HasPrefix(frame(seedMsg+"\n"), "83 ") {
		t.Fatalf("seed message is %d bytes", len(seedMsg))
	}
	out, _ := scan(t, frame(seedMsg+"\n"), Options{})
	if len(out) != 1 || out[0].Err != nil || out[0].Msg != "State changed from starting to up" || out[0].Pri != 40 || out[0].Proc != "web.3" {
		t.Fatalf("%+v", out)
	}
	// Copied without its LF, the doc line is one byte short: truncated, text kept.
	out, _ = scan(t, "83 "+seedMsg, Options{})
	if len(out) != 1 || !errors.Is(out[0].Err, ErrTruncated) || out[0].HeaderErr != nil || out[0].Msg != "State changed from starting to up" {
		t.Fatalf("%+v", out)
	}
}

func TestL10FrameWithoutLFIsFollowedDirectlyByTheNextLength(t *testing.T) {
	body := "142 <172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.98 <45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.3 - State changed from starting to crashed\n"
	if len(l10Msg) != 142 || len(crashedMsg) != 98 || body != frames(l10Msg, crashedMsg) {
		t.Fatalf("captured counts do not check out: %d %d", len(l10Msg), len(crashedMsg))
	}
	out, st := scan(t, body, Options{})
	if st.Malformed != 0 || len(out) != 2 {
		t.Fatalf("%+v %+v", out, st)
	}
	if out[0].Msg != "Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00." || out[0].Pri != 172 || out[0].Proc != "logplex" {
		t.Fatalf("L10: %+v", out[0])
	}
	want := time.Date(2015, 5, 9, 20, 21, 25, 608433000, time.UTC)
	if out[1].Msg != "State changed from starting to crashed" || !out[1].TS.Equal(want) || out[1].Pri != 45 {
		t.Fatalf("dyno: %+v", out[1])
	}
}

func TestRealLinesParse(t *testing.T) {
	tests := []struct {
		name, msg       string
		app, proc, text string
	}{
		{"router info", routerMsg, "heroku", "router", strings.TrimSuffix(routerMsg[len("<158>1 2012-10-11T03:47:20+00:00 host heroku router - "):], "\n")},
		{"router error", routerErr, "heroku", "router", strings.TrimSuffix(routerErr[strings.Index(routerErr, "at=error"):], "\n")},
		{"runtime metrics load", loadMsg, "heroku", "web.1", loadText},
		{"runtime metrics memory", memMsg, "heroku", "web.1", memText},
		{"postgres without LF", pgMsg, "app", "heroku-postgres", pgText},
		{"postgres with LF", pgMsg + "\n", "app", "heroku-postgres", pgText},
		{"app line", appMsg, "app", "web.1", "Completed 200 OK in 12ms (Views: 3.1ms | ActiveRecord: 1.2ms)"},
		{"empty message", "<190>1 2025-03-14T09:26:53Z host app web.1 -\n", "app", "web.1", ""},
		{"message starting with - stays intact", "<190>1 2025-03-14T09:26:53Z host app web.1 - - - foo\n", "app", "web.1", "- - foo"},
		{"message starting with [x] stays intact", "<190>1 2025-03-14T09:26:53Z host app web.1 - [x] foo\n", "app", "web.1", "[x] foo"},
		{"embedded LF is not a boundary", "<190>1 2025-03-14T09:26:53Z host app web.1 - line one\nline two\n", "app", "web.1", "line one\nline two"},
		{"only one trailing LF is stripped", "<190>1 2025-03-14T09:26:53Z host app web.1 - x\n\n", "app", "web.1", "x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := frames(tt.msg, tt.msg)
			out, st := scan(t, body, Options{})
			if len(out) != 2 || st.Malformed != 0 {
				t.Fatalf("%+v %+v", out, st)
			}
			for _, g := range out {
				if g.App != tt.app || g.Proc != tt.proc || g.Msg != tt.text || g.Raw != tt.msg || !g.ValidUTF8 {
					t.Fatalf("got %+v", g)
				}
			}
		})
	}
}

func TestTimestampForms(t *testing.T) {
	tests := []struct {
		ts    string
		want  time.Time
		valid bool
	}{
		{"2025-03-14T10:04:11+00:00", time.Date(2025, 3, 14, 10, 4, 11, 0, time.UTC), true},
		{"2023-08-24T12:31:50.112+00:00", time.Date(2023, 8, 24, 12, 31, 50, 112e6, time.UTC), true},
		{"2025-03-14T09:26:53.589793+00:00", time.Date(2025, 3, 14, 9, 26, 53, 589793e3, time.UTC), true},
		{"2025-03-14T09:26:53.123456789Z", time.Date(2025, 3, 14, 9, 26, 53, 123456789, time.UTC), true},
		{"2025-03-14T09:26:53Z", time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC), true},
		{"2010-10-14T01:02:03-07:00", time.Date(2010, 10, 14, 8, 2, 3, 0, time.UTC), true},
		{"2012-07-22T00:06:26-00:00", time.Date(2012, 7, 22, 0, 6, 26, 0, time.UTC), true},
		{"2012-07-22T00:06:26+05:30", time.Date(2012, 7, 21, 18, 36, 26, 0, time.UTC), true},
		{"2024-02-29T00:00:00Z", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"-", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.ts, func(t *testing.T) {
			out, st := scan(t, frame("<190>1 "+tt.ts+" host app web.1 - hi\n"), Options{})
			if len(out) != 1 || st.Malformed != 0 {
				t.Fatalf("%+v", out)
			}
			if out[0].TSValid != tt.valid || !out[0].TS.Equal(tt.want) || out[0].Msg != "hi" {
				t.Fatalf("got %v valid=%v", out[0].TS, out[0].TSValid)
			}
		})
	}
}

func TestLogShuttleStyleSD(t *testing.T) {
	tests := []struct {
		name, msg, sd, text string
		mode                SDMode
		sdNil               bool
		params              [][3]string
	}{
		{"nil SD in auto", "<190>1 2025-03-14T09:26:53Z host app web.1 - - hello\n", "", "hello", SDAuto, true, nil},
		{"nil SD then end in auto", "<190>1 2025-03-14T09:26:53Z host app web.1 - -\n", "", "", SDAuto, true, nil},
		{"real SD in auto", `<190>1 2025-03-14T09:26:53Z host app web.1 - [origin ip="10.0.0.1"][meta a="x \"q\"" b="\]\\"] hello` + "\n",
			`[origin ip="10.0.0.1"][meta a="x \"q\"" b="\]\\"]`, "hello", SDAuto, false,
			[][3]string{{"origin", "ip", "10.0.0.1"}, {"meta", "a", `x "q"`}, {"meta", "b", `]\`}}},
		{"SD then end in auto", `<190>1 2025-03-14T09:26:53Z host app web.1 - [x@1 k="v"]`, `[x@1 k="v"]`, "", SDAuto, false, [][3]string{{"x@1", "k", "v"}}},
		{"not SD in auto stays message", "<190>1 2025-03-14T09:26:53Z host app web.1 - [not sd=1] hi\n", "", "[not sd=1] hi", SDAuto, true, nil},
		{"dash word is message in auto", "<190>1 2025-03-14T09:26:53Z host app web.1 - -x hi\n", "", "-x hi", SDAuto, true, nil},
		{"nil SD in rfc5424", "<190>1 2025-03-14T09:26:53Z host app web.1 - - hello\n", "", "hello", SDRFC5424, true, nil},
		{"real SD in rfc5424", `<190>1 2025-03-14T09:26:53Z host app web.1 - [a b="c"] hello`, `[a b="c"]`, "hello", SDRFC5424, false, [][3]string{{"a", "b", "c"}}},
		{"SD ignored in none", "<190>1 2025-03-14T09:26:53Z host app web.1 - - hello\n", "", "- hello", SDNone, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, st := scan(t, frame(tt.msg), Options{SD: tt.mode})
			if len(out) != 1 || st.Malformed != 0 {
				t.Fatalf("%+v", out)
			}
			g := out[0]
			if g.SD != tt.sd || g.SDNil != tt.sdNil || g.Msg != tt.text {
				t.Fatalf("SD %q nil=%v msg %q", g.SD, g.SDNil, g.Msg)
			}
			var params [][3]string
			it := NewSDIter([]byte(g.SD))
			for it.NextElement() {
				for it.NextParam() {
					v := it.Value()
					if it.NeedsUnescape() {
						v = AppendUnescaped(nil, v)
					}
					params = append(params, [3]string{string(it.ID()), string(it.Name()), string(v)})
				}
			}
			if !it.Valid() || !reflect.DeepEqual(params, tt.params) {
				t.Fatalf("params %q valid=%v", params, it.Valid())
			}
		})
	}
}

func TestRFC5424ModeRequiresSD(t *testing.T) {
	for _, msg := range []string{
		"<190>1 2025-03-14T09:26:53Z host app web.1 - hello\n",
		"<190>1 2025-03-14T09:26:53Z host app web.1 -\n",
		"<190>1 2025-03-14T09:26:53Z host app web.1 - [bad\n",
	} {
		out, st := scan(t, frame(msg)+frame(appMsg), Options{SD: SDRFC5424})
		if len(out) != 2 || !errors.Is(out[0].Err, ErrBadSD) || !errors.Is(out[0].Err, ErrBadHeader) || st.BadSD != 2 {
			t.Fatalf("%q: %+v", msg, out)
		}
		if out[0].App != "app" || out[0].Proc != "web.1" {
			t.Fatalf("header fields lost: %+v", out[0])
		}
		if !errors.Is(out[1].Err, ErrBadSD) { // appMsg has no SD either
			t.Fatalf("second: %+v", out[1])
		}
	}
}

func TestEmptyBodyHasNoFrames(t *testing.T) {
	out, st := scan(t, "", Options{})
	if len(out) != 0 || st != (Stats{}) {
		t.Fatalf("%+v %+v", out, st)
	}
}

func TestReaderErrorIsReportedByErr(t *testing.T) {
	boom := errors.New("boom")
	body := frames(appMsg, appMsg)
	r := io.MultiReader(strings.NewReader(body+"120 <190>1 2025"), iotest.ErrReader(boom))
	out, _, err := scanReader(r, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("Err() = %v", err)
	}
	if len(out) != 3 || out[0].Err != nil || out[1].Err != nil || !errors.Is(out[2].Err, ErrTruncated) {
		t.Fatalf("frames before the error: %+v", out)
	}
	// A reader that fails at once.
	out, _, err = scanReader(iotest.ErrReader(boom), Options{})
	if len(out) != 0 || !errors.Is(err, boom) {
		t.Fatalf("%v %v", out, err)
	}
}

func TestResetReusesTheScanner(t *testing.T) {
	s := NewScanner(strings.NewReader(frame(appMsg)), Options{})
	for s.Scan() {
	}
	s.Reset(strings.NewReader(frames(appMsg, routerMsg)))
	n := 0
	for s.Scan() {
		n++
	}
	if n != 2 || s.Stats().Frames != 2 {
		t.Fatalf("after Reset: %d frames, %+v", n, s.Stats())
	}
}
