package logplextest

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// request is what the test server saw of one POST.
type request struct {
	Header           http.Header
	Path, RawQuery   string
	ContentLength    int64
	TransferEncoding []string
	Body             []byte
	Frames           [][]byte
}

// drainServer records every request and answers with respond(n, req),
// where n counts requests from 1.
type drainServer struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []request
	respond func(n int, r *request) int
}

func newDrainServer(t *testing.T, respond func(n int, r *request) int) *drainServer {
	t.Helper()
	s := &drainServer{respond: respond}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading body: %v", err)
		}
		frames, err := SplitFrames(body)
		if err != nil {
			t.Errorf("body does not split into frames: %v", err)
		}
		req := request{Header: r.Header.Clone(), Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			ContentLength: r.ContentLength, TransferEncoding: r.TransferEncoding, Body: body, Frames: frames}
		s.mu.Lock()
		s.reqs = append(s.reqs, req)
		n := len(s.reqs)
		s.mu.Unlock()
		status := http.StatusNoContent
		if s.respond != nil {
			status = s.respond(n, &req)
		}
		w.Header().Set("Content-Length", "0")
		if status/100 == 3 {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *drainServer) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]request(nil), s.reqs...)
}

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

func appLine(i int) Message {
	return Message{PRI: PRIApp, Time: t0.Add(time.Duration(i) * time.Millisecond), AppName: "app", ProcID: "web.1",
		Msg: fmt.Sprintf("seq=%07d hello from the app", i)}
}

