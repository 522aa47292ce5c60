package logplextest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The sample drain bodies in testdata/drains are generated from the
// messages below so their octet counts are right by construction:
//
//	go test ./internal/logplextest -run TestGenerateDrains -update
//
// Without -update the test fails when a file no longer matches.
var update = flag.Bool("update", false, "rewrite testdata/drains from the generator")

const drainsDir = "../../../testdata/drains"

// SampleToken is the drain token the samples are meant to be posted with.
const SampleToken = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"

// clock hands out increasing microsecond timestamps.
type clock struct{ t time.Time }

func (c *clock) next(d time.Duration) string {
	c.t = c.t.Add(d)
	return c.t.Format(TimeLayout)
}

func (c *clock) seconds(d time.Duration) string {
	c.t = c.t.Add(d).Truncate(time.Second)
	return c.t.Format(SecondsLayout)
}

func msg(pri int, ts, app, proc, text string) Message {
	return Message{PRI: pri, Timestamp: ts, AppName: app, ProcID: proc, Msg: text}
}

func noLF(m Message) Message { m.NoLF = true; return m }

// sampleDrain is one POST's worth of a busy app: it starts with the L10
// that Logplex prepends after a loss and then has one of each kind of line
// the receiver handles.
func sampleDrain() []Message {
	c := &clock{t: time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)}
	const host = "acme-web-1a2b3c4d5e6f.herokuapp.com"
	return []Message{
		noLF(msg(PRILogplex, "2025-03-14T09:26:53+00:00", "heroku", "logplex",
			"Error L10 (output buffer overflow): 3 messages dropped since 2025-03-14T09:26:41+00:00.")),
		msg(PRIApp, c.next(0), "app", "api", "Build started by user dev@acme.example"),
		msg(PRIApp, "2025-03-14T09:26:54.000000+00:00", "app", "api", "Build succeeded"),
		msg(PRIAPIEvent, c.next(612*time.Millisecond), "app", "api", "Deploy 1a2b3c4 by user dev@acme.example"),
		msg(PRIAPIEvent, c.next(0), "app", "api", "Release v42 created by user dev@acme.example"),
		msg(PRIAPIEvent, c.next(3*time.Second), "app", "api", "Scaled to web@2:Standard-1X worker@1:Standard-2X by user ops@acme.example"),
		msg(PRIDyno, c.next(1200*time.Millisecond), "heroku", "web.1", "Starting process with command `bundle exec puma -C config/puma.rb`"),
		msg(PRIDyno, c.next(2210*time.Millisecond), "heroku", "web.1", "State changed from starting to up"),
		msg(PRIRouter, c.next(4*time.Second), "heroku", "router",
			`at=info method=GET path="/" host=`+host+` request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=https`),
		msg(PRIApp, c.next(5*time.Millisecond), "app", "web.1",
			`I, [2025-03-14T09:27:04.607114 #4]  INFO -- : [8601b555-6a83-4c12-8269-97c8e32cdb22] Completed 200 OK in 12ms (Views: 8.1ms | ActiveRecord: 2.3ms)`),
		msg(PRIApp, c.next(2*time.Millisecond), "app", "web.1",
			"count#orders.created=1 measure#db.query=12.5ms sample#queue.depth=42 source=web.1"),
		msg(PRIRouter, c.next(30*time.Second), "heroku", "router",
			`at=error code=H12 desc="Request timeout" method=GET path="/reports/annual?year=2024" host=`+host+` request_id=0c2c0e5e-4b8a-4bd4-9b41-6a8a3f0e7c11 fwd="58.6.203.42,54.239.202.42" dyno=web.2 connect=0ms service=30000ms status=503 bytes=0 protocol=https`),
		msg(PRIRouter, c.next(850*time.Millisecond), "heroku", "router",
			`at=info method=POST path="/api/orders" host=www.acme.example request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=41ms status=201 bytes=512 protocol=http2.0 tls=true tls_version=tls1.3`),
		msg(PRIApp, c.next(3*time.Millisecond), "app", "worker.1", "measure#jobs.latency=230ms count#jobs.processed=17 source=worker.1"),
		msg(PRIRuntime, c.next(4*time.Second), "heroku", "web.1",
			"source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99"),
		msg(PRIRuntime, c.next(12*time.Millisecond), "heroku", "web.1",
			"source=web.1 dyno=heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456 sample#memory_total=245.50MB sample#memory_rss=240.25MB sample#memory_cache=5.25MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB"),
		msg(PRIDyno, c.next(9*time.Second), "heroku", "worker.1", "Process running mem=590M(115.2%)"),
		msg(PRIDyno, c.next(0), "heroku", "worker.1", "Error R14 (Memory quota exceeded)"),
		msg(PRIAddon, c.seconds(2*time.Second), "app", "heroku-postgres",
			"source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#current_transaction=11618849366 sample#db_size=147391814791bytes sample#tables=67 sample#active-connections=41 sample#waiting-connections=0 sample#index-cache-hit-rate=0.99625 sample#table-cache-hit-rate=0.99686 sample#load-avg-1m=0.3575 sample#load-avg-5m=0.3275 sample#load-avg-15m=0.2475 sample#read-iops=302.48 sample#write-iops=351.78 sample#tmp-disk-used=542765056 sample#tmp-disk-available=72436027392 sample#memory-total=31328356kB sample#memory-free=242328kB sample#memory-cached=29518708kB sample#memory-postgres=367856kB sample#wal-percentage-used=0.07767112123673295"),
		noLF(msg(PRIAddon, c.seconds(0), "app", "heroku-redis",
			"source=REDIS addon=redis-metric-98068 sample#active-connections=404 sample#load-avg-1m=0.115 sample#load-avg-5m=0.075 sample#load-avg-15m=0.07 sample#read-iops=0 sample#write-iops=54.758 sample#memory-total=15405660kB sample#memory-free=12639520kB sample#memory-cached=1911724kB sample#memory-redis=343477584bytes sample#hit-rate=0.7 sample#evicted-keys=0")),
		msg(PRIDyno, c.next(6*time.Second), "heroku", "worker.1", "Error R15 (Memory quota vastly exceeded)"),
		msg(PRIDyno, c.next(1*time.Millisecond), "heroku", "worker.1", "Stopping process with SIGKILL"),
		msg(PRIDyno, c.next(180*time.Millisecond), "heroku", "worker.1", "Process exited with status 137"),
		msg(PRIDyno, c.next(2*time.Millisecond), "heroku", "worker.1", "State changed from up to crashed"),
		msg(PRIApp, c.next(40*time.Millisecond), "app", "web.1", `E, [2025-03-14T09:28:13.201933 #4] ERROR -- : PG::ConnectionBad: could not connect to server`),
	}
}

