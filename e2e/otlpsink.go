package e2e

import (
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
)

// OTLPSink is an in-test OTLP/HTTP server for the collector's otlp_http
// exporter. It decodes /v1/logs and /v1/metrics requests (protobuf or JSON,
// gzip or deflate compressed or not), keeps what it accepted, and can be
// told to refuse a share of requests with 503 to exercise the exporter's
// retries. Refused requests are not kept.
type OTLPSink struct {
	srv *httptest.Server

	mu       sync.Mutex
	logs     []plog.Logs
	metrics  []pmetric.Metrics
	nLogs    int
	nPoints  int
	failRate float64
	rnd      *rand.Rand
	onLogs   func(plog.Logs)
	onMetric func(pmetric.Metrics)
	keepLogs bool
	keepMets bool
	changed  chan struct{} // closed and replaced whenever data arrives

	requests  atomic.Int64
	refused   atomic.Int64
	malformed atomic.Int64
}

// NewOTLPSink starts a sink; it is closed when the test ends.
func NewOTLPSink(t testing.TB) *OTLPSink {
	t.Helper()
	s := &OTLPSink{
		rnd:      rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed)),
		keepLogs: true,
		keepMets: true,
		changed:  make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/logs", s.handleLogs)
	mux.HandleFunc("POST /v1/metrics", s.handleMetrics)
	mux.HandleFunc("POST /v1/traces", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the base URL to use as the otlp_http exporter's endpoint.
func (s *OTLPSink) URL() string { return s.srv.URL }

// SetFailureRate makes the sink answer 503 to a random share p (0..1) of
// requests, without keeping their data.
func (s *OTLPSink) SetFailureRate(p float64) {
	s.mu.Lock()
	s.failRate = p
	s.mu.Unlock()
}

// OnLogs registers fn to be called with every accepted logs request, in
// arrival order, under the sink's lock (fn must not call the sink). With
// keep false the data is not stored, so large tests can count instead of
// hold.
func (s *OTLPSink) OnLogs(fn func(plog.Logs), keep bool) {
	s.mu.Lock()
	s.onLogs, s.keepLogs = fn, keep
	s.mu.Unlock()
}

// OnMetrics is OnLogs for metrics.
func (s *OTLPSink) OnMetrics(fn func(pmetric.Metrics), keep bool) {
	s.mu.Lock()
	s.onMetric, s.keepMets = fn, keep
	s.mu.Unlock()
}

// Locked runs fn under the sink's lock, so fn can read state that OnLogs
// or OnMetrics callbacks write.
func (s *OTLPSink) Locked(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// SinkStats counts requests.
type SinkStats struct {
	Requests  int64 // every POST
	Refused   int64 // answered 503 by failure injection
	Malformed int64 // answered 400: not decodable
}

// Stats returns the request counters.
func (s *OTLPSink) Stats() SinkStats {
	return SinkStats{Requests: s.requests.Load(), Refused: s.refused.Load(), Malformed: s.malformed.Load()}
}

func (s *OTLPSink) refuse(w http.ResponseWriter) bool {
	s.mu.Lock()
	fail := s.failRate > 0 && s.rnd.Float64() < s.failRate
	s.mu.Unlock()
	if fail {
		s.refused.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "injected failure")
	}
	return fail
}

// readBody returns the decompressed body and whether it is JSON.
func readBody(r *http.Request) ([]byte, bool, error) {
	var rd io.Reader = r.Body
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "", "identity":
	case "gzip":
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, false, err
		}
		defer gz.Close()
		rd = gz
	case "deflate":
		zr, err := zlib.NewReader(r.Body)
		if err != nil {
			return nil, false, err
		}
		defer zr.Close()
		rd = zr
	default:
		return nil, false, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	body, err := io.ReadAll(rd)
	if err != nil {
		return nil, false, err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return body, mt == "application/json", nil
}

func (s *OTLPSink) bad(w http.ResponseWriter, err error) {
	s.malformed.Add(1)
	http.Error(w, err.Error(), http.StatusBadRequest)
}

// otlpRequest is an OTLP export request of any signal.
type otlpRequest interface {
	UnmarshalJSON([]byte) error
	UnmarshalProto([]byte) error
}

// decode counts the request, applies the refusal mode and reads the body
// into req (JSON or protobuf by Content-Type). When it returns false the
// answer has been written.
func (s *OTLPSink) decode(w http.ResponseWriter, r *http.Request, req otlpRequest) (isJSON, ok bool) {
	s.requests.Add(1)
	if s.refuse(w) {
		return false, false
	}
	body, isJSON, err := readBody(r)
	if err == nil {
		if isJSON {
			err = req.UnmarshalJSON(body)
		} else {
			err = req.UnmarshalProto(body)
		}
	}
	if err != nil {
		s.bad(w, err)
		return false, false
	}
	return isJSON, true
}

func (s *OTLPSink) handleLogs(w http.ResponseWriter, r *http.Request) {
	req := plogotlp.NewExportRequest()
	isJSON, ok := s.decode(w, r, req)
	if !ok {
		return
	}
	ld := req.Logs()
	s.mu.Lock()
	s.nLogs += ld.LogRecordCount()
	if s.onLogs != nil {
		s.onLogs(ld)
	}
	if s.keepLogs {
		s.logs = append(s.logs, ld)
	}
	s.notifyLocked()
	s.mu.Unlock()
	writeResponse(w, isJSON, plogotlp.NewExportResponse())
}

func (s *OTLPSink) handleMetrics(w http.ResponseWriter, r *http.Request) {
	req := pmetricotlp.NewExportRequest()
	isJSON, ok := s.decode(w, r, req)
	if !ok {
		return
	}
	md := req.Metrics()
	s.mu.Lock()
	s.nPoints += md.DataPointCount()
	if s.onMetric != nil {
		s.onMetric(md)
	}
	if s.keepMets {
		s.metrics = append(s.metrics, md)
	}
	s.notifyLocked()
	s.mu.Unlock()
	writeResponse(w, isJSON, pmetricotlp.NewExportResponse())
}

type otlpResponse interface {
	MarshalProto() ([]byte, error)
	MarshalJSON() ([]byte, error)
}

func writeResponse(w http.ResponseWriter, isJSON bool, resp otlpResponse) {
	var b []byte
	var err error
	if isJSON {
		w.Header().Set("Content-Type", "application/json")
		b, err = resp.MarshalJSON()
	} else {
		w.Header().Set("Content-Type", "application/x-protobuf")
		b, err = resp.MarshalProto()
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (s *OTLPSink) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// LogRecordCount is the number of log records accepted so far (also when
// the data is not kept).
func (s *OTLPSink) LogRecordCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nLogs
}

// DataPointCount is the number of metric data points accepted so far.
func (s *OTLPSink) DataPointCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nPoints
}

// Logs returns the kept logs requests.
func (s *OTLPSink) Logs() []plog.Logs {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]plog.Logs(nil), s.logs...)
}

