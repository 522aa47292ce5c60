// Command drainload measures drain ingestion end to end over loopback HTTP:
// it starts each server in a process of its own (GOMAXPROCS=1 by default),
// drives it with Logplex-like POSTs from N connections, every request with
// its own Logplex-Frame-Id, and prints lines/s, MB/s, server CPU per line
// and RSS, each throughput also as a ratio against the HTTP floor measured
// in the same run (a bare net/http server that reads and discards).
//
// Targets:
//
//	floor      bare net/http read-and-discard server (the baseline)
//	collector  the otelcol-heroku binary (-bin): herokudrain -> nop, logs + metrics pipelines
//	receiver   the herokudrain receiver alone, from its public factory, into a nop consumer
//	promtail   a Promtail binary (-promtail-bin) with a heroku_drain job pushing to a discard sink
//
// Modes:
//
//	drainload -bin dist/otelcol-heroku                       side by side, interleaved rounds
//	drainload -bin ... -targets collector -conns 1,8,64      scaling over connections
//	drainload -bin ... -targets collector -tokens 1,100,10000   scaling over drain tokens/dynos
//	drainload -bin ... -soak -duration 10m -rate 40000       steady rate, RSS over time
//	drainload -targets receiver -cpuprofile cpu.pprof        profile of the drain path
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/herokudrain/herokudrain/bench/internal/bodies"
	"github.com/herokudrain/herokudrain/bench/internal/load"
	"github.com/herokudrain/herokudrain/bench/internal/proc"
	"github.com/herokudrain/herokudrain/bench/internal/servers"
)

type options struct {
	bin        string
	promtail   string
	targets    []string
	conns      []int
	tokens     []int
	duration   time.Duration
	warmup     time.Duration
	rounds     int
	rate       float64
	body       string
	gomaxprocs int
	raw        string
	cpuprofile string
	memprofile string
	soak       bool
	sample     time.Duration
	tolerance  float64
	dedupeTTL  time.Duration
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "serve-floor":
			fail(servers.Floor(os.Args[2]))
			return
		case "serve-receiver":
			pp := ""
			if len(os.Args) > 3 {
				pp = os.Args[3]
			}
			fail(servers.Receiver(os.Args[2], pp))
			return
		}
	}
	var o options
	var targets, conns, tokens string
	flag.StringVar(&o.bin, "bin", os.Getenv("OTELCOL_HEROKU_BIN"), "otelcol-heroku binary (target collector)")
	flag.StringVar(&o.promtail, "promtail-bin", os.Getenv("PROMTAIL_BIN"), "Promtail binary (target promtail; pushes go to a read-and-discard Loki sink)")
	flag.StringVar(&targets, "targets", "floor,collector", "comma-separated: floor, collector, receiver, promtail")
	flag.StringVar(&conns, "conns", "8", "comma-separated connection counts")
	flag.StringVar(&tokens, "tokens", "0", "comma-separated distinct drain tokens/dynos (0: body as committed, one token)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per case and round (soak: whole run)")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "load before measuring (soak: before the RSS baseline; default duration/5)")
	flag.IntVar(&o.rounds, "rounds", 2, "interleaved rounds over every case")
	flag.Float64Var(&o.rate, "rate", 0, "total lines/s to hold (0: as fast as the server answers)")
	flag.StringVar(&o.body, "body", filepath.Join(bodies.GeneratedDir, "mixed-100k.logplex"), "drain body to POST")
	flag.IntVar(&o.gomaxprocs, "gomaxprocs", 1, "GOMAXPROCS of every server")
	flag.StringVar(&o.raw, "raw", "", "append results in Go benchmark format (benchstat) to this file")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "target receiver: write a CPU profile of the last measured run here")
	flag.StringVar(&o.memprofile, "memprofile", "", "target receiver: write an allocation profile of the last measured run here")
	flag.BoolVar(&o.soak, "soak", false, "one steady run printing lines/s and RSS every -sample; fails when RSS grows")
	flag.DurationVar(&o.sample, "sample", 0, "soak: sampling interval (default duration/30, within 2s-10s)")
	flag.Float64Var(&o.tolerance, "rss-tolerance", 0.20, "soak: allowed RSS growth after warm-up (0.20 = 20%)")
	flag.DurationVar(&o.dedupeTTL, "dedupe-ttl", 0, "target collector: the receiver's dedupe ttl (0: its default, 10m)")
	flag.Parse()
	o.targets = strings.Split(targets, ",")
	if o.soak {
		if o.sample == 0 {
			o.sample = min(max(o.duration/30, 2*time.Second), 10*time.Second)
		}
		warmupSet := false
		flag.Visit(func(f *flag.Flag) { warmupSet = warmupSet || f.Name == "warmup" })
		if !warmupSet {
			// The Frame-Id cache grows by design until its first entries
			// expire; judge RSS only once it is at its steady size.
			o.warmup = max(o.duration/5, o.dedupeTTL+2*o.sample)
		}
	}
	o.conns = ints(conns)
	o.tokens = ints(tokens)
	if slices.Contains(o.targets, "collector") && o.bin == "" {
		fail(errors.New("target collector needs -bin (or OTELCOL_HEROKU_BIN): build it with `make build`"))
	}
	if slices.Contains(o.targets, "promtail") && o.promtail == "" {
		fail(errors.New("target promtail needs -promtail-bin (or PROMTAIL_BIN)"))
	}
	var err error
	if o.soak {
		err = soak(o)
	} else {
		err = compare(o)
	}
	fail(err)
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "drainload:", err)
		os.Exit(1)
	}
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		fail(err)
		out = append(out, n)
	}
	return out
}

