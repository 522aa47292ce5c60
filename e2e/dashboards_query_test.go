//go:build backends

package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// series is one result series of Prometheus or of a VictoriaLogs stats
// query (both answer in the Prometheus API format).
type series struct {
	labels map[string]string
	points [][2]float64 // unix seconds, value
}

type apiResponse struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string `json:"metric"`
			Value  []any             `json:"value"`
			Values [][]any           `json:"values"`
		} `json:"result"`
	} `json:"data"`
}

func httpGet(u string) ([]byte, error) {
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	return b, nil
}

func parseAPI(b []byte) ([]series, error) {
	var r apiResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%v in %s", err, b)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("status %s: %s", r.Status, r.Error)
	}
	var out []series
	for _, res := range r.Data.Result {
		s := series{labels: res.Metric}
		vals := res.Values
		if res.Value != nil {
			vals = append(vals, res.Value)
		}
		for _, v := range vals {
			ts, _ := v[0].(float64)
			str, _ := v[1].(string)
			f, err := strconv.ParseFloat(str, 64)
			if err != nil {
				return nil, fmt.Errorf("value %q: %v", str, err)
			}
			s.points = append(s.points, [2]float64{ts, f})
		}
		out = append(out, s)
	}
	return out, nil
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// window is a dashboard time range with Grafana's interval for it.
type window struct {
	start, end time.Time
	step       time.Duration
	dyno       string // the $dyno variable; "" = All
}

// fill replaces the dashboard variables the way Grafana does for the test
// app with "All" dyno types and dynos.
func (w window) fill(expr string) string {
	rng := strconv.FormatInt(int64(w.end.Sub(w.start)/time.Second), 10) + "s"
	dyno := w.dyno
	if dyno == "" {
		dyno = ".*"
	}
	return strings.NewReplacer(
		"$__range", rng, "$__interval", strconv.FormatInt(int64(w.step/time.Second), 10)+"s",
		"$app", mixApp, "$dyno_type", ".*", "$dyno", dyno,
	).Replace(expr)
}

const mixApp = "acme-web"

func promQuery(base string, w window, expr string, instant bool) ([]series, error) {
	q := url.Values{"query": {w.fill(expr)}}
	path := "/api/v1/query_range"
	if instant {
		path = "/api/v1/query"
		q.Set("time", unix(w.end))
	} else {
		q.Set("start", unix(w.start))
		q.Set("end", unix(w.end))
		q.Set("step", strconv.FormatInt(int64(w.step/time.Second), 10))
	}
	b, err := httpGet(base + path + "?" + q.Encode())
	if err != nil {
		return nil, err
	}
	return parseAPI(b)
}

// logsQuery runs a VictoriaLogs target like the Grafana plugin does: stats
// queries get the panel's range as a _time filter in front, statsRange
// queries a start, end and step, raw queries a start, end and limit.
func logsQuery(base string, w window, expr, typ string) ([]series, []map[string]string, error) {
	expr = w.fill(expr)
	switch typ {
	case "stats":
		q := url.Values{"query": {"_time:[" + unix(w.start) + ", " + unix(w.end) + "] " + expr}, "time": {unix(w.end)}}
		b, err := httpGet(base + "/select/logsql/stats_query?" + q.Encode())
		if err != nil {
			return nil, nil, err
		}
		s, err := parseAPI(b)
		return s, nil, err
	case "statsRange":
		q := url.Values{"query": {expr}, "start": {unix(w.start)}, "end": {unix(w.end)},
			"step": {strconv.FormatInt(int64(w.step/time.Second), 10) + "s"}}
		b, err := httpGet(base + "/select/logsql/stats_query_range?" + q.Encode())
		if err != nil {
			return nil, nil, err
		}
		s, err := parseAPI(b)
		return s, nil, err
	case "instant":
		q := url.Values{"query": {expr}, "start": {unix(w.start)}, "end": {unix(w.end)}, "limit": {"1000"}}
		b, err := httpGet(base + "/select/logsql/query?" + q.Encode())
		if err != nil {
			return nil, nil, err
		}
		var rows []map[string]string
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			row := map[string]string{}
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				return nil, nil, fmt.Errorf("row %q: %v", sc.Text(), err)
			}
			rows = append(rows, row)
		}
		return nil, rows, sc.Err()
	}
	return nil, nil, fmt.Errorf("unknown query type %q", typ)
}

// target is one query of one panel of the committed dashboard JSON.
type target struct {
	key       string // file/panel title/refId
	dsType    string
	expr      string
	instant   bool
	queryType string
}

func dashboardTargets(t *testing.T) []target {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "dashboards", "json", "*.json"))
	if err != nil || len(files) != 7 {
		t.Fatalf("dashboard JSON files: %v %v (run make dashboards)", files, err)
	}
	var out []target
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Panels []struct {
				Title   string `json:"title"`
				Targets []struct {
					RefID      string `json:"refId"`
					Expr       string `json:"expr"`
					Instant    bool   `json:"instant"`
					QueryType  string `json:"queryType"`
					Datasource struct {
						Type string `json:"type"`
					} `json:"datasource"`
				} `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, p := range d.Panels {
			for _, q := range p.Targets {
				out = append(out, target{key: name + "/" + p.Title + "/" + q.RefID, dsType: q.Datasource.Type,
					expr: q.Expr, instant: q.Instant, queryType: q.QueryType})
			}
		}
	}
	return out
}

// check is what one target must return: values keyed by the label values
// of labels (joined by "|"), for the whole range and for the range after the
// last event. mode says how a range result becomes one value per key: "sum"
// (a trend's points add up to the total) or "last" (the newest point). A
// nil after means nothing but zeros or no data. fn replaces the comparison.
type check struct {
	labels []string
	want   map[string]float64
	mode   string
	tol    float64
	after  map[string]float64
	fn     func(res []series, rows []map[string]string) error
}

func keyOf(labels map[string]string, names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = labels[n]
	}
	return strings.Join(parts, "|")
}

func reduce(res []series, c check) (map[string]float64, error) {
	got := map[string]float64{}
	for _, s := range res {
		if len(s.points) == 0 {
			continue
		}
		k := keyOf(s.labels, c.labels)
		var v float64
		switch c.mode {
		case "sum":
			for _, p := range s.points {
				v += p[1]
			}
		default:
			v = s.points[len(s.points)-1][1]
		}
		if math.IsNaN(v) {
			return nil, fmt.Errorf("NaN for %q", k)
		}
		got[k] += v
	}
	return got, nil
}

func compare(got, want map[string]float64, tol float64) error {
	var diffs []string
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		g, w := got[k], want[k]
		if g == w || tol > 0 && math.Abs(g-w) <= tol*math.Max(math.Abs(w), 1e-12) {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%q: got %v, want %v", k, g, w))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%s", strings.Join(diffs, "; "))
	}
	return nil
}
