package logplextest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Logplex defaults (logplex.app.src and logplex_http_drain.erl).
const (
	// DefaultTargetBytes is http_drain_target_bytes: a batch body stays
	// below it unless a single frame is that large on its own.
	DefaultTargetBytes = 102400
	// DefaultMaxMessages is http_drain_buffer_size: a drain never holds more
	// than this many messages, so no batch has more (plus one L10 frame).
	DefaultMaxMessages = 1024
	// DefaultTries is 1 + http_frame_retries.
	DefaultTries = 3
	// DefaultRequestTimeout is REQUEST_TIMEOUT: sending the request and
	// reading the status line and headers must take less than this.
	DefaultRequestTimeout = 5 * time.Second
	// DefaultConnectTimeout is CONNECT_TIMEOUT.
	DefaultConnectTimeout = 3 * time.Second
	// DefaultUserAgent is an opaque Logplex build tag.
	DefaultUserAgent = "Logplex/v123"
	// ContentType is the only drain body type that ever existed.
	ContentType = "application/logplex-1"
)

// Config configures a Client. Only URL is required.
type Config struct {
	// URL is the drain URL. Userinfo in it (https://user:pass@host/logs)
	// becomes basic auth, as with a real drain, unless Username is set.
	URL string
	// Token is sent as Logplex-Drain-Token ("d.<uuid>").
	Token string
	// Username and Password, when Username is set, are sent as basic auth.
	Username string
	Password string
	// UserAgent defaults to DefaultUserAgent.
	UserAgent string
	// RequestTimeout bounds each attempt. Default DefaultRequestTimeout;
	// tests make it short to exercise the timeout rule.
	RequestTimeout time.Duration
	// Tries is the number of attempts per batch. Default DefaultTries.
	Tries int
	// TargetBytes is the batch size bound. Default DefaultTargetBytes.
	TargetBytes int
	// MaxMessages caps the number of messages per batch, not counting an
	// L10 frame. Default DefaultMaxMessages.
	MaxMessages int
	// Backoff returns the pause before the next attempt after the given
	// number of consecutive failures (1 for the first). Default
	// LogplexBackoff.
	Backoff func(failures int) time.Duration
	// HTTPClient defaults to a client with its own keep-alive transport, a
	// 3 s connect timeout and no transparent compression.
	HTTPClient *http.Client
	// Now defaults to time.Now; it stamps L10 frames and loss times.
	Now func() time.Time
}

// Stats counts what a Client did. All counters are cumulative.
type Stats struct {
	Requests        int64 // HTTP attempts made
	Retries         int64 // attempts after the first one of a batch
	SentBatches     int64 // batches acknowledged with a 2xx
	SentMessages    int64 // messages in acknowledged batches, L10 frames not included
	DroppedBatches  int64 // batches given up on (4xx other than 429, or tries exceeded)
	DroppedMessages int64 // messages in dropped batches
	L10Sent         int64 // acknowledged batches that carried an L10 frame
}

// BatchResult describes how one batch went.
type BatchResult struct {
	FrameID   string
	Messages  int     // messages in the batch, L10 not included
	Attempts  int     // HTTP attempts made
	Statuses  []int   // status per attempt; 0 when the attempt got no response
	Errors    []error // transport error per attempt; nil when a response came
	Delivered bool    // a 2xx was received
	Dropped   bool    // Logplex would count the messages as lost
	// L10Dropped is the count reported by the L10 frame that was prepended
	// to the delivered attempt, 0 when there was none.
	L10Dropped int
}

// Client sends messages to one drain like Logplex does. It is safe for
// concurrent use, although Logplex itself sends one batch at a time per
// drain.
type Client struct {
	url      string
	token    string
	user     string
	pass     string
	auth     bool
	ua       string
	timeout  time.Duration
	tries    int
	target   int
	maxMsgs  int
	backoff  func(int) time.Duration
	hc       *http.Client
	now      func() time.Time
	requests atomic.Int64
	retries  atomic.Int64
	sentB    atomic.Int64
	sentM    atomic.Int64
	dropB    atomic.Int64
	dropM    atomic.Int64
	l10      atomic.Int64

	mu        sync.Mutex
	lost      int       // messages lost and not yet reported by a delivered L10
	lostSince time.Time // time of the first unreported loss
}

