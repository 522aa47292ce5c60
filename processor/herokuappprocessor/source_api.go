package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

// Facts about the Heroku Platform API (Dev Center "Platform API Reference"):
//   - requests carry "Accept: application/vnd.heroku+json; version=3" and
//     "Authorization: Bearer <key>";
//   - a list cut short answers 206 Partial Content with a Next-Range header;
//     sending that value back as Range returns the next page;
//   - each account has a pool of request tokens that refills slowly; the
//     RateLimit-Remaining header says what is left and an empty pool answers
//     429 Too Many Requests.
const (
	apiAccept    = "application/vnd.heroku+json; version=3"
	apiUserAgent = "otelcol-heroku-herokuapp-processor"
	// A Fir app has no Logplex drains (it sends OpenTelemetry through
	// telemetry drains), so its log-drains are not listed.
	generationFir = "fir"
)

// apiTuning holds the knobs tests shorten. Defaults suit the real API.
type apiTuning struct {
	retries      int           // attempts after the first on 429/5xx/transport errors
	backoff      time.Duration // first wait; doubles per attempt
	maxBackoff   time.Duration // cap of one wait (also caps Retry-After)
	lowRemaining int           // RateLimit-Remaining below this: pace requests
	pace         time.Duration // wait between requests while the pool is low
	minEarlyGap  time.Duration // minimum time between two listings caused by unknown tokens
	maxPages     int           // guard against a server that never stops paging
	maxSeen      int           // bound of the set of unknown tokens already acted on
}

var defaultAPITuning = apiTuning{
	retries:      4,
	backoff:      2 * time.Second,
	maxBackoff:   time.Minute,
	lowRemaining: 100,
	// The pool refills at about 75 requests a minute; one request per
	// second while it is low keeps it from emptying.
	pace:        time.Second,
	minEarlyGap: 30 * time.Second,
	maxPages:    1000,
	maxSeen:     10000,
}

// apiSource keeps the token -> app map built from the Platform API.
type apiSource struct {
	cfg    HerokuAPIConfig
	tune   apiTuning
	client *http.Client
	logger *zap.Logger
	tb     *metadata.TelemetryBuilder

	apps tokenMap

	early  chan struct{} // a token no source knows was seen
	seenMu sync.Mutex
	seen   map[string]struct{} // unknown tokens that already asked for an early listing

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newAPISource(cfg HerokuAPIConfig, logger *zap.Logger, tb *metadata.TelemetryBuilder) *apiSource {
	return &apiSource{
		cfg:    cfg,
		tune:   defaultAPITuning,
		client: &http.Client{Timeout: cfg.Timeout},
		logger: logger,
		tb:     tb,
		early:  make(chan struct{}, 1),
		seen:   map[string]struct{}{},
	}
}

// noteUnknown asks for one early listing the first time tok is seen.
func (s *apiSource) noteUnknown(tok string) {
	s.seenMu.Lock()
	_, dup := s.seen[tok]
	if !dup {
		if len(s.seen) >= s.tune.maxSeen {
			clear(s.seen)
		}
		s.seen[tok] = struct{}{}
	}
	s.seenMu.Unlock()
	if dup {
		return
	}
	select {
	case s.early <- struct{}{}:
	default: // a listing is already pending; it covers this token too
	}
}

// start runs the first listing, waiting for it at most initial_wait, then
// refreshes every refresh_interval (and early for new tokens) until stop.
func (s *apiSource) start(context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	first := make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.loop(ctx, first)
	}()
	t := time.NewTimer(s.cfg.InitialWait)
	defer t.Stop()
	select {
	case <-first:
	case <-t.C:
		s.logger.Warn("heroku_api: the first listing of apps and drains is still running; batches until it ends may be unnamed",
			zap.Duration("initial_wait", s.cfg.InitialWait))
	}
}

func (s *apiSource) stop() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *apiSource) loop(ctx context.Context, first chan struct{}) {
	s.refreshAndReport(ctx)
	close(first)
	last := time.Now()
	tick := time.NewTimer(s.cfg.RefreshInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.early:
			if !sleepCtx(ctx, time.Until(last.Add(s.tune.minEarlyGap))) {
				return
			}
		}
		s.refreshAndReport(ctx)
		last = time.Now()
		if !tick.Stop() {
			select {
			case <-tick.C:
			default:
			}
		}
		tick.Reset(s.cfg.RefreshInterval)
	}
}

func (s *apiSource) refreshAndReport(ctx context.Context) {
	m, err := s.refresh(ctx)
	if ctx.Err() != nil {
		return // shutting down
	}
	s.tb.ProcessorHerokuappSourceLoads.Add(context.Background(), 1, loadAttrs(sourceAPI, err == nil))
	if err != nil {
		kept := 0
		if old := s.apps.Load(); old != nil {
			kept = len(*old)
		}
		s.logger.Error("heroku_api: listing apps and log drains failed; keeping the last good token map",
			zap.Int("tokens_kept", kept), zap.Error(err))
		return
	}
	s.apps.Store(&m)
	s.logger.Info("heroku_api: loaded token map", zap.Int("tokens", len(m)))
}

// JSON shapes of the Platform API (only the fields used).
type apiApp struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Generation *struct {
		Name string `json:"name"`
	} `json:"generation"`
}

