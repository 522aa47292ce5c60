package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/piechart"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

var (
	promDS = common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${" + varProm + "}")}
	logsDS = common.DataSourceRef{Type: cog.ToPtr(vlogsPluginID), Uid: cog.ToPtr("${" + varLogs + "}")}
)

// variables: the two data sources, the app (service.name, which
// prometheus_remote_write stores as job) and the dyno type and dyno.
func variables() []cog.Builder[dashboard.VariableModel] {
	labelValues := func(name, label, query, help string) *dashboard.QueryVariableBuilder {
		return dashboard.NewQueryVariableBuilder(name).Label(label).Description(help).
			Datasource(promDS).
			Query(dashboard.StringOrMap{String: cog.ToPtr(query)}).
			Definition(query).
			Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
			Sort(dashboard.VariableSortAlphabeticalAsc)
	}
	return []cog.Builder[dashboard.VariableModel]{
		dashboard.NewDatasourceVariableBuilder(varProm).Label("Prometheus").Type("prometheus"),
		dashboard.NewDatasourceVariableBuilder(varLogs).Label("Logs (VictoriaLogs)").Type(vlogsPluginID),
		labelValues(varApp, "App", `label_values(`+mLogRecords+`, job)`, "The Heroku app (service.name, stored as the job label)."),
		labelValues(varDynoType, "Dyno type", `label_values(`+mLogRecords+`{job=~"$app"}, heroku_dyno_type)`, "Process type (web, worker, ...).").
			IncludeAll(true).AllValue(".*").Multi(true),
		labelValues(varDyno, "Dyno", `label_values(`+mMemoryPrefix+`rss_bytes{job=~"$app", heroku_dyno_type=~"$dyno_type"}, heroku_dyno_name)`, "Dyno (web.1, worker.2, ...).").
			IncludeAll(true).AllValue(".*").Multi(true),
	}
}

func targets(p panel) ([]cog.Builder[variants.Dataquery], error) {
	var out []cog.Builder[variants.Dataquery]
	for _, q := range p.queries {
		switch {
		case q.prom != "" && q.logs == "":
			b := prometheus.NewDataqueryBuilder().RefId(q.ref).Datasource(promDS).Expr(q.prom).
				EditorMode(prometheus.QueryEditorModeCode)
			if q.instant {
				b.Instant()
				if p.kind == kindTable {
					b.Format(prometheus.PromQueryFormatTable)
				}
			} else {
				b.Range()
			}
			if q.legend != "" {
				b.LegendFormat(q.legend)
			}
			out = append(out, b)
		case q.logs != "" && q.prom == "":
			vq := VLogsQuery{RefId: q.ref, Datasource: &logsDS, EditorMode: "code", Expr: q.logs, QueryType: q.logsType}
			if q.logsType == vlogsRaw {
				vq.MaxLines = 1000
			}
			out = append(out, &vlogsBuilder{q: vq})
		default:
			return nil, fmt.Errorf("panel %q query %s: exactly one of PromQL and LogsQL", p.title, q.ref)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("panel %q has no query", p.title)
	}
	return out, nil
}

// panelBuilder builds p as the SDK's panel type for its kind.
func panelBuilder(p panel) (cog.Builder[dashboard.Panel], error) {
	ts, err := targets(p)
	if err != nil {
		return nil, err
	}
	ds := promDS
	if p.queries[0].logs != "" {
		ds = logsDS
	}
	w, h := p.width, uint32(8)
	switch p.kind {
	case kindStat:
		if w == 0 {
			w = 6
		}
		h = 4
		return stat.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(ds).Targets(ts).Unit(p.unit).
			Span(w).Height(h).NoValue("0").
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})), nil
	case kindTimeseries:
		// The receiver flushes every 15 s by default: a shorter step only
		// adds empty points.
		return timeseries.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(ds).Targets(ts).Unit(p.unit).
			Span(or(w, 12)).Height(h).Interval("15s"), nil
	case kindTable:
		b := table.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(ds).Targets(ts).Span(or(w, 12)).Height(h).
			Footer(common.NewTableFooterOptionsBuilder().Show(false).Reducer([]string{"sum"}))
		if p.unit != "" {
			b.Unit(p.unit)
		}
		if p.queries[0].logsType != vlogsRaw {
			// Stats come as one frame per group and result: labels become
			// columns and the frames one table (a row per group).
			b.WithTransformation(dashboard.DataTransformerConfig{Id: "labelsToFields", Options: map[string]any{}}).
				WithTransformation(dashboard.DataTransformerConfig{Id: "merge", Options: map[string]any{}})
		}
		return b, nil
	case kindBarGauge:
		return bargauge.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(ds).Targets(ts).Unit(p.unit).
			Span(or(w, 12)).Height(h).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})), nil
	case kindPie:
		return piechart.NewPanelBuilder().Title(p.title).Description(p.desc).Datasource(ds).Targets(ts).Unit(p.unit).
			Span(or(w, 12)).Height(h).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})), nil
	}
	return nil, fmt.Errorf("panel %q: unknown kind %q", p.title, p.kind)
}

func or(v, def uint32) uint32 {
	if v == 0 {
		return def
	}
	return v
}

// buildBoard turns one board into a validated SDK dashboard.
func buildBoard(b board) (dashboard.Dashboard, error) {
	db := dashboard.NewDashboardBuilder(b.title).Uid(b.uid).Description(b.desc).
		Tags([]string{"heroku", "herokudrain"}).Time("now-6h", "now").Refresh("1m").Timezone("browser").
		Tooltip(dashboard.DashboardCursorSyncCrosshair).Variables(variables())
	for _, p := range b.panels {
		pb, err := panelBuilder(p)
		if err != nil {
			return dashboard.Dashboard{}, fmt.Errorf("%s: %w", b.title, err)
		}
		db.WithPanel(pb)
	}
	d, err := db.Build()
	if err != nil {
		return dashboard.Dashboard{}, fmt.Errorf("%s: %w", b.title, err)
	}
	return d, nil
}

// render is the committed JSON of one board.
func render(b board) ([]byte, error) {
	d, err := buildBoard(b)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
