package herokuappprocessor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadatatest"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

const testAPIKey = "hrku-test-0123456789abcdef"

// fakeApp is one app the fake Platform API knows.
type fakeApp struct {
	id, name, generation string
	tokens               []string
}

// fakeAPI answers GET /apps and GET /apps/{id}/log-drains with the JSON
// shapes of the Heroku Platform API, cutting lists into pages of pageSize
// with 206 + Next-Range, and failing on demand.
type fakeAPI struct {
	t        *testing.T
	pageSize int

	mu        sync.Mutex
	apps      []fakeApp
	fail      map[string][]int // path -> status codes to answer first, in order
	remaining int              // RateLimit-Remaining to report
	requests  map[string]int   // path -> requests seen
	hang      chan struct{}    // when set, every request waits for it
}

func newFakeAPI(t *testing.T, apps ...fakeApp) (*fakeAPI, *httptest.Server) {
	f := &fakeAPI{t: t, pageSize: 2, apps: apps, fail: map[string][]int{}, remaining: 4500, requests: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) setApps(apps ...fakeApp) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.apps = apps
}

func (f *fakeAPI) failWith(path string, codes ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[path] = append(f.fail[path], codes...)
}

func (f *fakeAPI) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[path]
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	hang := f.hang
	f.mu.Unlock()
	if hang != nil {
		select {
		case <-hang:
		case <-r.Context().Done():
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[r.URL.Path]++
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(f.remaining))
	if r.Method != http.MethodGet || r.Header.Get("Accept") != "application/vnd.heroku+json; version=3" {
		f.t.Errorf("request %s %s: Accept %q", r.Method, r.URL.Path, r.Header.Get("Accept"))
		http.Error(w, `{"id":"bad_request","message":"bad Accept"}`, http.StatusBadRequest)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testAPIKey {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"id":"unauthorized","message":"Invalid credentials provided."}`))
		return
	}
	if codes := f.fail[r.URL.Path]; len(codes) > 0 {
		f.fail[r.URL.Path] = codes[1:]
		if codes[0] == http.StatusTooManyRequests {
			w.Header().Set("RateLimit-Remaining", "0")
		}
		w.WriteHeader(codes[0])
		_, _ = fmt.Fprintf(w, `{"id":"failure","message":"status %d"}`, codes[0])
		return
	}
	var items []any
	switch {
	case r.URL.Path == "/apps":
		for _, a := range f.apps {
			items = append(items, map[string]any{
				"id": a.id, "name": a.name,
				"generation": map[string]any{"id": "gen-" + a.generation, "name": a.generation},
				"region":     map[string]any{"id": "r1", "name": "us"},
				"space":      nil,
				"created_at": "2026-01-02T03:04:05Z",
			})
		}
	case strings.HasPrefix(r.URL.Path, "/apps/") && strings.HasSuffix(r.URL.Path, "/log-drains"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/apps/"), "/log-drains")
		found := false
		for _, a := range f.apps {
			if a.id != id {
				continue
			}
			found = true
			for i, tok := range a.tokens {
				items = append(items, map[string]any{
					"id": fmt.Sprintf("drain-%s-%d", a.id, i), "token": tok,
					"url":   "https://user:pass@collector.example.com/logs",
					"addon": nil, "app": map[string]any{"id": a.id, "name": a.name},
					"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
				})
			}
		}
		if !found {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"id":"not_found","message":"Couldn't find that app."}`))
			return
		}
	default:
		w.WriteHeader(http.StatusNotFound)
		return
	}
	// Paging: Range "id <start>..; max=<n>" where <start> is an index here.
	start := 0
	if rng := r.Header.Get("Range"); rng != "" {
		var err error
		if _, err = fmt.Sscanf(rng, "id %d..; max=", &start); err != nil {
			f.t.Errorf("unexpected Range %q", rng)
		}
	}
	end := min(start+f.pageSize, len(items))
	page := items[min(start, len(items)):end]
	if page == nil {
		page = []any{}
	}
	status := http.StatusOK
	if end < len(items) {
		w.Header().Set("Next-Range", fmt.Sprintf("id %d..; max=%d", end, f.pageSize))
		status = http.StatusPartialContent
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	require.NoError(f.t, json.NewEncoder(w).Encode(page))
}