type apiLogDrain struct {
	Token string `json:"token"`
}

// refresh lists every app, then every app's log drains, and returns the
// complete token -> app map. Any failure fails the whole listing so a
// partial map never replaces a good one.
func (s *apiSource) refresh(ctx context.Context) (map[string]appInfo, error) {
	apps, err := list[apiApp](ctx, s, "/apps")
	if err != nil {
		return nil, err
	}
	m := map[string]appInfo{}
	for _, app := range apps {
		if app.ID == "" || app.Name == "" {
			continue
		}
		if app.Generation != nil && app.Generation.Name == generationFir {
			continue
		}
		drains, err := list[apiLogDrain](ctx, s, "/apps/"+url.PathEscape(app.ID)+"/log-drains")
		var se *statusError
		if errors.As(err, &se) && se.code == http.StatusNotFound {
			continue // app deleted since it was listed
		}
		if err != nil {
			return nil, err
		}
		for _, d := range drains {
			if d.Token != "" {
				m[draintoken.Normalize(d.Token)] = appInfo{Name: app.Name, ID: app.ID}
			}
		}
	}
	return m, nil
}

// statusError is an HTTP answer the source does not retry (or gave up on).
type statusError struct {
	path string
	code int
	body string
}

func (e *statusError) Error() string {
	hint := ""
	switch e.code {
	case http.StatusUnauthorized:
		hint = " (the API key was refused: check heroku_api::api_key)"
	case http.StatusForbidden:
		hint = " (the API key may not read this; use a key of a user who can see the apps)"
	case http.StatusTooManyRequests:
		hint = " (rate limit: the account's request pool is empty; raise heroku_api::refresh_interval)"
	}
	return fmt.Sprintf("GET %s: HTTP %d%s: %s", e.path, e.code, hint, e.body)
}

// list GETs every page of a list endpoint and returns all elements.
func list[T any](ctx context.Context, s *apiSource, path string) ([]T, error) {
	var all []T
	rng := ""
	for page := 0; ; page++ {
		if page >= s.tune.maxPages {
			return nil, fmt.Errorf("GET %s: more than %d pages; giving up", path, s.tune.maxPages)
		}
		body, next, err := s.get(ctx, path, rng)
		if err != nil {
			return nil, err
		}
		var items []T
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, fmt.Errorf("GET %s: answer is not a JSON array of the documented objects: %w", path, err)
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		rng = next
	}
}

// get performs one GET with retries. It returns the body and, for a 206
// answer, the Next-Range to ask for next.
func (s *apiSource) get(ctx context.Context, path, rng string) ([]byte, string, error) {
	wait := s.tune.backoff
	for attempt := 0; ; attempt++ {
		body, next, retryAfter, err := s.getOnce(ctx, path, rng)
		if err == nil {
			return body, next, nil
		}
		var se *statusError
		retryable := !errors.As(err, &se) || se.code == http.StatusTooManyRequests || se.code >= 500
		if !retryable || attempt >= s.tune.retries || ctx.Err() != nil {
			return nil, "", err
		}
		d := wait
		if retryAfter > 0 {
			d = retryAfter
		}
		d = min(d, s.tune.maxBackoff)
		s.logger.Debug("heroku_api: retrying", zap.String("path", path), zap.Duration("wait", d), zap.Error(err))
		if !sleepCtx(ctx, d) {
			return nil, "", ctx.Err()
		}
		wait = min(wait*2, s.tune.maxBackoff)
	}
}

func (s *apiSource) getOnce(ctx context.Context, path, rng string) (body []byte, next string, retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(s.cfg.Endpoint, "/")+path, http.NoBody)
	if err != nil {
		return nil, "", 0, err
	}
	req.Header.Set("Accept", apiAccept)
	req.Header.Set("Authorization", "Bearer "+string(s.cfg.APIKey))
	req.Header.Set("User-Agent", apiUserAgent)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, "", 0, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, "", 0, fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	s.watchRateLimit(ctx, resp.Header.Get("RateLimit-Remaining"))
	switch resp.StatusCode {
	case http.StatusOK:
		return body, "", 0, nil
	case http.StatusPartialContent:
		return body, resp.Header.Get("Next-Range"), 0, nil
	}
	if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs > 0 {
		retryAfter = time.Duration(secs) * time.Second
	}
	return nil, "", retryAfter, &statusError{path: path, code: resp.StatusCode, body: errorMessage(body)}
}

// watchRateLimit slows down while the account's request pool is low.
func (s *apiSource) watchRateLimit(ctx context.Context, remaining string) {
	n, err := strconv.Atoi(remaining)
	if err != nil || n >= s.tune.lowRemaining {
		return
	}
	s.logger.Debug("heroku_api: rate limit pool is low; pacing requests", zap.Int("remaining", n))
	sleepCtx(ctx, s.tune.pace)
}

// errorMessage extracts the "message" of an API error body, or a short
// prefix of the body.
func errorMessage(body []byte) string {
	var e struct {
		ID      string `json:"id"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		return e.ID + ": " + e.Message
	}
	const maxLen = 200
	if len(body) > maxLen {
		body = body[:maxLen]
	}
	return strings.ToValidUTF8(string(body), "?")
}

// sleepCtx waits d or until ctx ends; it reports whether ctx is still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
