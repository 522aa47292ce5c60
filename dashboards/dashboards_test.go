package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

func TestCommittedFilesAreCurrent(t *testing.T) {
	if err := run([]string{"-check", "-out", "json", "-doc", "../docs/panel-map.md"}); err != nil {
		t.Fatal(err)
	}
}

func TestCheckReportsStaleAndWriteFixesIt(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "panel-map.md")
	args := []string{"-out", dir, "-doc", doc}
	if err := run(append([]string{"-check"}, args...)); err == nil || !strings.Contains(err.Error(), "make dashboards") {
		t.Fatalf("check of an empty dir: %v, want a stale-files error naming make dashboards", err)
	}
	if err := run(args); err != nil {
		t.Fatal(err)
	}
	if err := run(append([]string{"-check"}, args...)); err != nil {
		t.Fatalf("check right after writing: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cpu.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(append([]string{"-check"}, args...)); err == nil || !strings.Contains(err.Error(), "cpu.json") {
		t.Fatalf("check after editing cpu.json: %v", err)
	}
	if err := run([]string{"-no-such-flag"}); err == nil {
		t.Fatal("an unknown flag must fail")
	}
	if err := run([]string{"-out", filepath.Join(dir, "missing", "dir"), "-doc", doc}); err == nil {
		t.Fatal("writing into a missing directory must fail")
	}
}

// The committed JSON reads back through the SDK's strict unmarshaller (every
// panel and query type known, no unknown fields) and validates.
func TestJSONReadsBackStrictlyWithTheSDK(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	cog.NewRuntime().RegisterDataqueryVariant(vlogsVariant())
	files, _ := filepath.Glob("json/*.json")
	if len(files) != 7 {
		t.Fatalf("%d dashboard files, want 7: %v", len(files), files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var d dashboard.Dashboard
			if err := sdkErr(d.UnmarshalJSONStrict(raw)); err != nil {
				t.Fatalf("strict unmarshal: %v", err)
			}
			if err := sdkErr(d.Validate()); err != nil {
				t.Fatalf("validate: %v", err)
			}
			// v0.0.22's PanelOrRowPanel drops the panel it has just read
			// strictly (the same empty-error quirk), so read each panel again.
			var raws struct{ Panels []json.RawMessage }
			if err := json.Unmarshal(raw, &raws); err != nil || len(raws.Panels) != len(d.Panels) {
				t.Fatalf("panels: %v", err)
			}
			for i, pr := range raws.Panels {
				var p dashboard.Panel
				if err := sdkErr(p.UnmarshalJSONStrict(pr)); err != nil {
					t.Fatalf("panel %d: %v", i, err)
				}
				// Targets are dropped by the same quirk: read each one with its
				// type's strict unmarshaller.
				var rt struct{ Targets []json.RawMessage }
				if err := json.Unmarshal(pr, &rt); err != nil || len(rt.Targets) == 0 {
					t.Fatalf("panel %q has no query (%v)", *p.Title, err)
				}
				for _, tr := range rt.Targets {
					q, err := strictTarget(tr, *p.Datasource.Type)
					if err == nil {
						err = sdkErr(q.Validate())
					}
					if err != nil {
						t.Errorf("panel %q: %v", *p.Title, err)
					}
				}
			}
			names := map[string]bool{}
			for _, v := range d.Templating.List {
				names[v.Name] = true
			}
			for _, v := range []string{varProm, varLogs, varApp, varDynoType, varDyno} {
				if !names[v] {
					t.Errorf("variable %s missing", v)
				}
			}
		})
	}
}

// sdkErr undoes an SDK quirk: its strict unmarshaller and validators return
// an empty cog.BuildErrors, not nil, when all is well.
func sdkErr(err error) error {
	var be cog.BuildErrors
	if errors.As(err, &be) && len(be) == 0 {
		return nil
	}
	return err
}

// strictTarget reads one panel target with the strict unmarshaller of the
// panel's data source type.
func strictTarget(raw []byte, dsType string) (variants.Dataquery, error) {
	if dsType == vlogsPluginID {
		return vlogsVariant().StrictDataqueryUnmarshaler(raw)
	}
	if dsType != "prometheus" {
		return nil, fmt.Errorf("unexpected data source type %q", dsType)
	}
	var q prometheus.Dataquery
	if err := sdkErr(q.UnmarshalJSONStrict(raw)); err != nil {
		return nil, err
	}
	return q, nil
}