func appLines(n int) []Message {
	out := make([]Message, n)
	for i := range out {
		out[i] = appLine(i)
	}
	return out
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(int) time.Duration { return 0 }
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFrameByteCounts(t *testing.T) {
	cases := []struct {
		m    Message
		want string
	}{
		{
			Message{PRI: 174, Timestamp: "2012-07-22T00:06:26+00:00", AppName: "erlang", ProcID: "console", Msg: "Hi from erlang"},
			"70 <174>1 2012-07-22T00:06:26+00:00 host erlang console - Hi from erlang\n",
		},
		{
			Message{PRI: 45, Time: time.Date(2015, 5, 9, 20, 21, 25, 608433000, time.UTC), AppName: "heroku", ProcID: "web.1", Msg: "State changed from starting to crashed"},
			"98 <45>1 2015-05-09T20:21:25.608433+00:00 host heroku web.1 - State changed from starting to crashed\n",
		},
		{
			L10(time.Date(2015, 5, 9, 20, 21, 24, 0, time.UTC), 1, time.Date(2015, 5, 9, 20, 19, 3, 0, time.UTC)),
			"142 <172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.",
		},
		{ // multi-byte UTF-8: the count is in bytes
			Message{PRI: 190, Timestamp: "2025-03-14T09:26:53.589793+00:00", AppName: "app", ProcID: "web.1", Msg: "héllo wörld ✓"},
			"75 <190>1 2025-03-14T09:26:53.589793+00:00 host app web.1 - héllo wörld ✓\n",
		},
		{
			Message{Raw: []byte("not syslog")},
			"10 not syslog",
		},
	}
	for _, tc := range cases {
		got := string(tc.m.Frame())
		if got != tc.want {
			t.Errorf("Frame()\n got %q\nwant %q", got, tc.want)
		}
		if tc.m.FrameSize() != len(got) {
			t.Errorf("FrameSize() = %d, frame is %d bytes", tc.m.FrameSize(), len(got))
		}
		frames, err := SplitFrames([]byte(got))
		if err != nil || len(frames) != 1 || !bytes.Equal(frames[0], tc.m.Syslog()) {
			t.Errorf("frame %q does not split back into its message: %v", got, err)
		}
	}
	// Frames follow each other with no separator.
	body := Body([]Message{cases[2].m, cases[1].m})
	if want := cases[2].want + cases[1].want; string(body) != want {
		t.Errorf("Body()\n got %q\nwant %q", body, want)
	}
}

var frameIDRe = regexp.MustCompile(`^[0-9A-F]{32}$`)

func TestHeadersAndBasicAuth(t *testing.T) {
	srv := newDrainServer(t, nil)
	u := strings.Replace(srv.URL, "http://", "http://drain-user:s3cret@", 1) + "/logs?app=acme"
	c := newTestClient(t, Config{URL: u})
	msgs := appLines(10)
	if err := c.Send(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	h := reqs[0].Header
	if reqs[0].ContentLength <= 0 || len(reqs[0].TransferEncoding) > 0 {
		t.Errorf("want a Content-Length body, got ContentLength=%d TransferEncoding=%v", reqs[0].ContentLength, reqs[0].TransferEncoding)
	}
	want := map[string]string{
		"Content-Type":        "application/logplex-1",
		"Logplex-Msg-Count":   "10",
		"Logplex-Drain-Token": "d.fc6b856b-3332-4546-93de-7d0ee272c3bd",
		"User-Agent":          "Logplex/v123",
		"Authorization":       "Basic " + base64.StdEncoding.EncodeToString([]byte("drain-user:s3cret")),
		"Content-Length":      strconv.Itoa(len(Body(msgs))),
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if id := h.Get("Logplex-Frame-Id"); !frameIDRe.MatchString(id) {
		t.Errorf("Logplex-Frame-Id = %q, want 32 upper-case hex characters", id)
	}
	for _, k := range []string{"Accept-Encoding", "Content-Encoding", "Expect"} {
		if v := h.Get(k); v != "" {
			t.Errorf("Logplex never sends %s, got %q", k, v)
		}
	}
	if reqs[0].Path != "/logs" || reqs[0].RawQuery != "app=acme" {
		t.Errorf("path %q query %q, want /logs and app=acme", reqs[0].Path, reqs[0].RawQuery)
	}
	if !bytes.Equal(reqs[0].Body, Body(msgs)) {
		t.Error("body is not the concatenated frames")
	}
	if s := c.Stats(); s.SentBatches != 1 || s.SentMessages != 10 || s.Requests != 1 || s.Retries != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestExplicitBasicAuthAndUserOnly(t *testing.T) {
	srv := newDrainServer(t, nil)
	c := newTestClient(t, Config{URL: srv.URL, Username: "u", Password: "p"})
	c.Send(context.Background(), appLine(0))
	c2 := newTestClient(t, Config{URL: strings.Replace(srv.URL, "http://", "http://onlyuser@", 1)})
	c2.Send(context.Background(), appLine(1))
	reqs := srv.requests()
	if got := reqs[0].Header.Get("Authorization"); got != "Basic "+base64.StdEncoding.EncodeToString([]byte("u:p")) {
		t.Errorf("Authorization = %q", got)
	}
	if got := reqs[1].Header.Get("Authorization"); got != "Basic "+base64.StdEncoding.EncodeToString([]byte("onlyuser:")) {
		t.Errorf("user-only Authorization = %q", got)
	}
}

func TestRetrySameFrameIDOnTemporaryStatus(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusFound} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newDrainServer(t, func(n int, _ *request) int {
				if n < 3 {
					return status
				}
				return http.StatusOK
			})
			c := newTestClient(t, Config{URL: srv.URL})
			res := c.SendBatch(context.Background(), appLines(5))
			if !res.Delivered || res.Dropped || res.Attempts != 3 {
				t.Fatalf("result %+v, want delivered on the third attempt", res)
			}
			reqs := srv.requests()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want 3", len(reqs))
			}
			for i, r := range reqs {
				if got := r.Header.Get("Logplex-Frame-Id"); got != res.FrameID {
					t.Errorf("attempt %d Frame-Id %q, want %q", i+1, got, res.FrameID)
				}
				if !bytes.Equal(r.Body, reqs[0].Body) {
					t.Errorf("attempt %d body differs", i+1)
				}
			}
			if s := c.Stats(); s.Requests != 3 || s.Retries != 2 || s.SentBatches != 1 || s.DroppedBatches != 0 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestRetrySameFrameIDOnTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newDrainServer(t, func(n int, _ *request) int {
		if n == 1 {
			select { // slower than the client's request timeout
			case <-release:
			case <-time.After(2 * time.Second):
			}
		}
		return http.StatusNoContent
	})
	c := newTestClient(t, Config{URL: srv.URL, RequestTimeout: 150 * time.Millisecond})
	start := time.Now()
	res := c.SendBatch(context.Background(), appLines(3))
	if !res.Delivered || res.Attempts != 2 {
		t.Fatalf("result %+v, want delivered on the second attempt", res)
	}
	if res.Errors[0] == nil || !errors.Is(res.Errors[0], context.DeadlineExceeded) {
		t.Errorf("first attempt error %v, want a deadline error", res.Errors[0])
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("took %v; the timeout did not cut the first attempt short", d)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].Header.Get("Logplex-Frame-Id") != reqs[1].Header.Get("Logplex-Frame-Id") {
		t.Fatalf("want 2 requests with one Frame-Id, got %d", len(reqs))
	}
}

func TestRetryOnConnectionErrorThenDrop(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newTestClient(t, Config{URL: "http://" + addr + "/logs"})
	res := c.SendBatch(context.Background(), appLines(4))
	if res.Delivered || !res.Dropped || res.Attempts != 3 {
		t.Fatalf("result %+v, want 3 failed attempts and a drop", res)
	}
	for i, e := range res.Errors {
		if e == nil {
			t.Errorf("attempt %d: no error", i+1)
		}
	}
	if s := c.Stats(); s.DroppedBatches != 1 || s.DroppedMessages != 4 || s.Retries != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestDropAtOnceOnClientError(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound, http.StatusRequestEntityTooLarge} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newDrainServer(t, func(int, *request) int { return status })
			c := newTestClient(t, Config{URL: srv.URL})
			res := c.SendBatch(context.Background(), appLines(7))
			if res.Delivered || !res.Dropped || res.Attempts != 1 {
				t.Fatalf("result %+v, want one attempt and a drop", res)
			}
			if s := c.Stats(); s.Requests != 1 || s.Retries != 0 || s.DroppedBatches != 1 || s.DroppedMessages != 7 {
				t.Errorf("stats %+v", s)
			}
			if c.PendingLoss() != 7 {
				t.Errorf("PendingLoss = %d, want 7", c.PendingLoss())
			}
		})
	}
}