// Drain tokens as the API returns them (d.<uuid>).
const (
	apiTokA1 = "d.aaaaaaaa-0000-4000-8000-000000000001"
	apiTokA2 = "d.aaaaaaaa-0000-4000-8000-000000000002"
	apiTokB  = "d.bbbbbbbb-0000-4000-8000-000000000001"
	apiTokC  = "d.cccccccc-0000-4000-8000-000000000001"
	apiTokD  = "d.dddddddd-0000-4000-8000-000000000001"
)

func testApps() []fakeApp {
	return []fakeApp{
		{id: "01234567-89ab-4def-8123-000000000001", name: "acme-web", generation: "cedar", tokens: []string{apiTokA1, apiTokA2, "d.AAAAAAAA-0000-4000-8000-000000000003"}},
		{id: "01234567-89ab-4def-8123-000000000002", name: "acme-worker", generation: "cedar", tokens: []string{apiTokB}},
		{id: "01234567-89ab-4def-8123-000000000003", name: "acme-fir", generation: "fir", tokens: []string{apiTokD}},
		{id: "01234567-89ab-4def-8123-000000000004", name: "acme-api", generation: "cedar"},
	}
}

// apiConfig is the default configuration with heroku_api pointed at url.
func apiConfig(url string) *Config {
	cfg := createDefaultConfig().(*Config)
	api := cfg.HerokuAPI.GetOrInsertDefault()
	api.APIKey = testAPIKey
	api.Endpoint = url
	return cfg
}

// fastTuning makes retries and pacing quick for tests.
func fastTuning(t *testing.T) {
	old := defaultAPITuning
	defaultAPITuning.backoff = time.Millisecond
	defaultAPITuning.maxBackoff = 5 * time.Millisecond
	defaultAPITuning.pace = time.Millisecond
	defaultAPITuning.minEarlyGap = 10 * time.Millisecond
	t.Cleanup(func() { defaultAPITuning = old })
}

func newTestAPISource(t *testing.T, endpoint string) (*apiSource, *observer.ObservedLogs, *componenttest.Telemetry) {
	fastTuning(t)
	logger, logs, tb, tt := newTestTelemetry(t, zap.DebugLevel)
	s := newAPISource(HerokuAPIConfig{
		APIKey: testAPIKey, Endpoint: endpoint, RefreshInterval: time.Hour,
		InitialWait: 5 * time.Second, Timeout: 5 * time.Second,
	}, logger, tb)
	return s, logs, tt
}

