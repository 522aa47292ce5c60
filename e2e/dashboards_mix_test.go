//go:build backends

package e2e

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// The drain mix the backends test replays, and its ledger: what each line
// means, counted here from the lines themselves (not from the receiver), so
// the dashboards' numbers are checked against an independent account.

// request is one router line.
type request struct {
	id, method, path, dyno, code, ip string
	status                           int
	connect, service, bytes          int // -1: the field is empty on the line
	severity                         string
	// dup marks a second line with an earlier line's request id: a request
	// counts once, but line-based numbers (histograms, log rows) see both.
	dup bool
}

func (r request) dynoType() string {
	for i := 0; i < len(r.dyno); i++ {
		if r.dyno[i] == '.' {
			return r.dyno[:i]
		}
	}
	return ""
}

// recordKey groups log records like heroku_log_records_total does.
type recordKey struct{ appname, component, dynoType, severity string }

type runtimeSample struct {
	load         [3]float64 // 1m, 5m, 15m
	memMB        map[string]int
	pgin, pgout  [2]int // phase 1, phase 2
	dyno, dynoID string
}

type ledger struct {
	requests   []request
	errors     map[[2]string]int // code, component
	records    map[recordKey]int
	launches   map[string]int // heroku.dyno.launch
	exits      map[string]int // exit code
	restarts   int
	builds     map[string]int // outcome
	deploys    []struct{ user, commit string }
	releases   []string // users
	scales     []string // users
	formation  map[string]int
	runtime    []*runtimeSample
	dropped    int
	measure    []float64         // seconds
	dbSize     float64           // bytes, from the one Heroku Postgres metrics line
	appErrors  map[[2]string]int // message, procid of app-channel error lines
	phrases    map[string]int    // app lines containing a phrase
	first      time.Time
	last       time.Time
	lastRouter time.Time
}

// batch is what one Logplex POST carries, and to which replica it goes.
type batch struct {
	replica int
	phase   int
	msgs    []logplextest.Message
}

type mix struct {
	rng     *rand.Rand
	now     time.Time
	led     *ledger
	batches []batch
	cur     *batch
}

const mixHost = "acme-web-1a2b3c4d5e6f.herokuapp.com"

// Phrases of the Application Errors board.
const (
	phraseWorkerBoot = "Worker failed to boot"
	phraseSIGTERM    = "was sent SIGTERM"
)

func newMix(start time.Time) *mix {
	return &mix{
		rng: rand.New(rand.NewPCG(8, 2026)),
		now: start,
		led: &ledger{
			errors: map[[2]string]int{}, records: map[recordKey]int{}, launches: map[string]int{},
			exits: map[string]int{}, builds: map[string]int{}, formation: map[string]int{},
			appErrors: map[[2]string]int{}, phrases: map[string]int{}, first: start,
		},
	}
}

// to starts a new batch for replica in phase.
func (m *mix) to(replica, phase int) {
	m.batches = append(m.batches, batch{replica: replica, phase: phase})
	m.cur = &m.batches[len(m.batches)-1]
}

// line adds one message at the mix clock (advanced by step) and counts it
// as a log record.
func (m *mix) line(step time.Duration, pri int, app, proc, text, component, dynoType, severity string) time.Time {
	m.now = m.now.Add(step)
	m.add(logplextest.Message{PRI: pri, Time: m.now, AppName: app, ProcID: proc, Msg: text}, recordKey{app, component, dynoType, severity})
	return m.now
}

func (m *mix) add(msg logplextest.Message, k recordKey) {
	m.cur.msgs = append(m.cur.msgs, msg)
	m.led.records[k]++
	if t := msg.Time; t.After(m.led.last) {
		m.led.last = t
	}
}

func msField(v int) string {
	if v < 0 {
		return ""
	}
	return strconv.Itoa(v) + "ms"
}

func intField(v int) string {
	if v < 0 {
		return ""
	}
	return strconv.Itoa(v)
}