func startTarget(o options, target string) (*proc.Proc, string, error) {
	switch target {
	case "collector":
		p, err := proc.StartCollector(o.bin, o.gomaxprocs, o.dedupeTTL)
		return p, "", err
	case "promtail":
		// The Loki push sink is a floor server of its own, stopped with
		// Promtail.
		sink, _, err := startTarget(o, "floor")
		if err != nil {
			return nil, "", err
		}
		p, err := proc.StartPromtail(o.promtail, strings.TrimSuffix(sink.URL, "/logs")+"/loki/api/v1/push", o.gomaxprocs)
		if err != nil {
			sink.Stop()
			return nil, "", err
		}
		p.With = append(p.With, sink)
		return p, "", nil
	case "floor", "receiver":
		addr, err := proc.FreeAddr()
		if err != nil {
			return nil, "", err
		}
		args := []string{"serve-" + target, addr}
		pprofAddr := ""
		if target == "receiver" {
			if pprofAddr, err = proc.FreeAddr(); err != nil {
				return nil, "", err
			}
			args = append(args, pprofAddr)
		}
		p, err := proc.StartSelf(target, "http://"+addr+"/logs", o.gomaxprocs, args...)
		return p, pprofAddr, err
	}
	return nil, "", fmt.Errorf("unknown target %q (floor, collector, receiver)", target)
}

type caseKey struct {
	target        string
	conns, tokens int
}

type measure struct {
	res      load.Result
	cpu      time.Duration
	rssMax   int64
	rssEnd   int64
	perLineB float64
}

func loadBody(o options) ([]byte, int, error) {
	body, err := os.ReadFile(o.body)
	if err != nil {
		return nil, 0, err
	}
	n, err := bodies.CountFrames(body)
	return body, n, err
}

// compare runs every (conns, tokens, target) case in each round, a fresh
// server process per case, and prints the table.
func compare(o options) error {
	body, lines, err := loadBody(o)
	if err != nil {
		return err
	}
	fmt.Printf("drainload: %s (%d lines, %d bytes) per request, unique Frame-Id per request; servers GOMAXPROCS=%d; %d round(s) of %s after %s warm-up\n",
		filepath.Base(o.body), lines, len(body), o.gomaxprocs, o.rounds, o.duration, o.warmup)
	results := map[caseKey][]measure{}
	var order []caseKey
	for r := 0; r < o.rounds; r++ {
		for _, c := range o.conns {
			for _, k := range o.tokens {
				for _, t := range o.targets {
					key := caseKey{t, c, k}
					if r == 0 {
						order = append(order, key)
					}
					last := r == o.rounds-1
					m, err := runCase(o, key, body, lines, last)
					if err != nil {
						return fmt.Errorf("%s conns=%d tokens=%d: %w", t, c, k, err)
					}
					fmt.Fprintf(os.Stderr, "  round %d %-9s conns=%-3d tokens=%-5d %9.0f lines/s  RSS %s\n", r+1, t, c, k, m.res.LinesPerSec(), mb(m.rssEnd))
					results[key] = append(results[key], m)
					if err := writeRaw(o.raw, key, m); err != nil {
						return err
					}
				}
			}
		}
	}
	printTable(order, results)
	return nil
}