func TestTriesExceeded(t *testing.T) {
	srv := newDrainServer(t, func(int, *request) int { return http.StatusServiceUnavailable })
	c := newTestClient(t, Config{URL: srv.URL})
	res := c.SendBatch(context.Background(), appLines(2))
	if !res.Dropped || res.Attempts != 3 || len(srv.requests()) != 3 {
		t.Fatalf("result %+v, %d requests; want 3 attempts then a drop", res, len(srv.requests()))
	}
}

var l10Re = regexp.MustCompile(`^<172>1 (\S+) host heroku logplex - Error L10 \(output buffer overflow\): (\d+) messages dropped since (\S+)\.$`)

func TestL10AfterLoss(t *testing.T) {
	now := time.Date(2025, 3, 14, 10, 4, 11, 0, time.UTC)
	clock := func() time.Time { return now }
	var fail sync.Map                            // request number -> status
	fail.Store(1, http.StatusBadRequest)         // batch 1 dropped at once (3 msgs)
	fail.Store(2, http.StatusServiceUnavailable) // batch 2, try 1 (carries L10 for 3)
	fail.Store(3, http.StatusServiceUnavailable) // batch 2, try 2
	fail.Store(4, http.StatusServiceUnavailable) // batch 2, try 3 → dropped (2 more lost)
	srv := newDrainServer(t, func(n int, _ *request) int {
		if s, ok := fail.Load(n); ok {
			return s.(int)
		}
		return http.StatusNoContent
	})
	c := newTestClient(t, Config{URL: srv.URL, Now: func() time.Time { return clock() }})
	ctx := context.Background()

	c.SendBatch(ctx, appLines(3))
	now = now.Add(7 * time.Second)
	c.SendBatch(ctx, appLines(2))
	now = now.Add(5 * time.Second)
	res := c.SendBatch(ctx, appLines(4)) // request 5: delivered with L10 for 5
	if !res.Delivered || res.L10Dropped != 5 {
		t.Fatalf("result %+v, want delivered with an L10 for 5 messages", res)
	}
	res = c.SendBatch(ctx, appLines(1)) // request 6: no more L10
	if res.L10Dropped != 0 {
		t.Fatalf("L10 repeated after it was delivered: %+v", res)
	}

	reqs := srv.requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 6", len(reqs))
	}
	if reqs[0].Header.Get("Logplex-Msg-Count") != "3" || len(reqs[0].Frames) != 3 {
		t.Errorf("request 1 should have no L10")
	}
	check := func(i, count, dropped int, stamp, since string) {
		t.Helper()
		r := reqs[i]
		if got := r.Header.Get("Logplex-Msg-Count"); got != strconv.Itoa(count) || len(r.Frames) != count {
			t.Errorf("request %d: Msg-Count %s and %d frames, want %d", i+1, got, len(r.Frames), count)
		}
		m := l10Re.FindSubmatch(r.Frames[0])
		if m == nil {
			t.Fatalf("request %d: first frame %q is not an L10", i+1, r.Frames[0])
		}
		if string(m[1]) != stamp || string(m[2]) != strconv.Itoa(dropped) || string(m[3]) != since {
			t.Errorf("request %d: L10 %q, want %s / %d dropped since %s", i+1, r.Frames[0], stamp, dropped, since)
		}
		if bytes.HasSuffix(r.Frames[0], []byte("\n")) {
			t.Errorf("request %d: the L10 frame must not end in LF", i+1)
		}
	}
	for i := 1; i <= 3; i++ {
		check(i, 3, 3, "2025-03-14T10:04:18+00:00", "2025-03-14T10:04:11+00:00")
		if reqs[i].Header.Get("Logplex-Frame-Id") != reqs[1].Header.Get("Logplex-Frame-Id") {
			t.Errorf("retry %d changed the Frame-Id", i)
		}
	}
	check(4, 5, 5, "2025-03-14T10:04:23+00:00", "2025-03-14T10:04:11+00:00")
	if reqs[5].Header.Get("Logplex-Msg-Count") != "1" || len(reqs[5].Frames) != 1 {
		t.Errorf("request 6 should carry no L10")
	}
	s := c.Stats()
	if s.DroppedBatches != 2 || s.DroppedMessages != 5 || s.L10Sent != 1 || s.SentBatches != 2 || s.SentMessages != 5 {
		t.Errorf("stats %+v", s)
	}
	if c.PendingLoss() != 0 {
		t.Errorf("PendingLoss = %d after the L10 was delivered", c.PendingLoss())
	}
}