func TestAPISourceRefresh(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(f *fakeAPI)
		wantErr  string
		requests map[string]int // path -> expected request count
	}{
		{
			name: "lists every page of apps and drains and skips Fir apps",
			requests: map[string]int{
				"/apps": 2, // 4 apps in pages of 2
				"/apps/01234567-89ab-4def-8123-000000000001/log-drains": 2, // 3 drains in pages of 2
				"/apps/01234567-89ab-4def-8123-000000000002/log-drains": 1,
				"/apps/01234567-89ab-4def-8123-000000000003/log-drains": 0, // Fir
				"/apps/01234567-89ab-4def-8123-000000000004/log-drains": 1,
			},
		},
		{
			name:     "retries after 429 with a low rate limit pool",
			edit:     func(f *fakeAPI) { f.failWith("/apps", 429, 429); f.remaining = 3 },
			requests: map[string]int{"/apps": 4},
		},
		{
			name:     "retries after 5xx",
			edit:     func(f *fakeAPI) { f.failWith("/apps/01234567-89ab-4def-8123-000000000002/log-drains", 503, 500) },
			requests: map[string]int{"/apps/01234567-89ab-4def-8123-000000000002/log-drains": 3},
		},
		{
			name:     "an app deleted after listing is skipped",
			edit:     func(f *fakeAPI) { f.failWith("/apps/01234567-89ab-4def-8123-000000000004/log-drains", 404) },
			requests: map[string]int{"/apps/01234567-89ab-4def-8123-000000000004/log-drains": 1},
		},
		{
			name:     "gives up after the retries",
			edit:     func(f *fakeAPI) { f.failWith("/apps", 502, 502, 502, 502, 502) },
			wantErr:  "GET /apps: HTTP 502: failure: status 502",
			requests: map[string]int{"/apps": 5},
		},
		{
			name:     "429 that does not end names the rate limit",
			edit:     func(f *fakeAPI) { f.failWith("/apps", 429, 429, 429, 429, 429) },
			wantErr:  "rate limit",
			requests: map[string]int{"/apps": 5},
		},
		{
			name:     "other 4xx is not retried",
			edit:     func(f *fakeAPI) { f.failWith("/apps", 403) },
			wantErr:  "HTTP 403 (the API key may not read this",
			requests: map[string]int{"/apps": 1},
		},
		{
			name:    "a body that is not a JSON array fails the listing",
			edit:    func(f *fakeAPI) { f.apps = nil; f.failWith("/apps", 200) },
			wantErr: "answer is not a JSON array",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, srv := newFakeAPI(t, testApps()...)
			if tc.edit != nil {
				tc.edit(f)
			}
			s, _, _ := newTestAPISource(t, srv.URL)
			m, err := s.refresh(context.Background())
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				assert.Nil(t, m)
			} else {
				require.NoError(t, err)
				web := appInfo{Name: "acme-web", ID: "01234567-89ab-4def-8123-000000000001"}
				want := map[string]appInfo{
					apiTokA1: web, apiTokA2: web,
					"d.aaaaaaaa-0000-4000-8000-000000000003": web, // lower-cased
					apiTokB:                                  {Name: "acme-worker", ID: "01234567-89ab-4def-8123-000000000002"},
				}
				assert.Equal(t, want, m)
			}
			for path, n := range tc.requests {
				assert.Equal(t, n, f.count(path), path)
			}
		})
	}
}

func TestAPISourceWrongKeyIsNeverLogged(t *testing.T) {
	_, srv := newFakeAPI(t, testApps()...)
	s, logs, tt := newTestAPISource(t, srv.URL)
	s.cfg.APIKey = "wrong-key-do-not-log"
	s.start(context.Background())
	t.Cleanup(s.stop)

	_, ok := s.apps.lookup(apiTokA1)
	assert.False(t, ok)
	require.Equal(t, 1, logs.FilterMessageSnippet("listing apps and log drains failed").Len())
	for _, e := range logs.All() {
		line := e.Message + fmt.Sprint(e.ContextMap())
		assert.NotContains(t, line, "wrong-key-do-not-log")
		assert.NotContains(t, line, testAPIKey)
	}
	assert.Contains(t, fmt.Sprint(logs.FilterMessageSnippet("failed").All()[0].ContextMap()), "check heroku_api::api_key")
	metadatatest.AssertEqualProcessorHerokuappSourceLoads(t, tt, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("source", "heroku_api"), attribute.String("result", "error"))},
	}, metricdatatest.IgnoreTimestamp())
}

