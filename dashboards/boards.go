package main

import "strings"

// boards are the seven dashboards of Sumo Logic's Heroku app, panel by
// panel, rebuilt over Prometheus (metrics) and VictoriaLogs (log rows).
func boards() []board {
	return []board{overview(), dyno(), application(), memory(), cpuLoad(), infraErrors(), appErrors()}
}

func overview() board {
	req := sel(mRequests)
	failed := sel(mRequests, `http_response_status_code!="200"`)
	errs := sel(mLogRecords, severityErrors)
	routerLogs := logsApp + ` "heroku.component":=router`
	return board{
		uid: "herokudrain-overview", title: "Heroku: Overview", file: "overview",
		desc:    "Requests, latency, errors and dyno health of one app.",
		filters: "log_drain, application_name",
		panels: []panel{
			countStat("Total Request Count", "Requests the router handled: every router line, each request id once.", req),
			{title: "Average Connection Time", kind: kindStat, unit: "s", desc: "Mean time the router took to connect to a dyno (connect=).",
				queries: []query{statQ("A", ratio(sel(mConnect+"_sum"), sel(mConnect+"_count"), "", rangeAll))}},
			{title: "Average Latency", kind: kindStat, unit: "s", desc: "Mean service time (service=): the dyno's time to answer.",
				queries: []query{statQ("A", ratio(sel(mLatency+"_sum"), sel(mLatency+"_count"), "", rangeAll))}},
			{title: "Average Response Size", kind: kindStat, unit: "bytes", desc: "Mean bytes sent to the client (bytes=).",
				queries: []query{statQ("A", ratio(sel(mBodySize+"_sum"), sel(mBodySize+"_count"), "", rangeAll))}},
			countStat("Failed Request Count", "Requests whose status is not 200, router errors included.", failed),
			{title: "Top 10 Failed Requests", kind: kindTable, desc: "Paths with the most requests whose status is not 200.",
				queries: []query{logsQ("A", vlogsStats,
					routerLogs+` -"http.response.status_code":=200 | stats by ("url.path") count_uniq("heroku.router.request_id") as requests | sort by (requests desc, "url.path") | limit 10`,
					`topk(10, sum by (url_path) (count_over_time(`+lokiApp+` | heroku_component="router" | http_response_status_code!="200" [$__range])))`)}},
			{title: "Top 10 Slowest Requests", kind: kindTable, desc: "Paths with the longest router connect time (then service time).",
				queries: []query{logsQ("A", vlogsStats,
					routerLogs+` "heroku.router.connect_ms":* | stats by ("url.path") max("heroku.router.connect_ms") as connect_ms, max("heroku.router.service_ms") as service_ms | sort by (connect_ms desc, service_ms desc, "url.path") | limit 10`,
					`topk(10, max by (url_path) (max_over_time(`+lokiApp+` | heroku_component="router" | unwrap heroku_router_connect_ms [$__range])))`)}},
			{title: "Request-Response Trend", kind: kindTimeseries, unit: "short", desc: "Requests and failed (not 200) requests per interval.",
				queries: []query{trend("A", exact(req, "", rangeStep), "requests"), trend("B", exact(failed, "", rangeStep), "failed")}},
			{title: "Dyno Load Average (15 min)", kind: kindTimeseries, unit: "short", desc: "load_avg_15m of each dyno (runtime metrics).",
				queries: []query{trend("A", latest("max", sel(mLoadPrefix+"15m", dynoMatchers), "heroku_dyno_name", rangeStep), "{{heroku_dyno_name}}")}},
			{title: "Dyno Memory (MB)", kind: kindTimeseries, unit: "bytes", desc: "memory_total of each dyno (runtime metrics).",
				queries: []query{trend("A", latest("max", sel(mMemoryPrefix+"total_bytes", dynoMatchers), "heroku_dyno_name", rangeStep), "{{heroku_dyno_name}}")}},
			{title: "Status Code Count by Dyno", kind: kindTable, desc: "Requests per dyno and status code.",
				queries: []query{statQ("A", exact(sel(mRequests, dynoMatchers), "heroku_dyno_name, http_response_status_code", rangeAll))}},
			{title: "MBs Transferred by Dyno Over Time", kind: kindTimeseries, unit: "bytes", desc: "Response bytes per dyno per interval.",
				queries: []query{trend("A", exact(sel(mBodySize+"_sum", dynoMatchers), "heroku_dyno_name", rangeStep), "{{heroku_dyno_name}}")}},
			countTrend("Response Throughput by Status Code", "Responses per status code per interval.", req, "http_response_status_code", "{{http_response_status_code}}"),
			{title: "Total Errors by Host", kind: kindPie, unit: "short", desc: "Error and fatal lines by who wrote them: heroku (platform) or app.",
				queries: []query{withLegend(statQ("A", exact(errs, "syslog_appname", rangeAll)), "{{syslog_appname}}")}},
			errorRate("Overall Error Rate", "Percent of all log lines that are errors.", ""),
			errorRate("App Error Rate", "Percent of the lines with APP-NAME app (app output, API events, add-ons) that are errors.", `syslog_appname="app"`),
			errorRate("Heroku Error Rate", "Percent of the lines with APP-NAME heroku (router, dyno manager, Logplex) that are errors.", `syslog_appname="heroku"`),
			countBy("Total Errors by Component", "Error and fatal lines by component (router, dyno, app, ...).", errs, "heroku_component", "{{heroku_component}}"),
			maxAvgP50Trend("Max / Average / 50th Percentile Connect Time Trend", "Router connect time per interval (max and median are bucket bounds).", mConnect),
			maxAvgP50Trend("Max / Average / 50th Percentile Latency Trend", "Service time per interval (max and median are bucket bounds).", mLatency),
			{title: "Max / Average / 50th Percentile Path Latency", kind: kindTable, desc: "Service time per path, from the router lines.",
				queries: []query{logsQ("A", vlogsStats,
					routerLogs+` "heroku.router.service_ms":* | stats by ("url.path") max("heroku.router.service_ms") as max_ms, avg("heroku.router.service_ms") as avg_ms, quantile(0.5, "heroku.router.service_ms") as p50_ms | sort by (max_ms desc, "url.path")`,
					`max by (url_path) (max_over_time(`+lokiApp+` | heroku_component="router" | unwrap heroku_router_service_ms [$__range])) (likewise avg_over_time, quantile_over_time(0.5, ...))`)}},
			{title: "Max / Average / 50th Percentile Method Latency", kind: kindTable, unit: "s", desc: "Service time per HTTP method (max and median are bucket bounds).",
				queries: []query{
					withLegend(statQ("A", quantile("1", sel(mLatency+"_bucket"), "http_request_method", rangeAll)), "max {{http_request_method}}"),
					withLegend(statQ("B", ratio(sel(mLatency+"_sum"), sel(mLatency+"_count"), "http_request_method", rangeAll)), "avg {{http_request_method}}"),
					withLegend(statQ("C", quantile("0.5", sel(mLatency+"_bucket"), "http_request_method", rangeAll)), "p50 {{http_request_method}}"),
				}},
		},
	}
}