// sumoPanels is the checklist: every panel of the seven dashboards of Sumo
// Logic's Heroku app, by the title it has there.
var sumoPanels = map[string][]string{
	"overview": {"Total Request Count", "Average Connection Time", "Average Latency", "Average Response Size",
		"Failed Request Count", "Top 10 Failed Requests", "Top 10 Slowest Requests", "Request-Response Trend",
		"Dyno Load Average (15 min)", "Dyno Memory (MB)", "Status Code Count by Dyno", "MBs Transferred by Dyno Over Time",
		"Response Throughput by Status Code", "Total Errors by Host", "Overall Error Rate", "App Error Rate",
		"Heroku Error Rate", "Total Errors by Component", "Max / Average / 50th Percentile Connect Time Trend",
		"Max / Average / 50th Percentile Latency Trend", "Max / Average / 50th Percentile Path Latency",
		"Max / Average / 50th Percentile Method Latency"},
	"dyno": {"Dynos", "Successful Dyno Launches", "Completed Dyno Launches", "Crashed Dyno Launches",
		"Scaling Dyno Operations", "Dyno Restarts", "Stopped Dynos", "Process Exit Status by Code", "Dyno Count Trend",
		"Successful / Completed / Crashed Dyno Launches Trend", "Scaling Dyno Operations by User",
		"Scaling Dyno Operation Trend by User"},
	"application": {"Total App Builds", "Successful App Builds", "Failed App Builds", "App Deployments", "App Releases",
		"Successful / Failed App Build Trend", "App Deployment / Release Trend", "App Deployments by User",
		"App Releases by User", "App Deployment / Release Trend by User", "App Deployment Commits by User"},
	"memory": {"Resident Memory", "Disk Cache Memory", "Swap Memory", "Total Memory", "Memory Quota",
		"Pages Written to Disk", "Pages Read from Disk"},
	"cpu": {"Load Average 1m", "Load Average 5m", "Load Average 15m", "Load Average Percent"},
	"infrastructure-errors": {"App Crash (H10)", "App Boot Timeout (H20)", "Boot Timeout (R10)", "Request Timeout (H12)",
		"Closed Connection without Response (H13)", "Idle Connection (H15)", "Server Request Interrupted (H18)",
		"Zero Dyno (H14)", "Blank App (H81)", "Client Request Interrupted (H27)", "Client Connection Idle (H28)",
		"Error Trend by Code", "Errors by Code", "Errors by Component", "Error Details", "Error Locations"},
	"application-errors": {"Total App Errors", "App Release Errors", "App Worker Initialization Errors",
		"App Signal Termination Errors", "Total App Error Trend", "App Release Error Trend",
		"App Worker Initialization Error Trend", "App Signal Termination Error Trend", "App Error Details",
		"App Errors by Component", "App Error Trend by Component"},
}

func TestEverySumoPanelHasAPanel(t *testing.T) {
	got := map[string][]string{}
	for _, b := range boards() {
		for _, p := range b.panels {
			got[b.file] = append(got[b.file], p.title)
		}
	}
	if len(got) != len(sumoPanels) {
		t.Errorf("%d boards, want %d", len(got), len(sumoPanels))
	}
	for file, want := range sumoPanels {
		for _, title := range want {
			found := false
			for _, g := range got[file] {
				// Memory and CPU panels come in views: "<title> (key): Average", ...
				if g == title || strings.HasPrefix(g, title+" (") || strings.HasPrefix(g, title+":") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no panel for Sumo's %q", file, title)
			}
		}
	}
}

// Counts never use increase() or rate(): they extrapolate and miss an
// event that happened once. Every PromQL query filters on the app.
func TestQueriesUseTheExactCountForm(t *testing.T) {
	for _, b := range boards() {
		for _, p := range b.panels {
			for _, q := range p.queries {
				if q.prom == "" {
					if !strings.Contains(q.logs, logsApp) || q.loki == "" {
						t.Errorf("%s / %s: LogsQL without the app filter or without a LogQL equivalent", b.title, p.title)
					}
					continue
				}
				for _, bad := range []string{"increase(", "rate(", "irate("} {
					if strings.Contains(q.prom, bad) {
						t.Errorf("%s / %s: %s in %s", b.title, p.title, bad, q.prom)
					}
				}
				if !strings.Contains(q.prom, `job=~"$app"`) {
					t.Errorf("%s / %s: no app filter in %s", b.title, p.title, q.prom)
				}
			}
		}
	}
}