func runCase(o options, key caseKey, body []byte, lines int, last bool) (measure, error) {
	p, pprofAddr, err := startTarget(o, key.target)
	if err != nil {
		return measure{}, err
	}
	defer p.Stop()
	gen := load.New(load.Config{URL: p.URL, Body: body, Lines: lines, Conns: key.conns, Tokens: key.tokens, Rate: o.rate})
	defer gen.Close()
	if o.warmup > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), o.warmup)
		gen.Run(ctx)
		cancel()
	}
	var profWG sync.WaitGroup
	var profErr error
	if last && pprofAddr != "" && o.cpuprofile != "" {
		profWG.Add(1)
		go func() {
			defer profWG.Done()
			profErr = fetch(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, max(1, int(o.duration.Seconds())-1)), o.cpuprofile)
		}()
	}
	cpu0 := p.CPU()
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	rssMax := watchRSS(ctx, p)
	res := gen.Run(ctx)
	m := measure{res: res, cpu: p.CPU() - cpu0, rssMax: <-rssMax, rssEnd: p.RSS()}
	profWG.Wait()
	if profErr != nil {
		return m, profErr
	}
	if last && pprofAddr != "" && o.memprofile != "" {
		if err := fetch("http://"+pprofAddr+"/debug/pprof/allocs", o.memprofile); err != nil {
			return m, err
		}
	}
	if res.OK == 0 {
		return m, fmt.Errorf("no request answered 2xx (%+v)\n%s", res, p.Log())
	}
	return m, nil
}

func fetch(url, path string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// watchRSS samples p's RSS every 100 ms until ctx ends and then sends the
// largest value seen.
func watchRSS(ctx context.Context, p *proc.Proc) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		peak := p.RSS()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				out <- peak
				return
			case <-t.C:
				peak = max(peak, p.RSS())
			}
		}
	}()
	return out
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

// writeRaw appends one Go-benchmark-format line per measured case, so
// `benchstat -col /target` can compare runs and targets.
func writeRaw(path string, k caseKey, m measure) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	lines := float64(m.res.Lines)
	cpuPerLine := 0.0
	if lines > 0 {
		cpuPerLine = float64(m.cpu.Nanoseconds()) / lines
	}
	_, err = fmt.Fprintf(f, "BenchmarkE2E/target=%s/conns=%d/tokens=%d \t%d\t%.1f ns/line\t%.0f lines/s\t%.2f MB/s\t%.1f cpu-ns/line\t%.1f rss-MB\t%d refused\n",
		k.target, k.conns, k.tokens, m.res.OK, float64(m.res.Elapsed.Nanoseconds())/max(lines, 1), m.res.LinesPerSec(), m.res.MBPerSec(),
		cpuPerLine, float64(m.rssMax)/(1<<20), m.res.Refused)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func mean(ms []measure, f func(measure) float64) (avg, lo, hi float64) {
	lo, hi = f(ms[0]), f(ms[0])
	for _, m := range ms {
		v := f(m)
		avg += v
		lo, hi = min(lo, v), max(hi, v)
	}
	return avg / float64(len(ms)), lo, hi
}

func printTable(order []caseKey, results map[caseKey][]measure) {
	fmt.Println()
	fmt.Println("vs floor: lines/s of the target / lines/s of the HTTP floor at the same conns and tokens, in this run;")
	fmt.Println("cpu-us/line: server CPU time (user+system) per delivered line; RSS max: peak resident memory while measured")
	fmt.Printf("%-10s %5s %6s | %10s %11s %8s | %10s %12s | %8s %7s\n",
		"target", "conns", "tokens", "lines/s", "(min-max)", "MB/s", "vs floor", "cpu-us/line", "RSS max", "refused")
	for _, k := range order {
		ms := results[k]
		lps, lo, hi := mean(ms, func(m measure) float64 { return m.res.LinesPerSec() })
		mbs, _, _ := mean(ms, func(m measure) float64 { return m.res.MBPerSec() })
		cpu, _, _ := mean(ms, func(m measure) float64 {
			return float64(m.cpu.Microseconds()) / max(float64(m.res.Lines), 1)
		})
		rss, _, _ := mean(ms, func(m measure) float64 { return float64(m.rssMax) })
		var refused int64
		for _, m := range ms {
			refused += m.res.Refused
		}
		ratio := "-"
		if f, ok := results[caseKey{"floor", k.conns, k.tokens}]; ok && k.target != "floor" {
			flps, _, _ := mean(f, func(m measure) float64 { return m.res.LinesPerSec() })
			ratio = fmt.Sprintf("%.3fx", lps/flps)
		} else if k.target == "floor" {
			ratio = "1 (base)"
		}
		spread := fmt.Sprintf("%.0fk-%.0fk", lo/1e3, hi/1e3)
		fmt.Printf("%-10s %5d %6d | %10.0f %11s %8.1f | %10s %12.2f | %8s %7d\n",
			k.target, k.conns, k.tokens, lps, spread, mbs, ratio, cpu, mb(int64(rss)), refused)
	}
}