func withLegend(q query, legend string) query { q.legend = legend; return q }

func errorRate(title, desc, matcher string) panel {
	var m []string
	if matcher != "" {
		m = append(m, matcher)
	}
	errs := sel(mLogRecords, append(m, severityErrors)...)
	all := sel(mLogRecords, m...)
	// ratio's counts are exact, so this is errors / lines in the range.
	return panel{title: title, kind: kindStat, unit: "percent", desc: desc,
		queries: []query{statQ("A", "100 * "+ratio(errs, all, "", rangeAll))}}
}

func maxAvgP50Trend(title, desc, hist string) panel {
	return panel{title: title, kind: kindTimeseries, unit: "s", desc: desc, queries: []query{
		trend("A", quantile("1", sel(hist+"_bucket"), "", rangeStep), "max"),
		trend("B", ratio(sel(hist+"_sum"), sel(hist+"_count"), "", rangeStep), "average"),
		trend("C", quantile("0.5", sel(hist+"_bucket"), "", rangeStep), "p50"),
	}}
}

func dyno() board {
	launch := func(v string) string {
		return sel(mStateChanges, `heroku_dyno_type=~"$dyno_type"`, `heroku_dyno_launch="`+v+`"`)
	}
	typ := `heroku_dyno_type=~"$dyno_type"`
	scale := logsApp + ` event_name:="heroku.api.scale"`
	return board{
		uid: "herokudrain-dyno", title: "Heroku: Dyno", file: "dyno",
		desc: "Dyno launches, crashes, restarts, exits and scaling.", filters: "log_drain",
		panels: []panel{
			{title: "Dynos", kind: kindBarGauge, unit: "short", desc: "Dynos per process type in the latest formation (Scaled to ...). With several collector replicas, the largest replica value.",
				queries: []query{withLegend(statQ("A", "sum by (heroku_dyno_type) ("+latest("max", sel(mFormation, typ), "heroku_dyno_type, heroku_dyno_size", rangeAll)+")"), "{{heroku_dyno_type}}")}},
			countStat("Successful Dyno Launches", "State changes to up (from starting).", launch("successful")),
			countStat("Completed Dyno Launches", "State changes to complete: one-off and scheduler dynos that ended.", launch("completed")),
			countStat("Crashed Dyno Launches", "State changes to crashed.", launch("crashed")),
			countStat("Scaling Dyno Operations", "Scaled to ... events.", sel(mScales)),
			countStat("Dyno Restarts", "Restarting and Cycling (daily restart) events.", sel(mRestarts, typ)),
			countStat("Stopped Dynos", "State changes to down.", launch("stopped")),
			countBy("Process Exit Status by Code", "Process exited with status N, per N.", sel(mExits, typ), "process_exit_code", "{{process_exit_code}}"),
			{title: "Dyno Count Trend", kind: kindTimeseries, unit: "short", desc: "Dynos requested (formation) and dynos sending runtime metrics, per process type.",
				queries: []query{
					trend("A", "sum by (heroku_dyno_type) ("+latest("max", sel(mFormation, typ), "heroku_dyno_type, heroku_dyno_size", rangeStep)+")", "formation {{heroku_dyno_type}}"),
					trend("B", latest("max", sel(mDynosReport, typ), "heroku_dyno_type", rangeStep), "reporting {{heroku_dyno_type}}"),
				}},
			countTrend("Successful / Completed / Crashed Dyno Launches Trend", "Launch outcomes per interval.",
				sel(mStateChanges, typ, `heroku_dyno_launch=~"successful|completed|crashed"`), "heroku_dyno_launch", "{{heroku_dyno_launch}}"),
			{title: "Scaling Dyno Operations by User", kind: kindTable, desc: "Scaled to ... events per user (from the log records).",
				queries: []query{logsQ("A", vlogsStats, scale+` | stats by ("user.email") count() as operations | sort by (operations desc, "user.email")`,
					`sum by (user_email) (count_over_time(`+lokiApp+` | event_name="heroku.api.scale" [$__range]))`)}},
			{title: "Scaling Dyno Operation Trend by User", kind: kindTimeseries, unit: "short", desc: "Scaled to ... events per user per interval.",
				queries: []query{logsQ("A", vlogsStatsRange, scale+` | stats by ("user.email") count() as operations`,
					`sum by (user_email) (count_over_time(`+lokiApp+` | event_name="heroku.api.scale" [$__interval]))`)}},
		},
	}
}