func (m *mix) router(r request) {
	r.id = fmt.Sprintf("%08x-6a83-4c12-8269-%012x", len(m.led.requests)+1, m.rng.Uint64()&0xffffffffffff)
	at := "at=info"
	switch r.severity {
	case "error":
		at = "at=error"
	case "warn":
		at = "at=warning"
		if r.code == "H81" {
			at = "at=info"
		}
	}
	text := at
	if r.code != "" {
		text += fmt.Sprintf(" code=%s desc=%q", r.code, codeDesc[r.code])
	}
	text += fmt.Sprintf(` method=%s path="%s" host=%s request_id=%s fwd="%s" dyno=%s connect=%s service=%s status=%d bytes=%s protocol=https`,
		r.method, r.path, mixHost, r.id, r.ip, r.dyno, msField(r.connect), msField(r.service), r.status, intField(r.bytes))
	t := m.line(time.Duration(100+m.rng.IntN(500))*time.Millisecond, logplextest.PRIRouter, "heroku", "router", text, "router", r.dynoType(), r.severity)
	m.led.lastRouter = t
	m.led.requests = append(m.led.requests, r)
	if r.code != "" {
		m.led.errors[[2]string{r.code, "router"}]++
	}
}

// repeatLastRouterLine sends the last router line again, as Heroku
// sometimes does: same request id, same fields.
func (m *mix) repeatLastRouterLine() {
	r := m.led.requests[len(m.led.requests)-1]
	msg := m.cur.msgs[len(m.cur.msgs)-1]
	m.add(msg, recordKey{"heroku", "router", r.dynoType(), r.severity})
	r.dup = true
	m.led.requests = append(m.led.requests, r)
}

var codeDesc = map[string]string{
	"H10": "App crashed", "H12": "Request timeout", "H13": "Connection closed without response",
	"H14": "No web processes running", "H15": "Idle connection", "H18": "Server Request Interrupted",
	"H20": "App boot timeout", "H27": "Client Request Interrupted", "H28": "Client Connection Idle", "H81": "Blank app",
}

var (
	mixPaths   = []string{"/", "/api/orders", "/api/items", "/login", "/search", "/reports/annual", "/upload", "/health"}
	mixMethods = []string{"GET", "GET", "GET", "POST", "PUT", "DELETE"}
	mixDynos   = []string{"web.1", "web.2", "web.3"}
	mixStatus  = []int{200, 200, 200, 200, 200, 201, 304, 404, 500}
)

func (m *mix) randomRequest() request {
	return request{
		method: mixMethods[m.rng.IntN(len(mixMethods))], path: mixPaths[m.rng.IntN(len(mixPaths))],
		dyno: mixDynos[m.rng.IntN(len(mixDynos))], status: mixStatus[m.rng.IntN(len(mixStatus))],
		connect: m.rng.IntN(6), service: 1 + m.rng.IntN(1500), bytes: m.rng.IntN(40000),
		ip: fmt.Sprintf("198.51.100.%d", 1+m.rng.IntN(20)), severity: "info",
	}
}

// routerErrors has one line or more for every router code a dashboard
// panel counts, with the fields Heroku leaves empty for each.
func (m *mix) routerErrors() {
	e := func(code, sev, dyno string, status, connect, service, bytes, n int) {
		for range n {
			r := m.randomRequest()
			r.code, r.severity, r.dyno, r.status, r.connect, r.service, r.bytes = code, sev, dyno, status, connect, service, bytes
			r.ip = fmt.Sprintf("203.0.113.%d", 1+m.rng.IntN(4))
			m.router(r)
		}
	}
	e("H10", "error", "", 503, -1, -1, -1, 2)
	e("H12", "error", "web.1", 503, 0, 30000, 0, 1)
	e("H13", "error", "web.2", 503, 0, 1843, 0, 2)
	e("H14", "error", "", 503, -1, -1, -1, 1)
	e("H15", "error", "web.1", 503, 1, 55449, -1, 1)
	e("H18", "error", "web.3", 503, 0, 77, -1, 1)
	e("H20", "error", "", 503, -1, -1, -1, 1)
	e("H27", "warn", "web.2", 499, 1, 912, 0, 2)
	e("H28", "warn", "web.1", 499, 1, 1200, 0, 1)
	e("H81", "warn", "", 502, -1, -1, -1, 1)
}

func (m *mix) dynoLine(dyno, text, severity string) {
	m.line(time.Duration(50+m.rng.IntN(300))*time.Millisecond, logplextest.PRIDyno, "heroku", dyno, text, "dyno", dynoTypeOf(dyno), severity)
}

func dynoTypeOf(dyno string) string { return request{dyno: dyno}.dynoType() }

func (m *mix) api(text, severity string) {
	m.line(time.Duration(100+m.rng.IntN(400))*time.Millisecond, logplextest.PRIAPIEvent, "app", "api", text, "api", "", severity)
}