// routerDrain is a batch of router lines: legacy and Router 2.0, successes,
// app errors logged at=info, and router errors and warnings.
func routerDrain() []Message {
	c := &clock{t: time.Date(2025, 3, 14, 12, 0, 0, 104233000, time.UTC)}
	const h = "acme-web-1a2b3c4d5e6f.herokuapp.com"
	r := func(d time.Duration, text string) Message { return msg(PRIRouter, c.next(d), "heroku", "router", text) }
	return []Message{
		r(0, `at=info method=GET path="/" host=`+h+` request_id=1f0c9a47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="204.204.204.204" dyno=web.1 connect=1ms service=22ms status=200 bytes=5120 protocol=https`),
		r(37*time.Millisecond, `at=info method=GET path="/assets/application-4f3e2d.css" host=`+h+` request_id=2a1b9c47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="204.204.204.204" dyno=web.2 connect=0ms service=3ms status=304 bytes=112 protocol=https`),
		r(120*time.Millisecond, `at=info method=POST path="/api/orders?source=mobile&v=2" host=api.acme.example request_id=3b2c8d47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="2001:db8::1" dyno=web.1 connect=1ms service=87ms status=201 bytes=734 protocol=http1.1 tls=true tls_version=tls1.3`),
		r(250*time.Millisecond, `at=info method=GET path="/missing" host=`+h+` request_id=4c3d7e47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="198.51.100.7" dyno=web.2 connect=0ms service=5ms status=404 bytes=1564 protocol=https`),
		r(400*time.Millisecond, `at=info method=GET path="/boom" host=`+h+` request_id=5d4e6f47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="198.51.100.7" dyno=web.1 connect=1ms service=143ms status=500 bytes=1477 protocol=https`),
		r(2*time.Second, `at=error code=H10 desc="App crashed" method=GET path="/" host=`+h+` request_id=6e5f5a47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.9" dyno= connect= service= status=503 bytes= protocol=https`),
		r(30*time.Second, `at=error code=H12 desc="Request timeout" method=GET path="/reports/annual" host=`+h+` request_id=7f6a4b47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.9" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https`),
		r(900*time.Millisecond, `at=error code=H13 desc="Connection closed without response" method=POST path="/upload" host=`+h+` request_id=8a7b3c47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.10" dyno=web.2 connect=0ms service=1843ms status=503 bytes=0 protocol=https`),
		r(1100*time.Millisecond, `sock=client at=warning code=H27 desc="Client Request Interrupted" method=POST path="/upload" host=`+h+` request_id=9b8c2d47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.11" dyno=web.1 connect=1ms service=912ms status=499 bytes=0 protocol=https`),
		r(700*time.Millisecond, `sock=backend at=error code=H18 desc="Server Request Interrupted" method=GET path="/stream" host=`+h+` request_id=ac9d1e47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.12" dyno=web.2 connect=0ms service=77ms status=503 bytes= protocol=https`),
		r(55*time.Second, `at=error code=H15 desc="Idle connection" method=GET path="/events" host=`+h+` request_id=bdae0f47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.13" dyno=web.1 connect=1ms service=55449ms status=503 bytes= protocol=https`),
		r(300*time.Millisecond, `at=error code=H14 desc="No web processes running" method=GET path="/favicon.ico" host=`+h+` request_id=cebf1a47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="203.0.113.14" dyno= connect= service= status=503 bytes= protocol=https`),
		r(60*time.Millisecond, `at=info method=GET path="/cable" host=www.acme.example request_id=dfc02b47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd=138.68.186.89 dyno=web.1 connect=0ms service=61234ms status=101 bytes=129 protocol=http1.1 tls=true tls_version=tls1.2`),
		r(10*time.Millisecond, `at=info method=GET path="/health" host=www.acme.example request_id=e0d13c47-51f3-4c44-a3e4-0a1b2c3d4e5f fwd=138.68.186.89 dyno=web.2 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`),
		r(10*time.Millisecond, `at=info method=GET path=/legacy/unquoted host=`+h+` fwd="192.0.2.1" dyno=web.1 connect=2ms service=9ms status=200 bytes=88`),
	}
}

