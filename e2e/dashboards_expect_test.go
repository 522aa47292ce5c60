//go:build backends

package e2e

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

const mib = 1 << 20

// bucketBounds are the upper bounds of a histogram's buckets as Prometheus
// stores them (read from the le labels), ending in +Inf.
type bucketBounds []float64

// within reports whether v is within one bucket of the true value x: in
// x's bucket or a neighbour.
func (b bucketBounds) within(v, x float64) bool {
	i := sort.SearchFloat64s(b, x) // b[i] is the upper bound of x's bucket
	lo, hi := 0.0, math.Inf(1)
	if i-2 >= 0 {
		lo = b[i-2]
	}
	if i+1 < len(b) {
		hi = b[i+1]
	}
	return v >= lo && v <= hi
}

func singleBucket(b bucketBounds, x float64) func([]series, []map[string]string) error {
	return func(res []series, _ []map[string]string) error {
		if len(res) != 1 || len(res[0].points) != 1 {
			return fmt.Errorf("want one value, got %v", res)
		}
		if v := res[0].points[0][1]; !b.within(v, x) {
			return fmt.Errorf("%v is not within one bucket of %v (bounds %v)", v, x, b)
		}
		return nil
	}
}

// allPointsWithin checks that a trend of max/avg/median stays between the
// bucket below the smallest true value and the bucket above the largest.
func allPointsWithin(b bucketBounds, minV, maxV float64) func([]series, []map[string]string) error {
	return func(res []series, _ []map[string]string) error {
		n := 0
		for _, s := range res {
			for _, p := range s.points {
				n++
				if !b.within(p[1], minV) && !b.within(p[1], maxV) && (p[1] < minV || p[1] > maxV) {
					return fmt.Errorf("point %v outside [%v, %v] by more than a bucket", p[1], minV, maxV)
				}
			}
		}
		if n == 0 {
			return fmt.Errorf("no points")
		}
		return nil
	}
}