func (m *mix) app(proc, text, severity string) {
	m.line(time.Duration(20+m.rng.IntN(200))*time.Millisecond, logplextest.PRIApp, "app", proc, text, "app", dynoTypeOf(proc), severity)
	if severity == "error" || severity == "fatal" {
		m.led.appErrors[[2]string{text, proc}]++
	}
	for _, p := range []string{phraseWorkerBoot, phraseSIGTERM} {
		if contains(text, p) {
			m.led.phrases[p]++
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func (m *mix) l10(n int) {
	m.now = m.now.Add(time.Second)
	msg := logplextest.L10(m.now, n, m.now.Add(-10*time.Second))
	msg.Time = m.now.Truncate(time.Second) // what the whole-second timestamp says
	m.add(msg, recordKey{"heroku", "logplex", "", "warn"})
	m.led.dropped += n
	m.led.errors[[2]string{"L10", "logplex"}]++
}

// runtimeLines adds the two log-runtime-metrics lines of one dyno (load,
// then memory) with the page counters of the given phase.
func (m *mix) runtimeLines(s *runtimeSample, phase int) {
	src := "source=" + s.dyno + " dyno=" + s.dynoID
	m.line(time.Duration(200+m.rng.IntN(300))*time.Millisecond, logplextest.PRIRuntime, "heroku", s.dyno,
		fmt.Sprintf("%s sample#load_avg_1m=%.2f sample#load_avg_5m=%.2f sample#load_avg_15m=%.2f", src, s.load[0], s.load[1], s.load[2]),
		"dyno", dynoTypeOf(s.dyno), "info")
	mem := s.memMB
	m.line(10*time.Millisecond, logplextest.PRIRuntime, "heroku", s.dyno,
		fmt.Sprintf("%s sample#memory_total=%d.00MB sample#memory_rss=%d.00MB sample#memory_cache=%d.00MB sample#memory_swap=%d.00MB sample#memory_pgpgin=%dpages sample#memory_pgpgout=%dpages sample#memory_quota=%d.00MB",
			src, mem["total"], mem["rss"], mem["cache"], mem["swap"], s.pgin[phase-1], s.pgout[phase-1], mem["quota"]),
		"dyno", dynoTypeOf(s.dyno), "info")
}

// buildMix generates the drain mix starting at start: phase 1 holds nearly
// everything, split over two replicas; phase 2 (sent after phase 1 was
// flushed) holds the second runtime sample of each dyno and one late line.
func buildMix(start time.Time) *mix {
	m := newMix(start)
	led := m.led

	// Router traffic, alternating replicas every 20 requests.
	for i := range 140 {
		if i%20 == 0 {
			m.to(i/20%2, 1)
		}
		m.router(m.randomRequest())
		if i == 30 {
			m.repeatLastRouterLine()
		}
	}
	m.to(1, 1)
	m.routerErrors()
	m.l10(7)

	// Dyno manager and API events: replica A. Scale lines stay on one
	// replica so its formation gauge is the app's latest formation.
	m.to(0, 1)
	for _, d := range mixDynos {
		m.dynoLine(d, "State changed from starting to up", "info")
		led.launches["successful"]++
	}
	m.dynoLine("run.4821", "State changed from starting to up", "info")
	m.dynoLine("run.4821", "State changed from up to complete", "info")
	led.launches["successful"]++
	led.launches["completed"]++
	for _, d := range []string{"worker.1", "worker.2"} {
		m.dynoLine(d, "State changed from up to crashed", "error")
		led.launches["crashed"]++
	}
	m.dynoLine("worker.1", "Process exited with status 137", "warn")
	m.dynoLine("worker.2", "Process exited with status 1", "warn")
	m.dynoLine("web.3", "Process exited with status 143", "info")
	led.exits["137"]++
	led.exits["1"]++
	led.exits["143"]++
	m.dynoLine("web.3", "State changed from up to down", "info")
	led.launches["stopped"]++
	m.dynoLine("web.1", "Restarting", "info")
	m.dynoLine("web.2", "Cycling", "info")
	led.restarts += 2
	m.dynoLine("web.3", "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch", "error")
	led.errors[[2]string{"R10", "dyno"}]++
	m.dynoLine("worker.1", "Error R14 (Memory quota exceeded)", "warn")
	led.errors[[2]string{"R14", "dyno"}]++

	for i, u := range []string{"dev@acme.example", "ops@acme.example", "dev@acme.example"} {
		m.api("Build started by user "+u, "info")
		led.builds["started"]++
		if i == 1 {
			// The one failed build.
			m.api("Build failed -- check your build output: https://dashboard.heroku.com/apps/acme-web/activity/builds/5d1e", "error")
			led.builds["failed"]++
			continue
		}
		m.api("Build succeeded", "info")
		led.builds["succeeded"]++
	}
	for _, d := range []struct{ user, commit string }{{"dev@acme.example", "1a2b3c4"}, {"ops@acme.example", "9f8e7d6"}, {"dev@acme.example", "5e6f7a8"}} {
		m.api("Deploy "+d.commit+" by user "+d.user, "info")
		led.deploys = append(led.deploys, d)
		v := 40 + len(led.releases)
		m.api(fmt.Sprintf("Release v%d created by user %s", v, d.user), "info")
		led.releases = append(led.releases, d.user)
	}
	m.api("Scaled to web@3:Standard-1X worker@2:Standard-2X by user ops@acme.example", "info")
	m.api("Scaled to web@2:Standard-1X worker@1:Standard-2X by user dev@acme.example", "info")
	led.scales = append(led.scales, "ops@acme.example", "dev@acme.example")
	led.formation["web"], led.formation["worker"] = 2, 1

	// App output: errors (one from the release phase), gunicorn's boot and
	// signal lines, info lines, and l2met measures. Replica B.
	m.to(1, 1)
	m.app("web.1", "level=error msg=\"PG::ConnectionBad: could not connect to server\"", "error")
	m.app("web.2", "level=error msg=\"PG::ConnectionBad: could not connect to server\"", "error")
	m.app("worker.1", "[2026-12-02 02:00:00 +0000] [4] [ERROR] "+phraseWorkerBoot+".", "error")
	m.app("worker.1", "[2026-12-02 02:00:01 +0000] [4] [INFO] Worker (pid:12) "+phraseSIGTERM+"!", "info")
	m.app("release.9012", "level=error msg=\"migration failed: relation users already exists\"", "error")
	m.app("web.1", "level=info msg=\"Completed 200 OK\"", "info")
	for _, ms := range []float64{12.5, 3, 48, 7.25, 250} {
		m.app("web.1", fmt.Sprintf("measure#db.query=%gms source=web.1", ms), "info")
		led.measure = append(led.measure, ms/1000)
	}
	m.l10(12)
	led.dbSize = 147391814791
	m.line(time.Second, logplextest.PRIAddon, "app", "heroku-postgres",
		fmt.Sprintf("source=HEROKU_POSTGRESQL_GREEN addon=postgresql-opaque-12345 sample#db_size=%.0fbytes sample#tables=67 sample#active-connections=41", led.dbSize),
		"postgres", "", "info")

	// Runtime metrics, phase 1: one batch to replica A.
	m.to(0, 1)
	for i, d := range []string{"web.1", "web.2", "web.3", "worker.1"} {
		s := &runtimeSample{
			dyno: d, dynoID: fmt.Sprintf("heroku.2808254.%08x-cf3d-411b-b453-d2943a50b456", i+1),
			// Hundredths, as the line writes them.
			load:  [3]float64{float64(25*(i+1)) / 100, float64(50+13*i) / 100, float64(75+6*i) / 100},
			memMB: map[string]int{"total": 200 + 30*i, "rss": 180 + 30*i, "cache": 5 + i, "swap": 2 * i, "quota": 512},
			pgin:  [2]int{100000 * (i + 1), 100000*(i+1) + 321*(i+1)},
			pgout: [2]int{90000 * (i + 1), 90000*(i+1) + 123*(i+1)},
		}
		led.runtime = append(led.runtime, s)
		m.runtimeLines(s, 1)
	}

	// Phase 2: the second runtime sample of each dyno, then a late line:
	// web.1 memory stamped before its phase-1 sample, with other values,
	// which the gauges must ignore.
	m.to(0, 2)
	lateAt := m.batches[len(m.batches)-2].msgs[1].Time.Add(-time.Second)
	for _, s := range led.runtime {
		m.runtimeLines(s, 2)
	}
	late := logplextest.Message{PRI: logplextest.PRIRuntime, Time: lateAt, AppName: "heroku", ProcID: "web.1",
		Msg: "source=web.1 dyno=" + led.runtime[0].dynoID + " sample#memory_total=999.00MB sample#memory_rss=998.00MB sample#memory_cache=1.00MB sample#memory_swap=1.00MB sample#memory_pgpgin=1pages sample#memory_pgpgout=1pages sample#memory_quota=512.00MB"}
	m.add(late, recordKey{"heroku", "dyno", "web", "info"})
	return m
}