func application() board {
	build := func(v string) string { return sel(mBuilds, `heroku_build_outcome="`+v+`"`) }
	deploy := logsApp + ` event_name:="heroku.api.deploy"`
	release := logsApp + ` event_name:="heroku.api.release"`
	byUser := func(ref, typ, filter, event, as string) query {
		expr := filter + ` | stats by ("user.email") count() as ` + as
		if typ == vlogsStats {
			expr += ` | sort by (` + as + ` desc, "user.email")`
		}
		r := "$__range"
		if typ == vlogsStatsRange {
			r = "$__interval"
		}
		return logsQ(ref, typ, expr, `sum by (user_email) (count_over_time(`+lokiApp+` | event_name="`+event+`" [`+r+`]))`)
	}
	return board{
		uid: "herokudrain-application", title: "Heroku: Application", file: "application",
		desc: "Builds, deployments and releases.", filters: "log_drain",
		panels: []panel{
			countStat("Total App Builds", "Builds started.", build("started")),
			countStat("Successful App Builds", "Build succeeded.", build("succeeded")),
			countStat("Failed App Builds", "Build failed.", build("failed")),
			countStat("App Deployments", "Deploy <commit> events.", sel(mDeploys)),
			countStat("App Releases", "Release vN created events.", sel(mReleases)),
			countTrend("Successful / Failed App Build Trend", "Build outcomes per interval.",
				sel(mBuilds, `heroku_build_outcome=~"succeeded|failed"`), "heroku_build_outcome", "{{heroku_build_outcome}}"),
			{title: "App Deployment / Release Trend", kind: kindTimeseries, unit: "short", desc: "Deployments and releases per interval.",
				queries: []query{trend("A", exact(sel(mDeploys), "", rangeStep), "deployments"), trend("B", exact(sel(mReleases), "", rangeStep), "releases")}},
			{title: "App Deployments by User", kind: kindTable, desc: "Deployments per user.",
				queries: []query{byUser("A", vlogsStats, deploy, "heroku.api.deploy", "deployments")}},
			{title: "App Releases by User", kind: kindTable, desc: "Releases per user.",
				queries: []query{byUser("A", vlogsStats, release, "heroku.api.release", "releases")}},
			{title: "App Deployment / Release Trend by User", kind: kindTimeseries, unit: "short", desc: "Deployments and releases per user per interval.",
				queries: []query{byUser("A", vlogsStatsRange, deploy, "heroku.api.deploy", "deployments"), byUser("B", vlogsStatsRange, release, "heroku.api.release", "releases")}},
			{title: "App Deployment Commits by User", kind: kindTable, desc: "How many commits each user deployed, and which (newest first).",
				queries: []query{
					logsQ("A", vlogsStats, deploy+` | stats by ("user.email") count_uniq("heroku.release.commit") as commits | sort by (commits desc, "user.email")`,
						`count by (user_email) (sum by (user_email, heroku_release_commit) (count_over_time(`+lokiApp+` | event_name="heroku.api.deploy" [$__range])))`),
					logsQ("B", vlogsRaw, deploy+` | fields _time, "user.email", "heroku.release.commit" | sort by (_time desc)`,
						lokiApp+` | event_name="heroku.api.deploy" | line_format "{{.user_email}} {{.heroku_release_commit}}"`),
				}},
		},
	}
}