func TestBatchSizeBound(t *testing.T) {
	var msgs []Message
	for i := range 3000 {
		m := appLine(i)
		m.Msg += strings.Repeat("x", (i*7919)%400) // varied sizes
		if i%50 == 49 {
			m.NoLF = true
		}
		msgs = append(msgs, m)
	}
	pig := appLine(3000)
	pig.Msg = strings.Repeat("p", DefaultTargetBytes) // larger than a whole batch
	msgs = append(msgs[:1500], append([]Message{pig}, msgs[1500:]...)...)
	short := Message{PRI: PRIApp, Time: t0, AppName: "app", ProcID: "web.2", Msg: "x"} // many small ones hit the message cap
	for range 2500 {
		msgs = append(msgs, short)
	}

	srv := newDrainServer(t, nil)
	c := newTestClient(t, Config{URL: srv.URL})
	if err := c.Send(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	sawPig := false
	for i, r := range srv.requests() {
		n, _ := strconv.Atoi(r.Header.Get("Logplex-Msg-Count"))
		if n != len(r.Frames) {
			t.Errorf("request %d: Msg-Count %d, %d frames", i+1, n, len(r.Frames))
		}
		if n > DefaultMaxMessages {
			t.Errorf("request %d: %d messages, more than the %d-message drain buffer", i+1, n, DefaultMaxMessages)
		}
		if len(r.Body) >= DefaultTargetBytes {
			if len(r.Frames) != 1 {
				t.Errorf("request %d: %d bytes in %d frames; only a lone oversized frame may reach the target", i+1, len(r.Body), len(r.Frames))
			}
			sawPig = true
		}
		got = append(got, r.Frames...)
	}
	if !sawPig {
		t.Error("the oversized frame was not sent")
	}
	if len(got) != len(msgs) {
		t.Fatalf("%d frames arrived, %d sent", len(got), len(msgs))
	}
	for i := range msgs {
		if !bytes.Equal(got[i], msgs[i].Syslog()) {
			t.Fatalf("frame %d differs or is out of order", i)
		}
	}
	// Batches agrees with what was sent.
	if b := Batches(msgs, 0, 0); len(b) != len(srv.requests()) {
		t.Errorf("Batches made %d batches, Send made %d requests", len(b), len(srv.requests()))
	}
}

func TestBatchesEdge(t *testing.T) {
	m := Message{Raw: []byte(strings.Repeat("a", 95))} // 98-byte frames
	if m.FrameSize() != 98 {
		t.Fatalf("FrameSize %d", m.FrameSize())
	}
	// Target 197: 98+98=196 < 197 fits; target 196: 196 is not below it.
	if b := Batches([]Message{m, m, m}, 197, 10); len(b) != 2 || len(b[0]) != 2 {
		t.Errorf("target 197: %d batches", len(b))
	}
	if b := Batches([]Message{m, m, m}, 196, 10); len(b) != 3 {
		t.Errorf("target 196: %d batches, want 3", len(b))
	}
	if b := Batches([]Message{m, m, m}, 1000, 2); len(b) != 2 {
		t.Errorf("max 2 messages: %d batches, want 2", len(b))
	}
	if b := Batches(nil, 0, 0); len(b) != 0 {
		t.Errorf("no messages: %d batches", len(b))
	}
}

func TestLogplexBackoff(t *testing.T) {
	if d := LogplexBackoff(1); d != 0 {
		t.Errorf("first retry waits %v, want 0", d)
	}
	allowed := map[time.Duration]bool{}
	for u := 1; u <= 10; u++ {
		allowed[10*time.Millisecond*time.Duration(((1<<u)-1)/2)] = true
	}
	for f := 1; f < 40; f++ {
		for range 50 {
			d := LogplexBackoff(f)
			if !allowed[d] || d > 5110*time.Millisecond {
				t.Fatalf("LogplexBackoff(%d) = %v", f, d)
			}
		}
	}
}

func TestContextCancelStopsRetrying(t *testing.T) {
	srv := newDrainServer(t, func(int, *request) int { return http.StatusServiceUnavailable })
	ctx, cancel := context.WithCancel(context.Background())
	c := newTestClient(t, Config{URL: srv.URL, Backoff: func(int) time.Duration { cancel(); return time.Hour }})
	res := c.SendBatch(ctx, appLines(1))
	if res.Attempts != 1 || res.Dropped || res.Delivered {
		t.Errorf("result %+v, want one attempt, neither delivered nor dropped", res)
	}
}
