// Command benchtable reads `go test -bench` output (the receiver's own
// BenchmarkFraming and BenchmarkTranslate and bench/framing's peers, which
// share names of the form Benchmark<Kind>/body=<name>/impl=<impl>) and
// prints side-by-side tables in which every figure is also a ratio against
// its baseline from the same run:
//
//   - framing: each implementation against heroku/x DrainScanner on the
//     same body (speed-up in lines/s; allocations per line);
//   - translation: against our framing of the same body, and against the
//     targets (1 us and 5 allocations per line).
//
// Usage: benchtable FILE... (several -count runs of a benchmark are averaged)
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// result is the mean of one benchmark's runs, by unit.
type result struct {
	sum map[string]float64
	n   map[string]int
}

func (r *result) get(unit string) float64 {
	if r == nil || r.n[unit] == 0 {
		return 0
	}
	return r.sum[unit] / float64(r.n[unit])
}

type key struct{ kind, body, impl string }

func parse(r io.Reader, into map[key]*result) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 && !strings.Contains(name[i:], "/") && !strings.Contains(name[i:], "=") {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		parts := strings.Split(name, "/")
		k := key{kind: strings.TrimPrefix(parts[0], "Benchmark")}
		for _, p := range parts[1:] {
			if v, ok := strings.CutPrefix(p, "body="); ok {
				k.body = v
			} else if v, ok := strings.CutPrefix(p, "impl="); ok {
				k.impl = v
			}
		}
		if k.body == "" || k.impl == "" {
			continue
		}
		res := into[k]
		if res == nil {
			res = &result{sum: map[string]float64{}, n: map[string]int{}}
			into[k] = res
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			res.sum[f[i+1]] += v
			res.n[f[i+1]]++
		}
	}
	return sc.Err()
}

func main() {
	all := map[key]*result{}
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		err = parse(f, all)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
	}
	if len(all) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no Benchmark<Kind>/body=/impl= lines in", os.Args[1:])
		os.Exit(1)
	}
	printFraming(os.Stdout, all)
	printTranslate(os.Stdout, all)
}

func bodiesOf(all map[key]*result, kind string) []string {
	seen := map[string]bool{}
	for k := range all {
		if k.kind == kind {
			seen[k.body] = true
		}
	}
	var out []string
	for b := range seen {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

// printFraming: one block per body, one row per implementation.
func printFraming(w io.Writer, all map[key]*result) {
	const base = "herokux"
	fmt.Fprintln(w, "Framing + header parsing, same body, one core (baseline: heroku/x DrainScanner, same body, same run)")
	fmt.Fprintf(w, "%-13s %-12s | %10s %9s %8s %11s %11s | %12s %14s\n",
		"body", "impl", "lines/s", "MB/s", "ns/line", "allocs/line", "allocs/body", "lines/s vs", "allocs/line vs")
	for _, body := range bodiesOf(all, "Framing") {
		b := all[key{"Framing", body, base}]
		for _, impl := range []string{"herokudrain", "herokux", "gosyslog"} {
			r := all[key{"Framing", body, impl}]
			if r == nil {
				continue
			}
			fmt.Fprintf(w, "%-13s %-12s | %10.0f %9.1f %8.1f %11.2f %11.0f | %12s %14s\n",
				body, impl, r.get("lines/s"), r.get("MB/s"), r.get("ns/line"), r.get("allocs/line"), r.get("allocs/op"),
				ratio(r.get("lines/s"), b.get("lines/s")), ratio(r.get("allocs/line"), b.get("allocs/line")))
		}
	}
	fmt.Fprintln(w)
}

// printTranslate: our full translation per body, against our framing of
// the same body and against the per-line targets.
func printTranslate(w io.Writer, all map[key]*result) {
	bodies := bodiesOf(all, "Translate")
	if len(bodies) == 0 {
		return
	}
	fmt.Fprintln(w, "Full translation (frame -> pdata logs + metrics, framing included), one core")
	fmt.Fprintln(w, "  vs framing: ns/line over our framing of the same body in this run; vs target: ns/line / 1000 ns, allocs/line / 5")
	fmt.Fprintf(w, "%-13s | %10s %9s %9s %11s | %11s %14s %15s\n",
		"body", "lines/s", "MB/s", "ns/line", "allocs/line", "vs framing", "ns vs target", "allocs vs target")
	for _, body := range bodies {
		r := all[key{"Translate", body, "herokudrain"}]
		if r == nil {
			continue
		}
		fr := all[key{"Framing", body, "herokudrain"}]
		fmt.Fprintf(w, "%-13s | %10.0f %9.1f %9.0f %11.1f | %11s %14s %15s\n",
			body, r.get("lines/s"), r.get("MB/s"), r.get("ns/line"), r.get("allocs/line"),
			ratio(r.get("ns/line"), fr.get("ns/line")), ratio(r.get("ns/line"), 1000), ratio(r.get("allocs/line"), 5))
	}
	fmt.Fprintln(w)
}
