package load

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/bench/internal/bodies"
)

func mixedBody(t *testing.T) ([]byte, int) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "..", bodies.GeneratedDir, "mixed-100k.logplex"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := bodies.CountFrames(body)
	if err != nil {
		t.Fatal(err)
	}
	return body, n
}

type seen struct {
	mu       sync.Mutex
	ids      map[string]int
	tokens   map[string]int
	dynos    map[string]int
	badBody  int
	requests int
}

var dynoName = regexp.MustCompile(`web\.1\d{4}`)

func recorder(lines int, status int) (*seen, http.Handler) {
	s := &seen{ids: map[string]int{}, tokens: map[string]int{}, dynos: map[string]int{}}
	return s, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, rerr := io.ReadAll(r.Body)
		if rerr != nil {
			return // cut off by the end of the run
		}
		n, err := bodies.CountFrames(body)
		names := map[string]bool{}
		for _, m := range dynoName.FindAll(body, -1) {
			names[string(m)] = true
		}
		s.mu.Lock()
		s.requests++
		s.ids[r.Header.Get("Logplex-Frame-Id")]++
		s.tokens[r.Header.Get("Logplex-Drain-Token")]++
		for d := range names {
			s.dynos[d]++
		}
		if err != nil || n != lines || r.Header.Get("Logplex-Msg-Count") == "" {
			s.badBody++
		}
		s.mu.Unlock()
		w.WriteHeader(status)
	})
}

func TestEveryRequestHasItsOwnFrameIDAndAValidBody(t *testing.T) {
	body, lines := mixedBody(t)
	s, h := recorder(lines, http.StatusOK)
	srv := httptest.NewServer(h)
	defer srv.Close()
	g := New(Config{URL: srv.URL, Body: body, Lines: lines, Conns: 4, Tokens: 3})
	defer g.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res := g.Run(ctx)
	srv.Close() // waits for the handlers of cut-off requests
	// Requests in flight when the run ends reach the server but are not
	// counted: at most one per connection.
	if res.OK == 0 || int64(s.requests) < res.OK || int64(s.requests) > res.OK+4 || res.Lines != res.OK*int64(lines) || res.Failed != 0 {
		t.Fatalf("result %+v, server saw %d requests", res, s.requests)
	}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for id, n := range s.ids {
		if n != 1 || !hex32.MatchString(id) {
			t.Fatalf("Frame-Id %q sent %d times", id, n)
		}
	}
	if s.badBody != 0 {
		t.Errorf("%d bodies with broken octet counts or headers", s.badBody)
	}
	if len(s.tokens) != 3 || len(s.dynos) != 3 {
		t.Errorf("tokens %v, dynos %v; want 3 of each", s.tokens, s.dynos)
	}
}

func TestTokensZeroSendsTheBodyUnchanged(t *testing.T) {
	body, lines := mixedBody(t)
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	g := New(Config{URL: srv.URL, Body: body, Lines: lines, Conns: 1})
	defer g.Close()
	if status, err := g.post(context.Background(), bytes.NewReader(body), TokenName(0)); err != nil || status != 200 {
		t.Fatal(status, err)
	}
	srv.Close()
	if !bytes.Equal(got, body) {
		t.Error("body changed on the way")
	}
}

func TestRefusalsAreNotCountedAsDelivered(t *testing.T) {
	body, lines := mixedBody(t)
	_, h := recorder(lines, http.StatusServiceUnavailable)
	srv := httptest.NewServer(h)
	defer srv.Close()
	g := New(Config{URL: srv.URL, Body: body, Lines: lines, Conns: 2})
	defer g.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res := g.Run(ctx)
	if res.Refused == 0 || res.OK != 0 || res.Lines != 0 {
		t.Errorf("%+v", res)
	}
}

func TestRateHoldsTheRequestedPace(t *testing.T) {
	body, lines := mixedBody(t)
	s, h := recorder(lines, http.StatusOK)
	srv := httptest.NewServer(h)
	defer srv.Close()
	// 20 requests a second for 500 ms: about 10, never 50.
	g := New(Config{URL: srv.URL, Body: body, Lines: lines, Conns: 4, Rate: float64(20 * lines)})
	defer g.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	g.Run(ctx)
	srv.Close()
	if s.requests < 5 || s.requests > 14 {
		t.Errorf("%d requests in 500 ms at 20/s", s.requests)
	}
}