// Metrics returns the kept metrics requests.
func (s *OTLPSink) Metrics() []pmetric.Metrics {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]pmetric.Metrics(nil), s.metrics...)
}

// WaitFor blocks until cond holds (checked whenever data arrives and every
// 100 ms) or timeout passes, and reports whether it held.
func (s *OTLPSink) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-deadline.C:
			return cond()
		}
	}
}

// Record is one log record with the resource and scope it came with.
type Record struct {
	Resource pcommon.Resource
	Scope    pcommon.InstrumentationScope
	plog.LogRecord
}

// Records flattens the kept logs into records, in arrival order.
func (s *OTLPSink) Records() []Record {
	var out []Record
	for _, ld := range s.Logs() {
		for i := 0; i < ld.ResourceLogs().Len(); i++ {
			rl := ld.ResourceLogs().At(i)
			for j := 0; j < rl.ScopeLogs().Len(); j++ {
				sl := rl.ScopeLogs().At(j)
				for k := 0; k < sl.LogRecords().Len(); k++ {
					out = append(out, Record{Resource: rl.Resource(), Scope: sl.Scope(), LogRecord: sl.LogRecords().At(k)})
				}
			}
		}
	}
	return out
}

// Point is one number data point with its metric and resource.
type Point struct {
	Resource pcommon.Resource
	Metric   pmetric.Metric
	pmetric.NumberDataPoint
}

// Points returns the gauge and sum points of the named metric whose
// attributes include attrs.
func (s *OTLPSink) Points(name string, attrs map[string]string) []Point {
	var out []Point
	for _, md := range s.Metrics() {
		for i := 0; i < md.ResourceMetrics().Len(); i++ {
			rm := md.ResourceMetrics().At(i)
			for j := 0; j < rm.ScopeMetrics().Len(); j++ {
				ms := rm.ScopeMetrics().At(j).Metrics()
				for k := 0; k < ms.Len(); k++ {
					m := ms.At(k)
					if m.Name() != name {
						continue
					}
					var dps pmetric.NumberDataPointSlice
					switch m.Type() {
					case pmetric.MetricTypeGauge:
						dps = m.Gauge().DataPoints()
					case pmetric.MetricTypeSum:
						dps = m.Sum().DataPoints()
					default:
						continue
					}
					for l := 0; l < dps.Len(); l++ {
						if hasAttrs(dps.At(l).Attributes(), attrs) {
							out = append(out, Point{Resource: rm.Resource(), Metric: m, NumberDataPoint: dps.At(l)})
						}
					}
				}
			}
		}
	}
	return out
}

func hasAttrs(m pcommon.Map, want map[string]string) bool {
	for k, v := range want {
		got, ok := m.Get(k)
		if !ok || got.AsString() != v {
			return false
		}
	}
	return true
}

// Str returns the string form of attribute key in m, or "" when absent.
func Str(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok {
		return v.AsString()
	}
	return ""
}
