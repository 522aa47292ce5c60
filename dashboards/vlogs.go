package main

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
)

// VictoriaLogs data source plugin id (Grafana plugin
// "victoriametrics-logs-datasource"). The SDK ships no query type for it,
// so this file defines one the SDK's runtime can build, validate and
// unmarshal like its own.
const vlogsPluginID = "victoriametrics-logs-datasource"

// Query types of the VictoriaLogs plugin, each backed by one HTTP endpoint
// of VictoriaLogs.
const (
	vlogsRaw        = "instant"    // /select/logsql/query: log rows (tables of lines)
	vlogsStats      = "stats"      // /select/logsql/stats_query: one value per group, over the panel range
	vlogsStatsRange = "statsRange" // /select/logsql/stats_query_range: the same per step (trends)
)

// VLogsQuery is the query model the plugin stores in a panel target.
type VLogsQuery struct {
	RefId        string                `json:"refId"`
	Hide         *bool                 `json:"hide,omitempty"`
	Datasource   *common.DataSourceRef `json:"datasource,omitempty"`
	EditorMode   string                `json:"editorMode,omitempty"`
	Expr         string                `json:"expr"`
	QueryType    string                `json:"queryType"`
	LegendFormat string                `json:"legendFormat,omitempty"`
	MaxLines     int                   `json:"maxLines,omitempty"`
}

func (q VLogsQuery) ImplementsDataqueryVariant() {}

func (q VLogsQuery) DataqueryType() string { return vlogsPluginID }

// Validate rejects what the plugin would not run: an empty expression or a
// query type it does not know.
func (q VLogsQuery) Validate() error {
	var errs []error
	if q.RefId == "" {
		errs = append(errs, errors.New("refId is empty"))
	}
	if q.Expr == "" {
		errs = append(errs, errors.New("expr is empty"))
	}
	switch q.QueryType {
	case vlogsRaw, vlogsStats, vlogsStatsRange:
	default:
		errs = append(errs, errors.New("queryType must be instant, stats or statsRange, not "+q.QueryType))
	}
	return errors.Join(errs...)
}

func (q VLogsQuery) Equals(other variants.Dataquery) bool {
	o, ok := other.(VLogsQuery)
	if !ok {
		return false
	}
	a, _ := json.Marshal(q)
	b, _ := json.Marshal(o)
	return string(a) == string(b)
}

// vlogsVariant tells the SDK runtime how to read VictoriaLogs targets back,
// so dashboards can be unmarshalled strictly in tests.
func vlogsVariant() variants.DataqueryConfig {
	unmarshal := func(strict bool) func(raw []byte) (variants.Dataquery, error) {
		return func(raw []byte) (variants.Dataquery, error) {
			dec := json.NewDecoder(bytes.NewReader(raw))
			if strict {
				dec.DisallowUnknownFields()
			}
			var q VLogsQuery
			if err := dec.Decode(&q); err != nil {
				return nil, err
			}
			return q, nil
		}
	}
	return variants.DataqueryConfig{
		Identifier:                 vlogsPluginID,
		DataqueryUnmarshaler:       unmarshal(false),
		StrictDataqueryUnmarshaler: unmarshal(true),
	}
}

var _ cog.Builder[variants.Dataquery] = (*vlogsBuilder)(nil)

type vlogsBuilder struct{ q VLogsQuery }

func (b *vlogsBuilder) Build() (variants.Dataquery, error) {
	if err := b.q.Validate(); err != nil {
		return nil, cog.MakeBuildErrors("VLogsQuery", err)
	}
	return b.q, nil
}