func TestAPISourceKeepsLastGoodMap(t *testing.T) {
	f, srv := newFakeAPI(t, testApps()...)
	s, _, tt := newTestAPISource(t, srv.URL)
	s.refreshAndReport(context.Background())
	a, ok := s.apps.lookup(apiTokB)
	require.True(t, ok)
	assert.Equal(t, "acme-worker", a.Name)

	// The API now fails on every attempt: the map stays.
	f.failWith("/apps", 500, 500, 500, 500, 500)
	s.refreshAndReport(context.Background())
	a, ok = s.apps.lookup(apiTokB)
	require.True(t, ok)
	assert.Equal(t, "acme-worker", a.Name)

	// A good listing replaces the map, forgetting removed drains.
	f.setApps(fakeApp{id: "01234567-89ab-4def-8123-000000000009", name: "acme-new", generation: "cedar", tokens: []string{apiTokC}})
	s.refreshAndReport(context.Background())
	_, ok = s.apps.lookup(apiTokB)
	assert.False(t, ok)
	a, ok = s.apps.lookup(apiTokC)
	require.True(t, ok)
	assert.Equal(t, appInfo{Name: "acme-new", ID: "01234567-89ab-4def-8123-000000000009"}, a)

	metadatatest.AssertEqualProcessorHerokuappSourceLoads(t, tt, []metricdata.DataPoint[int64]{
		{Value: 2, Attributes: attribute.NewSet(attribute.String("source", "heroku_api"), attribute.String("result", "ok"))},
		{Value: 1, Attributes: attribute.NewSet(attribute.String("source", "heroku_api"), attribute.String("result", "error"))},
	}, metricdatatest.IgnoreTimestamp())
}

func TestAPISourceEarlyRefreshOncePerNewToken(t *testing.T) {
	f, srv := newFakeAPI(t, testApps()...)
	s, _, _ := newTestAPISource(t, srv.URL)
	s.start(context.Background())
	t.Cleanup(s.stop)
	require.Equal(t, 2, f.count("/apps"), "start lists apps once (two pages)")

	// A drain added after the listing: the first sighting of its token
	// triggers one early listing that finds it.
	f.setApps(append(testApps(), fakeApp{id: "01234567-89ab-4def-8123-000000000005", name: "acme-late", generation: "cedar", tokens: []string{apiTokC}})...)
	_, ok := s.apps.lookup(apiTokC)
	require.False(t, ok)
	s.noteUnknown(apiTokC)
	require.Eventually(t, func() bool { _, ok := s.apps.lookup(apiTokC); return ok }, 5*time.Second, 5*time.Millisecond)
	listed := f.count("/apps")
	assert.Equal(t, 5, listed, "one early listing (three pages now)")

	// A token that stays unknown asks once, however often it is seen.
	for range 20 {
		s.noteUnknown("d.eeeeeeee-0000-4000-8000-000000000001")
	}
	require.Eventually(t, func() bool { return f.count("/apps") == listed+3 }, 5*time.Second, 5*time.Millisecond)
	for range 20 {
		s.noteUnknown("d.eeeeeeee-0000-4000-8000-000000000001")
	}
	time.Sleep(50 * time.Millisecond) // several minEarlyGap periods
	assert.Equal(t, listed+3, f.count("/apps"), "a token asks for at most one early listing")
}

func TestAPISourceStartWaitIsBounded(t *testing.T) {
	f, srv := newFakeAPI(t, testApps()...)
	f.hang = make(chan struct{})
	s, logs, _ := newTestAPISource(t, srv.URL)
	s.cfg.InitialWait = 20 * time.Millisecond
	s.start(context.Background())
	assert.Equal(t, 1, logs.FilterMessageSnippet("still running").Len())
	_, ok := s.apps.lookup(apiTokA1)
	assert.False(t, ok)
	f.mu.Lock()
	close(f.hang)
	f.mu.Unlock()
	require.Eventually(t, func() bool { _, ok := s.apps.lookup(apiTokA1); return ok }, 5*time.Second, 5*time.Millisecond)
	s.stop()
}