// memoryGauges are the byte gauges of the Memory Metrics board: Sumo's
// name for each, the runtime-metrics key and the Prometheus suffix.
var memoryGauges = []struct{ title, key, suffix string }{
	{"Resident Memory", "memory_rss", "rss_bytes"},
	{"Disk Cache Memory", "memory_cache", "cache_bytes"},
	{"Swap Memory", "memory_swap", "swap_bytes"},
	{"Total Memory", "memory_total", "total_bytes"},
	{"Memory Quota", "memory_quota", "quota_bytes"},
}

// gaugePanels are Sumo's three views of one per-dyno gauge: the average per
// dyno over the range, the top 25 dynos, and each dyno over time.
func gaugePanels(title, metric, unit, desc string) []panel {
	s := sel(metric, dynoMatchers)
	return []panel{
		{title: title + ": Average", kind: kindBarGauge, unit: unit, desc: "Average per dyno over the range. " + desc,
			queries: []query{withLegend(statQ("A", "avg by (heroku_dyno_name) (avg_over_time("+s+"["+rangeAll+"]))"), "{{heroku_dyno_name}}")}},
		{title: title + ": Top 25", kind: kindBarGauge, unit: unit, desc: "The 25 dynos with the highest value in the range. " + desc,
			queries: []query{withLegend(statQ("A", "topk(25, max by (heroku_dyno_name) (max_over_time("+s+"["+rangeAll+"])))"), "{{heroku_dyno_name}}")}},
		{title: title + ": Over Time", kind: kindTimeseries, unit: unit, desc: desc,
			queries: []query{trend("A", latest("max", s, "heroku_dyno_name", rangeStep), "{{heroku_dyno_name}}")}},
	}
}