// runtimeDrain has log-runtime-metrics pairs (load, then memory) for several
// dynos, including the variants seen in captures: PRI 45 and 134, no
// memory_quota (pre-2016), a one-off dyno without load_avg_15m.
func runtimeDrain() []Message {
	c := &clock{t: time.Date(2025, 3, 14, 12, 0, 20, 3311000, time.UTC)}
	const web1 = "heroku.2808254.d97d0ea7-cf3d-411b-b453-d2943a50b456"
	const web2 = "heroku.2808254.0e3b9f52-4d1c-4b7a-8f66-1c2d3e4f5a6b"
	const worker1 = "heroku.2808254.7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
	const run1 = "heroku.2808254.5f4e3d2c-1b0a-4998-8877-665544332211"
	rt := func(pri int, d time.Duration, proc, text string) Message {
		return msg(pri, c.next(d), "heroku", proc, text)
	}
	return []Message{
		rt(PRIRuntime, 0, "web.1", "source=web.1 dyno="+web1+" sample#load_avg_1m=2.46 sample#load_avg_5m=1.06 sample#load_avg_15m=0.99"),
		rt(PRIRuntime, 15*time.Millisecond, "web.1", "source=web.1 dyno="+web1+" sample#memory_total=245.50MB sample#memory_rss=240.25MB sample#memory_cache=5.25MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB"),
		rt(PRIRuntime, 1300*time.Millisecond, "web.2", "source=web.2 dyno="+web2+" sample#load_avg_1m=0.12 sample#load_avg_5m=0.08 sample#load_avg_15m=0.05"),
		rt(PRIRuntime, 11*time.Millisecond, "web.2", "source=web.2 dyno="+web2+" sample#memory_total=198.00MB sample#memory_rss=196.75MB sample#memory_cache=1.25MB sample#memory_swap=0.00MB sample#memory_pgpgin=120044pages sample#memory_pgpgout=71310pages sample#memory_quota=512.00MB"),
		rt(PRIDyno, 2400*time.Millisecond, "worker.1", "source=worker.1 dyno="+worker1+" sample#load_avg_1m=1.00 sample#load_avg_5m=0.75 sample#load_avg_15m=0.50"),
		rt(PRIDyno, 9*time.Millisecond, "worker.1", "source=worker.1 dyno="+worker1+" sample#memory_total=590.00MB sample#memory_rss=512.00MB sample#memory_cache=14.00MB sample#memory_swap=64.00MB sample#memory_pgpgin=904112pages sample#memory_pgpgout=757290pages"),
		rt(PRIRuntime, 3100*time.Millisecond, "run.2660", "source=run.2660 dyno="+run1+" sample#load_avg_1m=0.48 sample#load_avg_5m=0.41"),
		rt(PRIRuntime, 20*time.Millisecond, "run.2660", "source=run.2660 dyno="+run1+" sample#memory_total=61.50MB sample#memory_rss=60.25MB sample#memory_cache=1.25MB sample#memory_swap=0.00MB sample#memory_pgpgin=20480pages sample#memory_pgpgout=4096pages sample#memory_quota=512.00MB"),
		rt(PRIRuntime, 16*time.Second, "web.1", "source=web.1 dyno="+web1+" sample#load_avg_1m=2.10 sample#load_avg_5m=1.20 sample#load_avg_15m=1.01"),
		rt(PRIRuntime, 14*time.Millisecond, "web.1", "source=web.1 dyno="+web1+" sample#memory_total=250.00MB sample#memory_rss=244.50MB sample#memory_cache=5.50MB sample#memory_swap=0.00MB sample#memory_pgpgin=349102pages sample#memory_pgpgout=343650pages sample#memory_quota=512.00MB"),
	}
}