func minMax(vs []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// median is the true 50th percentile (nearest rank).
func median(vs []float64) float64 {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	return s[(len(s)-1)/2]
}

func sum(vs []float64) float64 {
	var t float64
	for _, v := range vs {
		t += v
	}
	return t
}

func one(v float64) map[string]float64 { return map[string]float64{"": v} }

func isErr(sev string) bool { return sev == "error" || sev == "fatal" }

// expectations derives what every dashboard query must return from the
// ledger. Keys are dashboard file/panel title/refId.
func expectations(led *ledger, bounds map[string]bucketBounds) map[string]check {
	c := map[string]check{}
	stat := func(key string, v float64) { c[key] = check{want: one(v)} }
	by := func(key string, labels []string, want map[string]float64) { c[key] = check{labels: labels, want: want} }
	trendBy := func(key string, labels []string, want map[string]float64) {
		c[key] = check{labels: labels, want: want, mode: "sum"}
	}

	// Requests.
	var connect, service, bytes []float64
	failed := 0
	statusByDyno, bytesByDyno, byStatus := map[string]float64{}, map[string]float64{}, map[string]float64{}
	latByMethod := map[string][]float64{}
	failedByPath, connectByPath, serviceByPath := map[string]float64{}, map[string]float64{}, map[string]float64{}
	pathService := map[string][]float64{}
	n := 0.0
	for _, r := range led.requests {
		st := strconv.Itoa(r.status)
		if !r.dup {
			n++
			if r.status != 200 {
				failed++
				failedByPath["requests|"+r.path]++
			}
			statusByDyno[r.dyno+"|"+st]++
			byStatus[st]++
		}
		if r.connect >= 0 {
			connect = append(connect, float64(r.connect)/1000)
			connectByPath["connect_ms|"+r.path] = math.Max(connectByPath["connect_ms|"+r.path], float64(r.connect))
			if r.service >= 0 {
				serviceByPath["service_ms|"+r.path] = math.Max(serviceByPath["service_ms|"+r.path], float64(r.service))
			}
		}
		if r.service >= 0 {
			service = append(service, float64(r.service)/1000)
			latByMethod[r.method] = append(latByMethod[r.method], float64(r.service)/1000)
			pathService[r.path] = append(pathService[r.path], float64(r.service))
		}
		if r.bytes >= 0 {
			bytes = append(bytes, float64(r.bytes))
			bytesByDyno[r.dyno] += float64(r.bytes)
		}
	}
	const ov = "overview/"
	stat(ov+"Total Request Count/A", n)
	c[ov+"Average Connection Time/A"] = check{want: one(sum(connect) / float64(len(connect))), tol: 1e-9}
	c[ov+"Average Latency/A"] = check{want: one(sum(service) / float64(len(service))), tol: 1e-9}
	c[ov+"Average Response Size/A"] = check{want: one(sum(bytes) / float64(len(bytes))), tol: 1e-9}
	stat(ov+"Failed Request Count/A", float64(failed))
	by(ov+"Top 10 Failed Requests/A", []string{"__name__", "url.path"}, failedByPath)
	slow := map[string]float64{}
	for k, v := range connectByPath {
		slow[k] = v
	}
	for k, v := range serviceByPath {
		slow[k] = v
	}
	by(ov+"Top 10 Slowest Requests/A", []string{"__name__", "url.path"}, slow)
	c[ov+"Request-Response Trend/A"] = check{want: one(n), mode: "sum"}
	c[ov+"Request-Response Trend/B"] = check{want: one(float64(failed)), mode: "sum"}
	load15, memTotal := map[string]float64{}, map[string]float64{}
	for _, s := range led.runtime {
		load15[s.dyno] = s.load[2]
		memTotal[s.dyno] = float64(s.memMB["total"]) * mib
	}
	c[ov+"Dyno Load Average (15 min)/A"] = check{labels: []string{"heroku_dyno_name"}, want: load15, mode: "last", tol: 1e-9}
	c[ov+"Dyno Memory (MB)/A"] = check{labels: []string{"heroku_dyno_name"}, want: memTotal, mode: "last"}
	by(ov+"Status Code Count by Dyno/A", []string{"heroku_dyno_name", "http_response_status_code"}, statusByDyno)
	trendBy(ov+"MBs Transferred by Dyno Over Time/A", []string{"heroku_dyno_name"}, bytesByDyno)
	trendBy(ov+"Response Throughput by Status Code/A", []string{"http_response_status_code"}, byStatus)

	// Log records.
	errByHost, errByComp, appErrByType := map[string]float64{}, map[string]float64{}, map[string]float64{}
	linesByHost := map[string]float64{}
	var errs, lines, appErrs, relErrs float64
	for k, cnt := range led.records {
		lines += float64(cnt)
		linesByHost[k.appname] += float64(cnt)
		if !isErr(k.severity) {
			continue
		}
		errs += float64(cnt)
		errByHost[k.appname] += float64(cnt)
		errByComp[k.component] += float64(cnt)
		if k.component == "app" {
			appErrs += float64(cnt)
			appErrByType[k.dynoType] += float64(cnt)
			if k.dynoType == "release" {
				relErrs += float64(cnt)
			}
		}
	}
	by(ov+"Total Errors by Host/A", []string{"syslog_appname"}, errByHost)
	c[ov+"Overall Error Rate/A"] = check{want: one(100 * errs / lines), tol: 1e-9}
	c[ov+"App Error Rate/A"] = check{want: one(100 * errByHost["app"] / linesByHost["app"]), tol: 1e-9}
	c[ov+"Heroku Error Rate/A"] = check{want: one(100 * errByHost["heroku"] / linesByHost["heroku"]), tol: 1e-9}
	by(ov+"Total Errors by Component/A", []string{"heroku_component"}, errByComp)

	// Latency and connect time: max and median within a bucket, mean exact.
	lat, con := bounds["http_server_request_duration_seconds"], bounds["heroku_router_connect_duration_seconds"]
	for _, h := range []struct {
		title string
		b     bucketBounds
		vs    []float64
	}{{"Connect Time", con, connect}, {"Latency", lat, service}} {
		lo, hi := minMax(h.vs)
		key := ov + "Max / Average / 50th Percentile " + h.title + " Trend/"
		for _, ref := range []string{"A", "B", "C"} {
			c[key+ref] = check{fn: allPointsWithin(h.b, lo, hi)}
		}
	}
	c[ov+"Max / Average / 50th Percentile Path Latency/A"] = check{fn: pathLatency(pathService)}
	maxBy, avgBy, p50By := map[string]func(float64) error{}, map[string]func(float64) error{}, map[string]func(float64) error{}
	for m, vs := range latByMethod {
		_, hi := minMax(vs)
		maxBy[m] = inBucket(lat, hi)
		avgBy[m] = near(sum(vs) / float64(len(vs)))
		p50By[m] = inBucket(lat, median(vs))
	}
	const ml = ov + "Max / Average / 50th Percentile Method Latency/"
	c[ml+"A"] = check{fn: perLabel("http_request_method", maxBy)}
	c[ml+"B"] = check{fn: perLabel("http_request_method", avgBy)}
	c[ml+"C"] = check{fn: perLabel("http_request_method", p50By)}

	// Dyno.
	const dy = "dyno/"
	c[dy+"Dynos/A"] = check{labels: []string{"heroku_dyno_type"}, want: toF(led.formation), after: toF(led.formation)}
	stat(dy+"Successful Dyno Launches/A", float64(led.launches["successful"]))
	stat(dy+"Completed Dyno Launches/A", float64(led.launches["completed"]))
	stat(dy+"Crashed Dyno Launches/A", float64(led.launches["crashed"]))
	stat(dy+"Scaling Dyno Operations/A", float64(len(led.scales)))
	stat(dy+"Dyno Restarts/A", float64(led.restarts))
	stat(dy+"Stopped Dynos/A", float64(led.launches["stopped"]))
	by(dy+"Process Exit Status by Code/A", []string{"process_exit_code"}, toF(led.exits))
	c[dy+"Dyno Count Trend/A"] = check{labels: []string{"heroku_dyno_type"}, want: toF(led.formation), mode: "last", after: toF(led.formation)}
	reporting := map[string]float64{}
	for _, s := range led.runtime {
		reporting[dynoTypeOf(s.dyno)]++
	}
	c[dy+"Dyno Count Trend/B"] = check{labels: []string{"heroku_dyno_type"}, want: reporting, mode: "last"}
	trendBy(dy+"Successful / Completed / Crashed Dyno Launches Trend/A", []string{"heroku_dyno_launch"}, map[string]float64{
		"successful": float64(led.launches["successful"]), "completed": float64(led.launches["completed"]), "crashed": float64(led.launches["crashed"])})
	scaleBy := countBy("operations", led.scales)
	by(dy+"Scaling Dyno Operations by User/A", []string{"__name__", "user.email"}, scaleBy)
	trendBy(dy+"Scaling Dyno Operation Trend by User/A", []string{"__name__", "user.email"}, scaleBy)

	// Application.
	const ap = "application/"
	stat(ap+"Total App Builds/A", float64(led.builds["started"]))
	stat(ap+"Successful App Builds/A", float64(led.builds["succeeded"]))
	stat(ap+"Failed App Builds/A", float64(led.builds["failed"]))
	stat(ap+"App Deployments/A", float64(len(led.deploys)))
	stat(ap+"App Releases/A", float64(len(led.releases)))
	trendBy(ap+"Successful / Failed App Build Trend/A", []string{"heroku_build_outcome"}, map[string]float64{
		"succeeded": float64(led.builds["succeeded"]), "failed": float64(led.builds["failed"])})
	c[ap+"App Deployment / Release Trend/A"] = check{want: one(float64(len(led.deploys))), mode: "sum"}
	c[ap+"App Deployment / Release Trend/B"] = check{want: one(float64(len(led.releases))), mode: "sum"}
	var deployUsers []string
	commits := map[string]map[string]bool{}
	for _, d := range led.deploys {
		deployUsers = append(deployUsers, d.user)
		if commits[d.user] == nil {
			commits[d.user] = map[string]bool{}
		}
		commits[d.user][d.commit] = true
	}
	by(ap+"App Deployments by User/A", []string{"__name__", "user.email"}, countBy("deployments", deployUsers))
	by(ap+"App Releases by User/A", []string{"__name__", "user.email"}, countBy("releases", led.releases))
	trendBy(ap+"App Deployment / Release Trend by User/A", []string{"__name__", "user.email"}, countBy("deployments", deployUsers))
	trendBy(ap+"App Deployment / Release Trend by User/B", []string{"__name__", "user.email"}, countBy("releases", led.releases))
	commitCount := map[string]float64{}
	for u, cs := range commits {
		commitCount["commits|"+u] = float64(len(cs))
	}
	by(ap+"App Deployment Commits by User/A", []string{"__name__", "user.email"}, commitCount)
	c[ap+"App Deployment Commits by User/B"] = check{fn: deployRows(led.deploys)}

	// Memory and CPU.
	for _, g := range []struct{ title, key string }{
		{"Resident Memory (memory_rss)", "rss"}, {"Disk Cache Memory (memory_cache)", "cache"}, {"Swap Memory (memory_swap)", "swap"},
		{"Total Memory (memory_total)", "total"}, {"Memory Quota (memory_quota)", "quota"},
	} {
		want := map[string]float64{}
		for _, s := range led.runtime {
			want[s.dyno] = float64(s.memMB[g.key]) * mib
		}
		gaugeViews(c, "memory/"+g.title, ": Over Time", want)
	}
	for _, p := range []struct{ title string }{{"Pages Written to Disk (memory_pgpgout)"}, {"Pages Read from Disk (memory_pgpgin)"}} {
		want := map[string]float64{}
		for _, s := range led.runtime {
			pg := s.pgin
			if p.title[6] == 'W' {
				pg = s.pgout
			}
			want[s.dyno] = float64(pg[1] - pg[0])
		}
		c["memory/"+p.title+": Per Dyno/A"] = check{labels: []string{"heroku_dyno_name"}, want: want}
		c["memory/"+p.title+": Over Time/A"] = check{labels: []string{"heroku_dyno_name"}, want: want, mode: "sum"}
	}
	for i, w := range []string{"1m", "5m", "15m"} {
		want := map[string]float64{}
		var all []float64
		for _, s := range led.runtime {
			want[s.dyno] = s.load[i]
			all = append(all, s.load[i])
		}
		c["cpu/Load Average "+w+": Overall/A"] = check{want: one(sum(all) / float64(len(all))), tol: 1e-9}
		gaugeViews(c, "cpu/Load Average "+w, ": By Dyno", want)
		delete(c, "cpu/Load Average "+w+": Average/A") // the CPU board has Overall instead
	}
	pct := map[string]float64{}
	for _, s := range led.runtime {
		pct[s.dyno] = 100 * s.load[0]
	}
	c["cpu/Load Average Percent/A"] = check{labels: []string{"heroku_dyno_name"}, want: pct, tol: 1e-9}

	// Infrastructure errors.
	const ie = "infrastructure-errors/"
	byCode, byComp := map[string]float64{}, map[string]float64{}
	for k, cnt := range led.errors {
		byCode[k[0]] += float64(cnt)
		byComp[k[1]] += float64(cnt)
	}
	for _, p := range []struct{ title, code string }{
		{"App Crash", "H10"}, {"App Boot Timeout", "H20"}, {"Boot Timeout", "R10"}, {"Request Timeout", "H12"},
		{"Closed Connection without Response", "H13"}, {"Idle Connection", "H15"}, {"Server Request Interrupted", "H18"},
		{"Zero Dyno", "H14"}, {"Blank App", "H81"}, {"Client Request Interrupted", "H27"}, {"Client Connection Idle", "H28"},
	} {
		stat(ie+p.title+" ("+p.code+")/A", byCode[p.code])
	}
	trendBy(ie+"Error Trend by Code/A", []string{"heroku_error_code"}, byCode)
	by(ie+"Errors by Code/A", []string{"heroku_error_code"}, byCode)
	by(ie+"Errors by Component/A", []string{"heroku_component"}, byComp)
	by(ie+"Log Lines Dropped by Logplex/A", []string{"heroku_error_code"}, map[string]float64{"L10": float64(led.dropped)})
	var routerErrs []request
	errIPs := map[string]float64{}
	for _, r := range led.requests {
		if r.code != "" {
			routerErrs = append(routerErrs, r)
			errIPs["errors|"+r.ip]++
		}
	}
	c[ie+"Error Details/A"] = check{fn: errorDetails(routerErrs)}
	by(ie+"Error Locations/A", []string{"__name__", "client.address"}, errIPs)

	// Application errors.
	const ae = "application-errors/"
	stat(ae+"Total App Errors/A", appErrs)
	stat(ae+"App Release Errors/A", relErrs)
	by(ae+"App Worker Initialization Errors/A", []string{"__name__"}, map[string]float64{"errors": float64(led.phrases[phraseWorkerBoot])})
	by(ae+"App Signal Termination Errors/A", []string{"__name__"}, map[string]float64{"errors": float64(led.phrases[phraseSIGTERM])})
	c[ae+"Total App Error Trend/A"] = check{want: one(appErrs), mode: "sum"}
	c[ae+"App Release Error Trend/A"] = check{want: one(relErrs), mode: "sum"}
	trendBy(ae+"App Worker Initialization Error Trend/A", []string{"__name__"}, map[string]float64{"errors": float64(led.phrases[phraseWorkerBoot])})
	trendBy(ae+"App Signal Termination Error Trend/A", []string{"__name__"}, map[string]float64{"errors": float64(led.phrases[phraseSIGTERM])})
	details := map[string]float64{}
	for k, cnt := range led.appErrors {
		details["errors|"+k[0]+"|"+k[1]] = float64(cnt)
	}
	by(ae+"App Error Details/A", []string{"__name__", "_msg", "syslog.procid"}, details)
	by(ae+"App Errors by Component/A", []string{"heroku_dyno_type"}, appErrByType)
	trendBy(ae+"App Error Trend by Component/A", []string{"heroku_dyno_type"}, appErrByType)
	return c
}

// gaugeViews adds the Average / Top 25 / over-time checks of one per-dyno
// gauge (values are constant per dyno in the mix, so all three agree).
func gaugeViews(c map[string]check, title, overTime string, want map[string]float64) {
	l := []string{"heroku_dyno_name"}
	c[title+": Average/A"] = check{labels: l, want: want, tol: 1e-9}
	c[title+": Top 25/A"] = check{labels: l, want: want, tol: 1e-9}
	c[title+overTime+"/A"] = check{labels: l, want: want, mode: "last", tol: 1e-9}
}

func toF(m map[string]int) map[string]float64 {
	out := map[string]float64{}
	for k, v := range m {
		out[k] = float64(v)
	}
	return out
}

func countBy(name string, vs []string) map[string]float64 {
	out := map[string]float64{}
	for _, v := range vs {
		out[name+"|"+v]++
	}
	return out
}

func inBucket(b bucketBounds, x float64) func(float64) error {
	return func(v float64) error {
		if !b.within(v, x) {
			return fmt.Errorf("%v is not within one bucket of %v", v, x)
		}
		return nil
	}
}

func near(x float64) func(float64) error {
	return func(v float64) error {
		if math.Abs(v-x) > 1e-9*math.Max(math.Abs(x), 1e-12) {
			return fmt.Errorf("got %v, want %v", v, x)
		}
		return nil
	}
}

// perLabel checks one instant value per label value, and that there is no
// other group.
func perLabel(label string, want map[string]func(float64) error) func([]series, []map[string]string) error {
	return func(res []series, _ []map[string]string) error {
		seen := map[string]bool{}
		for _, s := range res {
			k := s.labels[label]
			f, ok := want[k]
			if !ok || len(s.points) != 1 {
				return fmt.Errorf("unexpected series %v", s)
			}
			if err := f(s.points[0][1]); err != nil {
				return fmt.Errorf("%s=%s: %v", label, k, err)
			}
			seen[k] = true
		}
		if len(seen) != len(want) {
			return fmt.Errorf("%d groups, want %d", len(seen), len(want))
		}
		return nil
	}
}

// pathLatency checks VictoriaLogs' per-path max, mean and median of
// service_ms: max and mean exactly, the median between the two middle
// values (its quantile is an estimate over the raw values).
func pathLatency(byPath map[string][]float64) func([]series, []map[string]string) error {
	return func(res []series, _ []map[string]string) error {
		n := 0
		for _, s := range res {
			vs, ok := byPath[s.labels["url.path"]]
			if !ok || len(s.points) != 1 {
				return fmt.Errorf("unexpected series %v", s)
			}
			v := s.points[0][1]
			sorted := append([]float64(nil), vs...)
			sort.Float64s(sorted)
			var err error
			switch s.labels["__name__"] {
			case "max_ms":
				err = near(sorted[len(sorted)-1])(v)
			case "avg_ms":
				err = near(sum(vs) / float64(len(vs)))(v)
			case "p50_ms":
				lo, hi := sorted[(len(sorted)-1)/2], sorted[len(sorted)/2]
				if v < lo || v > hi {
					err = fmt.Errorf("median %v not in [%v, %v]", v, lo, hi)
				}
			default:
				err = fmt.Errorf("unexpected result %q", s.labels["__name__"])
			}
			if err != nil {
				return fmt.Errorf("%s %s: %v", s.labels["url.path"], s.labels["__name__"], err)
			}
			n++
		}
		if n != 3*len(byPath) {
			return fmt.Errorf("%d values, want max, avg and p50 for %d paths", n, len(byPath))
		}
		return nil
	}
}

// deployRows checks the commit rows: one per deploy, with its user and
// commit.
func deployRows(want []struct{ user, commit string }) func([]series, []map[string]string) error {
	return func(_ []series, rows []map[string]string) error {
		left := map[[2]string]int{}
		for _, d := range want {
			left[[2]string{d.user, d.commit}]++
		}
		for _, r := range rows {
			k := [2]string{r["user.email"], r["heroku.release.commit"]}
			if left[k] == 0 {
				return fmt.Errorf("unexpected row %v", r)
			}
			left[k]--
		}
		if len(rows) != len(want) {
			return fmt.Errorf("%d rows, want %d", len(rows), len(want))
		}
		return nil
	}
}

// errorDetails checks the Error Details rows against the router error
// lines: one row per line, with its fields.
func errorDetails(want []request) func([]series, []map[string]string) error {
	return func(_ []series, rows []map[string]string) error {
		if len(rows) != len(want) {
			return fmt.Errorf("%d rows, want %d", len(rows), len(want))
		}
		byID := map[string]request{}
		for _, r := range want {
			byID[r.id] = r
		}
		for _, row := range rows {
			r, ok := byID[row["heroku.router.request_id"]]
			if !ok {
				return fmt.Errorf("row for an unknown request: %v", row)
			}
			for f, v := range map[string]string{
				"heroku.error.code": r.code, "heroku.error.description": codeDesc[r.code], "http.request.method": r.method,
				"url.path": r.path, "server.address": mixHost, "heroku.dyno.name": r.dyno,
				"http.response.status_code": strconv.Itoa(r.status), "heroku.router.connect_ms": intField(r.connect),
				"heroku.router.service_ms": intField(r.service), "http.response.body.size": intField(r.bytes),
			} {
				if row[f] != v {
					return fmt.Errorf("request %s: %s = %q, want %q", r.id, f, row[f], v)
				}
			}
		}
		return nil
	}
}

func sortFloats(b []float64) { sort.Float64s(b) }