func memory() board {
	var ps []panel
	for _, g := range memoryGauges {
		desc := g.key + " from the dyno's runtime metrics."
		if g.key == "memory_quota" {
			desc += " RSS above it raises R14."
		}
		ps = append(ps, gaugePanels(g.title+" ("+g.key+")", mMemoryPrefix+g.suffix, "bytes", desc)...)
	}
	for _, p := range []struct{ title, key string }{{"Pages Written to Disk", "pgpgout"}, {"Pages Read from Disk", "pgpgin"}} {
		s := sel(mMemoryPrefix+p.key, dynoMatchers)
		desc := "memory_" + p.key + " is a running total of pages; these panels show how much it grew."
		ps = append(ps,
			panel{title: p.title + " (memory_" + p.key + "): Per Dyno", kind: kindBarGauge, unit: "short", desc: "Pages in the range per dyno. " + desc,
				queries: []query{withLegend(statQ("A", "max by (heroku_dyno_name) (max_over_time("+s+"["+rangeAll+"]) - min_over_time("+s+"["+rangeAll+"]))"), "{{heroku_dyno_name}}")}},
			panel{title: p.title + " (memory_" + p.key + "): Over Time", kind: kindTimeseries, unit: "short", desc: "Pages per interval per dyno. " + desc,
				queries: []query{trend("A", "max by (heroku_dyno_name) ("+s+" - "+s+" offset "+rangeStep+")", "{{heroku_dyno_name}}")}},
		)
	}
	return board{uid: "herokudrain-memory", title: "Heroku: Memory Metrics", file: "memory",
		desc: "Dyno memory from runtime metrics (log-runtime-metrics).", filters: "dyno, log_drain", panels: ps}
}

func cpuLoad() board {
	var ps []panel
	for _, w := range []string{"1m", "5m", "15m"} {
		s := sel(mLoadPrefix+w, dynoMatchers)
		ps = append(ps, panel{title: "Load Average " + w + ": Overall", kind: kindStat, unit: "short",
			desc:    "load_avg_" + w + " averaged over dynos and the range.",
			queries: []query{statQ("A", "avg(avg_over_time("+s+"["+rangeAll+"]))")}})
		for _, p := range gaugePanels("Load Average "+w, mLoadPrefix+w, "short", "load_avg_"+w+" from the dyno's runtime metrics.")[1:] {
			if strings.HasSuffix(p.title, "Over Time") {
				p.title = "Load Average " + w + ": By Dyno"
			}
			ps = append(ps, p)
		}
	}
	ps = append(ps, panel{title: "Load Average Percent", kind: kindBarGauge, unit: "percent",
		desc:    "100 x load_avg_1m per dyno, latest in the range: 100 % is one fully busy CPU.",
		queries: []query{withLegend(statQ("A", "100 * "+latest("max", sel(mLoadPrefix+"1m", dynoMatchers), "heroku_dyno_name", rangeAll)), "{{heroku_dyno_name}}")}})
	return board{uid: "herokudrain-cpu", title: "Heroku: CPU Load Metrics", file: "cpu",
		desc: "Dyno load averages from runtime metrics.", filters: "dyno, log_drain", panels: ps}
}

// infraCodes are the per-code panels of Sumo's Infrastructure Errors board.
var infraCodes = []struct{ title, code string }{
	{"App Crash", "H10"}, {"App Boot Timeout", "H20"}, {"Boot Timeout", "R10"}, {"Request Timeout", "H12"},
	{"Closed Connection without Response", "H13"}, {"Idle Connection", "H15"}, {"Server Request Interrupted", "H18"},
	{"Zero Dyno", "H14"}, {"Blank App", "H81"}, {"Client Request Interrupted", "H27"}, {"Client Connection Idle", "H28"},
}