// NewClient returns a Client for cfg.
func NewClient(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("logplextest: drain URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("logplextest: drain URL %q: scheme must be http or https", cfg.URL)
	}
	c := &Client{
		token:   cfg.Token,
		ua:      cmp(cfg.UserAgent, DefaultUserAgent),
		timeout: cmp(cfg.RequestTimeout, DefaultRequestTimeout),
		tries:   cmp(cfg.Tries, DefaultTries),
		target:  cmp(cfg.TargetBytes, DefaultTargetBytes),
		maxMsgs: cmp(cfg.MaxMessages, DefaultMaxMessages),
		backoff: cfg.Backoff,
		hc:      cfg.HTTPClient,
		now:     cfg.Now,
	}
	switch {
	case cfg.Username != "":
		c.user, c.pass, c.auth = cfg.Username, cfg.Password, true
	case u.User != nil:
		// Logplex splits userinfo on ':' and sends "user:" when there is
		// no password.
		c.user = u.User.Username()
		c.pass, _ = u.User.Password()
		c.auth = true
	}
	u.User = nil
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment = ""
	c.url = u.String()
	if c.backoff == nil {
		c.backoff = LogplexBackoff
	}
	if c.hc == nil {
		c.hc = &http.Client{
			// Logplex does not follow redirects: a 3xx is a failed try.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{
				Proxy:               nil,
				DialContext:         (&net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
				DisableCompression:  true, // Logplex sends no Accept-Encoding
				MaxIdleConnsPerHost: 8,
				IdleConnTimeout:     4 * time.Minute,
			}}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// LogplexBackoff is Logplex's reconnect delay after a failure:
// 10 ms × trunc((2^U − 1)/2) with U uniform in 1..min(10, failures). The
// first retry is immediate and no delay exceeds 5.11 s.
func LogplexBackoff(failures int) time.Duration {
	if failures < 1 {
		return 0
	}
	u := 1 + mrand.IntN(min(10, failures))
	return 10 * time.Millisecond * time.Duration(((1<<u)-1)/2)
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:        c.requests.Load(),
		Retries:         c.retries.Load(),
		SentBatches:     c.sentB.Load(),
		SentMessages:    c.sentM.Load(),
		DroppedBatches:  c.dropB.Load(),
		DroppedMessages: c.dropM.Load(),
		L10Sent:         c.l10.Load(),
	}
}

// PendingLoss returns the number of lost messages that no delivered L10
// frame has reported yet.
func (c *Client) PendingLoss() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lost
}

// Send batches msgs (see Batches) and sends the batches in order, one at a
// time. Like Logplex it does not fail when a batch is dropped; look at
// Stats. It returns an error only when ctx ends.
func (c *Client) Send(ctx context.Context, msgs ...Message) error {
	return c.SendSeq(ctx, slices.Values(msgs))
}

