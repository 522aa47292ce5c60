// Package bodies generates and loads the Logplex drain bodies every
// benchmark of this module reads, so our parser and the peers are measured
// on the very same bytes.
//
// The generated bodies are committed under testdata/drains/bench/ of the
// repository (the receiver's own benchmarks read them from there too);
// `go run ./cmd/genbodies` rewrites them and TestCommittedBodiesMatch fails
// when the files and this generator disagree.
package bodies

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// Dir is the committed drains directory, relative to the bench module root.
const Dir = "../testdata/drains"

// GeneratedDir holds the bodies this package generates.
const GeneratedDir = Dir + "/bench"

// Body is one drain POST body.
type Body struct {
	Name   string // file name without .logplex
	Data   []byte
	Frames int // octet-counted frames in Data
}

// Lines returns the frames of b as a float, for per-line figures.
func (b Body) Lines() float64 { return float64(b.Frames) }

// DynoBase is the first process number of the generated web dynos. Every
// generated dyno name is "web." followed by five digits starting with 1
// (web.10000 .. web.19999), so a load generator can give a request another
// dyno by rewriting those digits in place without changing any octet count.
const DynoBase = 10000

// DynoName is the fixed-width dyno name of index i (0 <= i < 10000).
func DynoName(i int) string { return "web." + strconv.Itoa(DynoBase+i%10000) }

const appHost = "acme-web-1a2b3c4d5e6f.herokuapp.com"

// Generated returns the generated bodies by file name (without .logplex):
// a batch of router lines, one of runtime-metrics lines and a maximal
// mixed batch, each filled to just under Logplex's 100 KB target.
func Generated() map[string][]byte {
	return map[string][]byte{
		"router-100k":  fill(routerLine),
		"runtime-100k": fill(runtimeLine),
		"mixed-100k":   fill(mixedLine),
	}
}

// fill appends line(i, t) for i = 0, 1, ... while the body stays below
// logplextest.DefaultTargetBytes and within DefaultMaxMessages frames.
func fill(line func(i int, t time.Time) logplextest.Message) []byte {
	t0 := time.Date(2025, 3, 14, 12, 0, 0, 104233000, time.UTC)
	var body []byte
	for i := 0; i < logplextest.DefaultMaxMessages; i++ {
		m := line(i, t0.Add(time.Duration(i)*7331*time.Microsecond))
		if len(body)+m.FrameSize() >= logplextest.DefaultTargetBytes {
			break
		}
		body = m.AppendFrame(body)
	}
	return body
}

var (
	paths    = []string{"/", "/api/v1/items?page=2", "/assets/application-4f3e2d.css", "/login", "/api/v1/orders/8812/items", "/healthz"}
	statuses = []int{200, 200, 200, 304, 200, 201, 200, 404, 200, 500}
)

func routerLine(i int, t time.Time) logplextest.Message {
	status := statuses[i%len(statuses)]
	text := fmt.Sprintf(`at=info method=GET path="%s" host=%s request_id=%08x-51f3-4c44-a3e4-0a1b2c3d4e5f fwd="204.204.%d.%d" dyno=%s connect=%dms service=%dms status=%d bytes=%d protocol=https`,
		paths[i%len(paths)], appHost, uint32(i)*2654435761, i%255, (i*7)%255, DynoName(1+i%4), i%3, 3+(i*37)%400, status, 112+(i*131)%9000)
	if status == 500 {
		text = strings.Replace(text, "at=info", "at=error code=H13 desc=\"Connection closed without response\"", 1)
	}
	return logplextest.Message{PRI: logplextest.PRIRouter, Time: t, AppName: "heroku", ProcID: "router", Msg: text}
}

func runtimeLine(i int, t time.Time) logplextest.Message {
	dyno := DynoName(1 + (i/2)%4)
	uuid := fmt.Sprintf("heroku.2808254.%08x-cf3d-411b-b453-d2943a50b456", uint32(1+(i/2)%4)*2246822519)
	var text string
	if i%2 == 0 {
		text = fmt.Sprintf("source=%s dyno=%s sample#load_avg_1m=%d.%02d sample#load_avg_5m=1.06 sample#load_avg_15m=0.99", dyno, uuid, i%4, i%100)
	} else {
		text = fmt.Sprintf("source=%s dyno=%s sample#memory_total=%d.50MB sample#memory_rss=240.25MB sample#memory_cache=5.25MB sample#memory_swap=0.00MB sample#memory_pgpgin=348836pages sample#memory_pgpgout=343403pages sample#memory_quota=512.00MB", dyno, uuid, 200+i%50)
	}
	return logplextest.Message{PRI: logplextest.PRIRuntime, Time: t, AppName: "heroku", ProcID: dyno, Msg: text}
}

// mixedLine is a busy web app's drain: mostly router lines, then app
// output, runtime metrics, an l2met line and dyno state changes.
func mixedLine(i int, t time.Time) logplextest.Message {
	switch i % 20 {
	case 7, 15:
		return logplextest.Message{PRI: logplextest.PRIApp, Time: t, AppName: "app", ProcID: DynoName(1 + i%4),
			Msg: fmt.Sprintf("I, [2025-03-14T12:00:00.104233 #12]  INFO -- : Completed 200 OK in %dms (Views: 7.1ms | ActiveRecord: 4.2ms)", 3+i%90)}
	case 11:
		return logplextest.Message{PRI: logplextest.PRIApp, Time: t, AppName: "app", ProcID: DynoName(1 + i%4),
			Msg: fmt.Sprintf("source=checkout count#orders.placed=1 measure#db.latency=%d.5ms", i%40)}
	case 3, 4:
		return runtimeLine(i, t)
	case 19:
		return logplextest.Message{PRI: logplextest.PRIDyno, Time: t, AppName: "heroku", ProcID: DynoName(1 + i%4),
			Msg: "State changed from starting to up"}
	default:
		return routerLine(i, t)
	}
}

// Load reads every committed body: testdata/drains/*.logplex and the
// generated testdata/drains/bench/*.logplex, sorted by name. dir is the
// drains directory (Dir from the bench module root).
func Load(dir string) ([]Body, error) {
	var files []string
	for _, pat := range []string{"*.logplex", "bench/*.logplex"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.logplex bodies under %s", dir)
	}
	var out []Body
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		n, err := CountFrames(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, Body{Name: strings.TrimSuffix(filepath.Base(f), ".logplex"), Data: data, Frames: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// CountFrames walks the octet counts of body and returns how many frames
// it holds; it fails when a count does not land on the next frame.
func CountFrames(body []byte) (int, error) {
	n := 0
	for len(body) > 0 {
		sp := 0
		for sp < len(body) && body[sp] >= '0' && body[sp] <= '9' {
			sp++
		}
		if sp == 0 || sp >= len(body) || body[sp] != ' ' {
			return n, fmt.Errorf("frame %d: no octet count", n+1)
		}
		size, err := strconv.Atoi(string(body[:sp]))
		if err != nil || sp+1+size > len(body) {
			return n, fmt.Errorf("frame %d: count %q runs past the body", n+1, body[:sp])
		}
		body = body[sp+1+size:]
		n++
	}
	return n, nil
}