func infraErrors() board {
	var ps []panel
	for _, c := range infraCodes {
		ps = append(ps, countStat(c.title+" ("+c.code+")", "Heroku error "+c.code+".", sel(mErrors, `heroku_error_code="`+c.code+`"`)))
	}
	errLogs := logsApp + ` "heroku.error.code":*`
	ps = append(ps,
		countTrend("Error Trend by Code", "H, R and L errors per code per interval.", sel(mErrors), "heroku_error_code", "{{heroku_error_code}}"),
		countBy("Errors by Code", "H, R and L errors per code.", sel(mErrors), "heroku_error_code", "{{heroku_error_code}}"),
		countBy("Errors by Component", "H, R and L errors per component (router, dyno, logplex).", sel(mErrors), "heroku_component", "{{heroku_component}}"),
		countBy("Log Lines Dropped by Logplex", "Lines Heroku lost before they reached the drain (the N of L10, L11, L12, L13).", sel(mDropped), "heroku_error_code", "{{heroku_error_code}}"),
		panel{title: "Error Details", kind: kindTable, desc: "Router error lines with their request fields, newest first.",
			queries: []query{logsQ("A", vlogsRaw,
				errLogs+` "heroku.component":=router | fields _time, "heroku.error.code", "heroku.error.description", "http.request.method", "url.path", "server.address", "heroku.router.request_id", "heroku.dyno.name", "heroku.router.connect_ms", "heroku.router.service_ms", "http.response.status_code", "http.response.body.size" | sort by (_time desc)`,
				lokiApp+` | heroku_component="router" | heroku_error_code!=""`)}},
		panel{title: "Error Locations", kind: kindTable, desc: "Client addresses of error lines (a geo-IP lookup in the backend can place them on a map).",
			queries: []query{logsQ("A", vlogsStats,
				errLogs+` "client.address":* | stats by ("client.address") count() as errors | sort by (errors desc, "client.address")`,
				`sum by (client_address) (count_over_time(`+lokiApp+` | heroku_error_code!="" | client_address!="" [$__range]))`)}},
	)
	return board{uid: "herokudrain-infrastructure-errors", title: "Heroku: Infrastructure Errors", file: "infrastructure-errors",
		desc: "Heroku's H (router), R (dyno) and L (Logplex) errors.", filters: "log_drain, application_name", panels: ps}
}

func appErrors() board {
	// The app's own output (heroku.component app): not the platform API
	// events and add-on lines that share its syslog APP-NAME "app".
	appErr := sel(mLogRecords, `heroku_component="app"`, severityErrors)
	relErr := sel(mLogRecords, `heroku_component="app"`, `heroku_dyno_type="release"`, severityErrors)
	appLogs := logsApp + ` "heroku.component":=app`
	phrase := func(ref, typ, text string) query {
		r := "$__range"
		if typ == vlogsStatsRange {
			r = "$__interval"
		}
		return logsQ(ref, typ, appLogs+` "`+text+`" | stats count() as errors`,
			`sum(count_over_time(`+lokiApp+` | heroku_component="app" |= "`+text+`" [`+r+`]))`)
	}
	const worker, signal = "Worker failed to boot", "was sent SIGTERM"
	return board{uid: "herokudrain-application-errors", title: "Heroku: Application Errors", file: "application-errors",
		desc: "Errors the app logged (severity from the line's level word).", filters: "log_drain",
		panels: []panel{
			countStat("Total App Errors", "App lines at error or fatal level.", appErr),
			countStat("App Release Errors", "App errors written by the release phase (release.N dynos).", relErr),
			{title: "App Worker Initialization Errors", kind: kindStat, unit: "short", desc: `App lines containing "` + worker + `" (gunicorn).`,
				queries: []query{phrase("A", vlogsStats, worker)}},
			{title: "App Signal Termination Errors", kind: kindStat, unit: "short", desc: `App lines containing "` + signal + `" (gunicorn).`,
				queries: []query{phrase("A", vlogsStats, signal)}},
			countTrend("Total App Error Trend", "App errors per interval.", appErr, "", "errors"),
			countTrend("App Release Error Trend", "Release-phase app errors per interval.", relErr, "", "errors"),
			{title: "App Worker Initialization Error Trend", kind: kindTimeseries, unit: "short", desc: "The same lines per interval.",
				queries: []query{phrase("A", vlogsStatsRange, worker)}},
			{title: "App Signal Termination Error Trend", kind: kindTimeseries, unit: "short", desc: "The same lines per interval.",
				queries: []query{phrase("A", vlogsStatsRange, signal)}},
			{title: "App Error Details", kind: kindTable, desc: "App errors by message and dyno.",
				queries: []query{logsQ("A", vlogsStats,
					appLogs+` severity_number:>=17 | stats by (_msg, "syslog.procid") count() as errors | sort by (errors desc, _msg, "syslog.procid")`,
					`sum by (syslog_procid) (count_over_time(`+lokiApp+` | heroku_component="app" | severity_number>=17 [$__range])) (group by the line in a logs panel)`)}},
			countBy("App Errors by Component", "App errors per process type.", appErr, "heroku_dyno_type", "{{heroku_dyno_type}}"),
			countTrend("App Error Trend by Component", "App errors per process type per interval.", appErr, "heroku_dyno_type", "{{heroku_dyno_type}}"),
		}}
}