func TestAPISourceStopsDuringBackoff(t *testing.T) {
	f, srv := newFakeAPI(t, testApps()...)
	f.failWith("/apps", 503, 503, 503, 503, 503)
	s, logs, _ := newTestAPISource(t, srv.URL)
	s.tune.backoff, s.tune.maxBackoff = time.Hour, time.Hour
	s.cfg.InitialWait = 0
	s.start(context.Background())
	require.Eventually(t, func() bool { return f.count("/apps") == 1 }, 5*time.Second, time.Millisecond)
	s.stop() // must not wait an hour
	assert.Zero(t, logs.FilterMessageSnippet("failed").Len(), "shutting down is not a failure")
}

// End to end through the processor: the first batch after Start is already
// named from the API, with heroku.app.id.
func TestProcessorNamesFromAPIOnFirstBatch(t *testing.T) {
	fastTuning(t)
	_, srv := newFakeAPI(t, testApps()...)
	cfg := apiConfig(srv.URL)
	require.NoError(t, cfg.Validate())

	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })

	require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]res{{token: apiTokA2, items: 1}})))
	require.Len(t, sink.AllLogs(), 1)
	attrs := sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
	assert.Equal(t, map[string]any{
		"cloud.provider":        "heroku",
		draintoken.AttributeKey: apiTokA2,
		"service.name":          "acme-web",
		"heroku.app.id":         "01234567-89ab-4def-8123-000000000001",
	}, attrs.AsRaw())
}

// Logs and metrics pipelines with the same configuration share one listing.
func TestPipelinesShareOneResolver(t *testing.T) {
	fastTuning(t)
	f, srv := newFakeAPI(t, testApps()...)
	cfg := apiConfig(srv.URL)
	set := metadatatest.NewSettings(componenttest.NewTelemetry())
	lp, err := NewFactory().CreateLogs(context.Background(), set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	mp, err := NewFactory().CreateMetrics(context.Background(), set, cfg, consumertest.NewNop())
	require.NoError(t, err)
	require.NoError(t, lp.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, mp.Start(context.Background(), componenttest.NewNopHost()))
	assert.Equal(t, 2, f.count("/apps"), "one listing (two pages) for both pipelines")
	require.NoError(t, lp.Shutdown(context.Background()))
	require.NoError(t, mp.Shutdown(context.Background()))
	resolvers.Lock()
	defer resolvers.Unlock()
	assert.NotContains(t, resolvers.m, cfg, "the last shutdown releases the resolver")
}

// Through the processor: a batch with a token no source knows triggers the
// early listing, and a later batch is named.
func TestProcessorUnknownTokenTriggersEarlyListing(t *testing.T) {
	fastTuning(t)
	f, srv := newFakeAPI(t, testApps()...)
	cfg := apiConfig(srv.URL)
	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })

	f.setApps(append(testApps(), fakeApp{id: "01234567-89ab-4def-8123-000000000005", name: "acme-late", generation: "cedar", tokens: []string{apiTokC}})...)
	require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]res{{token: apiTokC, items: 1}})))
	first := sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
	flag, _ := first.Get(unresolvedAttribute)
	assert.Equal(t, reasonUnknownToken, flag.Str(), "the first batch is not named yet")

	require.Eventually(t, func() bool {
		require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]res{{token: apiTokC, items: 1}})))
		all := sink.AllLogs()
		svc, _ := all[len(all)-1].ResourceLogs().At(0).Resource().Attributes().Get("service.name")
		return svc.Str() == "acme-late"
	}, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, 5, f.count("/apps"), "start (2 pages) + one early listing (3 pages)")
}

// A server that never stops paging is given up on, not followed forever.
func TestAPISourceEndlessPagingIsBounded(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Next-Range", "id ]x..; max=1")
		w.WriteHeader(http.StatusPartialContent)
		_, _ = w.Write([]byte(`[]`))
	}))
	t.Cleanup(srv.Close)
	s, _, _ := newTestAPISource(t, srv.URL)
	s.tune.maxPages = 3
	_, err := s.refresh(context.Background())
	assert.ErrorContains(t, err, "GET /apps: more than 3 pages; giving up")
	assert.Equal(t, int64(3), n.Load())
}