var drainFiles = map[string]func() []Message{
	"sample.logplex":  sampleDrain,
	"router.logplex":  routerDrain,
	"runtime.logplex": runtimeDrain,
}

func TestGenerateDrains(t *testing.T) {
	for name, gen := range drainFiles {
		path := filepath.Join(drainsDir, name)
		msgs := gen()
		if len(msgs) > DefaultMaxMessages {
			t.Fatalf("%s: more messages than one Logplex batch holds", name)
		}
		body := Body(msgs)
		if len(body) >= DefaultTargetBytes {
			t.Fatalf("%s: %d bytes, more than one Logplex batch", name, len(body))
		}
		if *update {
			if err := os.MkdirAll(drainsDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s: %d frames, %d bytes", path, len(msgs), len(body))
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (generate it with -run TestGenerateDrains -update)", err)
		}
		if !bytes.Equal(got, body) {
			t.Errorf("%s differs from the generator; rerun with -update", path)
		}
	}
}

// Each frame in the sample files: the declared length is exactly the byte
// length of the message, and the message has the Logplex drain layout.
var drainLineRe = regexp.MustCompile(`^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)) host (app|heroku) (\S+) - [^\n]+\n?$`)

func TestDrainFilesFrameLengths(t *testing.T) {
	want := map[string]int{"sample.logplex": 25, "router.logplex": 15, "runtime.logplex": 10}
	for name, n := range want {
		body, err := os.ReadFile(filepath.Join(drainsDir, name))
		if err != nil {
			t.Fatal(err)
		}
		// Independent re-scan: walk the digits by hand and check each
		// declared length lands exactly on the next frame's digits (or the
		// end of the body).
		rest := body
		var frames [][]byte
		for len(rest) > 0 {
			i := 0
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 0 || i >= len(rest) || rest[i] != ' ' || rest[0] == '0' {
				t.Fatalf("%s frame %d: malformed length prefix at %q", name, len(frames), head(rest))
			}
			l, _ := strconv.Atoi(string(rest[:i]))
			rest = rest[i+1:]
			if l > len(rest) {
				t.Fatalf("%s frame %d: length %d overruns the body", name, len(frames), l)
			}
			frame := rest[:l]
			rest = rest[l:]
			if len(rest) > 0 && (rest[0] < '1' || rest[0] > '9') {
				t.Fatalf("%s frame %d: length %d is off; the next frame starts with %q", name, len(frames), l, head(rest))
			}
			if !drainLineRe.Match(frame) {
				t.Errorf("%s frame %d: not a Logplex drain line: %q", name, len(frames), frame)
			}
			if m := drainLineRe.FindSubmatch(frame); m != nil {
				if pri, _ := strconv.Atoi(string(m[1])); pri > 191 {
					t.Errorf("%s frame %d: PRI %d", name, len(frames), pri)
				}
				if bytes.Count(frame, []byte("\n")) > 1 || (bytes.IndexByte(frame, '\n') >= 0 && !bytes.HasSuffix(frame, []byte("\n"))) {
					t.Errorf("%s frame %d: embedded LF", name, len(frames))
				}
			}
			frames = append(frames, frame)
		}
		if len(frames) != n {
			t.Errorf("%s: %d frames, want %d", name, len(frames), n)
		}
		// SplitFrames agrees with the hand-rolled walk.
		sf, err := SplitFrames(body)
		if err != nil || len(sf) != len(frames) {
			t.Errorf("%s: SplitFrames gave %d frames, %v", name, len(sf), err)
		}
	}
	// The sample file covers the lines the issue asks for.
	sample, _ := os.ReadFile(filepath.Join(drainsDir, "sample.logplex"))
	for _, s := range []string{
		"heroku router - at=info", "code=H12", "protocol=http2.0 tls=true", "count#", "measure#", "sample#queue.depth",
		"State changed from starting to up", "Error R14", "Process exited with status 137", "sample#load_avg_1m",
		"sample#memory_rss", "app heroku-postgres", "app heroku-redis", "Release v42", "Deploy 1a2b3c4", "Scaled to", "Build succeeded",
	} {
		if !strings.Contains(string(sample), s) {
			t.Errorf("sample.logplex lacks %q", s)
		}
	}
	// Lines without LF run straight into the next length prefix.
	for _, re := range []string{
		`^\d+ <172>1 \S+ host heroku logplex - Error L10 \(output buffer overflow\): 3 messages dropped since 2025-03-14T09:26:41\+00:00\.\d+ <`,
		`app heroku-redis - [^\n]*sample#evicted-keys=0\d+ <`,
	} {
		if !regexp.MustCompile(re).Match(sample) {
			t.Errorf("sample.logplex does not match %s", re)
		}
	}
}