func TestExactCountForm(t *testing.T) {
	for _, tc := range []struct{ name, got, want string }{
		{"no grouping", exact("x", "", "$__range"), "sum(last_over_time(x[$__range]) - (x offset $__range or last_over_time(x[$__range]) * 0))"},
		{"grouped", exact("x", "a", "5m"), "sum by (a) (last_over_time(x[5m]) - (x offset 5m or last_over_time(x[5m]) * 0))"},
		{"quantile keeps le", quantile("0.5", "b", "a", "1m"), "histogram_quantile(0.5, sum by (le, a) (last_over_time(b[1m]) - (b offset 1m or last_over_time(b[1m]) * 0))) >= 0"},
		{"latest", latest("max", "g", "", "1m"), "max(last_over_time(g[1m]))"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got  %s\nwant %s", tc.got, tc.want)
			}
		})
	}
}

func TestVLogsQueryValidation(t *testing.T) {
	good := VLogsQuery{RefId: "A", Expr: "*", QueryType: vlogsStats}
	for _, tc := range []struct {
		name    string
		q       VLogsQuery
		wantErr string
	}{
		{"a stats query is valid", good, ""},
		{"an empty expression is refused", VLogsQuery{RefId: "A", QueryType: vlogsRaw}, "expr is empty"},
		{"an unknown query type is refused", VLogsQuery{RefId: "A", Expr: "*", QueryType: "hits"}, "queryType"},
		{"a missing refId is refused", VLogsQuery{Expr: "*", QueryType: vlogsStatsRange}, "refId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.q.Validate()
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Validate() = %v, want %q", err, tc.wantErr)
			}
			_, berr := (&vlogsBuilder{q: tc.q}).Build()
			if (berr == nil) != (err == nil) {
				t.Fatalf("Build() = %v, Validate() = %v", berr, err)
			}
		})
	}
	if !good.Equals(good) || good.Equals(VLogsQuery{RefId: "B", Expr: "*", QueryType: vlogsStats}) || good.Equals(nil) {
		t.Error("Equals compares the whole query")
	}
	raw, _ := json.Marshal(good)
	back, err := vlogsVariant().StrictDataqueryUnmarshaler(raw)
	if err != nil || !back.Equals(good) || back.DataqueryType() != vlogsPluginID {
		t.Errorf("round trip: %v %v", back, err)
	}
	if _, err := vlogsVariant().DataqueryUnmarshaler([]byte("[")); err == nil {
		t.Error("bad JSON must fail")
	}
	if _, err := vlogsVariant().StrictDataqueryUnmarshaler([]byte(`{"refId":"A","expr":"*","queryType":"stats","extra":1}`)); err == nil {
		t.Error("strict reading must refuse unknown fields")
	}
	if _, err := strictTarget(raw, "loki"); err == nil {
		t.Error("only prometheus and VictoriaLogs targets are expected")
	}
}

func TestBadPanelsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    panel
	}{
		{"no query", panel{title: "x", kind: kindStat}},
		{"both languages", panel{title: "x", kind: kindStat, queries: []query{{ref: "A", prom: "up", logs: "*"}}}},
		{"unknown kind", panel{title: "x", kind: "heatmap", queries: []query{statQ("A", "up")}}},
		{"invalid logs query", panel{title: "x", kind: kindTable, queries: []query{{ref: "A", logs: "*", logsType: "hits"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := buildBoard(board{title: "t", uid: "t", panels: []panel{tc.p}}); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

// The strict reading above does catch mistakes: an unknown panel field or
// an unknown field in a Prometheus target is an error, not swallowed by
// sdkErr.
func TestStrictReadingRefusesUnknownFields(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	var p dashboard.Panel
	if err := sdkErr(p.UnmarshalJSONStrict([]byte(`{"type":"stat","title":"x","nosuchfield":1}`))); err == nil {
		t.Error("a panel with an unknown field read back without error")
	}
	if _, err := strictTarget([]byte(`{"refId":"A","expr":"up","nosuchfield":1}`), "prometheus"); err == nil {
		t.Error("a Prometheus target with an unknown field read back without error")
	}
	if _, err := strictTarget([]byte(`{"refId":"A","expr":"up"}`), "prometheus"); err != nil {
		t.Errorf("a valid Prometheus target: %v", err)
	}
}