// SendSeq is Send for a sequence, so callers can stream many messages
// without holding them all.
func (c *Client) SendSeq(ctx context.Context, seq iter.Seq[Message]) error {
	for batch := range batches(seq, c.target, c.maxMsgs) {
		c.SendBatch(ctx, batch)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Batches splits msgs into the batches Logplex would build (to_pkts/4):
// frames are added while targetBytes minus the batch size minus the next
// frame's size stays above zero, so a body stays below targetBytes; a frame
// too large for that goes alone. A batch also holds at most maxMessages
// messages. Zero arguments take the Logplex defaults.
func Batches(msgs []Message, targetBytes, maxMessages int) [][]Message {
	var out [][]Message
	for b := range batches(slices.Values(msgs), cmp(targetBytes, DefaultTargetBytes), cmp(maxMessages, DefaultMaxMessages)) {
		out = append(out, b)
	}
	return out
}

func batches(seq iter.Seq[Message], target, maxMsgs int) iter.Seq[[]Message] {
	return func(yield func([]Message) bool) {
		var batch []Message
		size := 0
		for m := range seq {
			fs := m.FrameSize()
			if len(batch) > 0 && (target-size-fs <= 0 || len(batch) >= maxMsgs) {
				if !yield(batch) {
					return
				}
				batch, size = nil, 0
			}
			batch = append(batch, m)
			size += fs
			if size >= target { // a single oversized frame goes alone
				if !yield(batch) {
					return
				}
				batch, size = nil, 0
			}
		}
		if len(batch) > 0 {
			yield(batch)
		}
	}
}

// NewFrameID returns 32 upper-case hex characters, the form of Logplex's
// MD5-based Logplex-Frame-Id.
func NewFrameID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// SendBatch posts msgs as one batch with a fresh Frame-Id, retrying it with
// the same Frame-Id on 429, any other non-2xx non-4xx status, timeouts and
// connection errors, up to Tries attempts, and dropping it at once on any
// other 4xx. Each attempt prepends an L10 frame when earlier messages were
// lost and not yet reported. msgs should respect the batch bounds; see
// Batches.
func (c *Client) SendBatch(ctx context.Context, msgs []Message) BatchResult {
	return c.SendBatchWithID(ctx, NewFrameID(), msgs)
}

// SendBatchWithID is SendBatch with a caller-chosen Frame-Id, for tests
// that replay a batch the way a Logplex retry after a lost response would.
func (c *Client) SendBatchWithID(ctx context.Context, frameID string, msgs []Message) BatchResult {
	res := BatchResult{FrameID: frameID, Messages: len(msgs)}
	base := Body(msgs)
	failures := 0
	for attempt := 1; attempt <= c.tries; attempt++ {
		if attempt > 1 {
			c.retries.Add(1)
			if d := c.backoff(failures); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-ctx.Done():
					t.Stop()
					return res
				case <-t.C:
				}
			}
		}
		if ctx.Err() != nil {
			return res
		}
		body, count, reported := c.withL10(base, len(msgs))
		status, err := c.post(ctx, frameID, body, count)
		res.Attempts++
		res.Statuses = append(res.Statuses, status)
		res.Errors = append(res.Errors, err)
		switch {
		case err != nil:
			if ctx.Err() != nil { // the caller gave up, not the drain
				return res
			}
			failures++
		case status >= 200 && status <= 299:
			res.Delivered = true
			res.L10Dropped = reported
			c.delivered(reported)
			c.sentB.Add(1)
			c.sentM.Add(int64(len(msgs)))
			return res
		case status >= 400 && status <= 499 && status != http.StatusTooManyRequests:
			c.drop(len(msgs))
			res.Dropped = true
			return res
		default:
			failures++
		}
	}
	c.drop(len(msgs))
	res.Dropped = true
	return res
}

// withL10 returns the body for one attempt and its Logplex-Msg-Count, with
// an L10 frame in front when there is unreported loss.
func (c *Client) withL10(base []byte, n int) (body []byte, count, reported int) {
	c.mu.Lock()
	lost, since := c.lost, c.lostSince
	c.mu.Unlock()
	if lost == 0 {
		return base, n, 0
	}
	body = L10(c.now(), lost, since).AppendFrame(nil)
	return append(body, base...), n + 1, lost
}

func (c *Client) delivered(reported int) {
	if reported == 0 {
		return
	}
	c.l10.Add(1)
	c.mu.Lock()
	c.lost -= reported
	if c.lost <= 0 {
		c.lost = 0
		c.lostSince = time.Time{}
	}
	c.mu.Unlock()
}

func (c *Client) drop(n int) {
	c.dropB.Add(1)
	c.dropM.Add(int64(n))
	c.mu.Lock()
	if c.lost == 0 {
		c.lostSince = c.now()
	}
	c.lost += n
	c.mu.Unlock()
}

func (c *Client) post(ctx context.Context, frameID string, body []byte, count int) (int, error) {
	c.requests.Add(1)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Logplex-Msg-Count", strconv.Itoa(count))
	req.Header.Set("Logplex-Frame-Id", frameID)
	if c.token != "" {
		req.Header.Set("Logplex-Drain-Token", c.token)
	}
	req.Header.Set("User-Agent", c.ua)
	if c.auth {
		req.SetBasicAuth(c.user, c.pass)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	// Logplex skips a response body by its Content-Length; drain it so the
	// connection can be reused.
	// The status line and headers arrived, which is what Logplex's timeout
	// covers, so a failure while reading the body does not change the
	// outcome.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, nil
}
