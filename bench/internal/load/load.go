// Package load is a Logplex-like HTTP load generator: N connections each
// POST a drain body as fast as the server answers (or at a steady total
// rate), every request with its own 32-hex Logplex-Frame-Id, so the server
// ingests each batch instead of answering it from its dedupe cache.
package load

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/herokudrain/herokudrain/bench/internal/bodies"
)

// Config describes one load run.
type Config struct {
	URL   string
	Body  []byte
	Lines int // frames in Body (Logplex-Msg-Count)
	Conns int
	// Tokens is how many distinct drain tokens (and dynos) the requests
	// cycle through. 0 sends Body unchanged with one token; K > 0 gives
	// request k token k%K and rewrites every generated dyno name in the
	// body (web.1NNNN, see bodies.DynoName) to dyno k%K of that token.
	Tokens int
	// Rate is the total lines/s to hold; 0 sends as fast as the server
	// answers.
	Rate float64
}

// Result counts what one run delivered.
type Result struct {
	Requests, OK, Refused, Failed int64
	Lines, Bytes                  int64 // of 2xx answered requests only
	Elapsed                       time.Duration
}

// LinesPerSec is the delivered line rate.
func (r Result) LinesPerSec() float64 { return float64(r.Lines) / r.Elapsed.Seconds() }

// MBPerSec is the delivered body rate in MB/s (10^6 bytes).
func (r Result) MBPerSec() float64 { return float64(r.Bytes) / 1e6 / r.Elapsed.Seconds() }

// TokenName is the drain token of index i.
func TokenName(i int) string {
	return fmt.Sprintf("d.%08x-3332-4546-93de-7d0ee272c3bd", uint32(i))
}

var dynoRe = regexp.MustCompile(`web\.1\d{4}`)

// Generator sends requests. One Generator serves one Config.
type Generator struct {
	cfg     Config
	client  *http.Client
	offsets []int // where the dyno digits are in Body
	prefix  string
	seq     atomic.Uint64
}

// New returns a Generator with its own connection pool of cfg.Conns.
func New(cfg Config) *Generator {
	if cfg.Conns < 1 {
		cfg.Conns = 1
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
		MaxConnsPerHost:     cfg.Conns,
		MaxIdleConnsPerHost: cfg.Conns,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
	}
	var p [8]byte
	_, _ = rand.Read(p[:])
	g := &Generator{cfg: cfg, client: &http.Client{Transport: tr, Timeout: 10 * time.Second}, prefix: hex.EncodeToString(p[:])}
	for _, loc := range dynoRe.FindAllIndex(cfg.Body, -1) {
		g.offsets = append(g.offsets, loc[0]+len("web."))
	}
	return g
}

// Close drops idle connections.
func (g *Generator) Close() { g.client.CloseIdleConnections() }

// FrameID returns a fresh 32-hex Frame-Id: a random per-generator prefix
// and a counter, so no two requests of a run share one.
func (g *Generator) FrameID() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], g.seq.Add(1))
	return g.prefix + hex.EncodeToString(b[:])
}

// patch writes dyno index i into every dyno name of buf (a copy of Body).
func (g *Generator) patch(buf []byte, i int) {
	digits := strconv.Itoa(bodies.DynoBase + i%10000)
	for _, off := range g.offsets {
		copy(buf[off:off+len(digits)], digits)
	}
}

// Run sends until ctx ends and returns what was delivered.
func (g *Generator) Run(ctx context.Context) Result {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		res Result
	)
	var ticket <-chan struct{}
	if g.cfg.Rate > 0 {
		ticket = pace(ctx, g.cfg.Rate/float64(g.cfg.Lines))
	}
	start := time.Now()
	var counter atomic.Int64
	for c := 0; c < g.cfg.Conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine Result
			buf := append([]byte(nil), g.cfg.Body...)
			rd := bytes.NewReader(buf)
			for ctx.Err() == nil {
				if ticket != nil {
					select {
					case <-ctx.Done():
						continue
					case <-ticket:
					}
				}
				token := TokenName(0)
				if g.cfg.Tokens > 0 {
					k := int(counter.Add(1)-1) % g.cfg.Tokens
					g.patch(buf, k)
					token = TokenName(k)
				}
				rd.Reset(buf)
				status, err := g.post(ctx, rd, token)
				mine.Requests++
				switch {
				case err != nil:
					if ctx.Err() == nil {
						mine.Failed++
					} else {
						mine.Requests--
					}
				case status/100 == 2:
					mine.OK++
					mine.Lines += int64(g.cfg.Lines)
					mine.Bytes += int64(len(buf))
				case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests:
					mine.Refused++
				default:
					mine.Failed++
				}
			}
			mu.Lock()
			res.Requests += mine.Requests
			res.OK += mine.OK
			res.Refused += mine.Refused
			res.Failed += mine.Failed
			res.Lines += mine.Lines
			res.Bytes += mine.Bytes
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res
}

func (g *Generator) post(ctx context.Context, body io.Reader, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.URL, body)
	if err != nil {
		return 0, err
	}
	req.ContentLength = int64(len(g.cfg.Body))
	req.Header.Set("Content-Type", "application/logplex-1")
	req.Header.Set("Logplex-Msg-Count", strconv.Itoa(g.cfg.Lines))
	req.Header.Set("Logplex-Frame-Id", g.FrameID())
	req.Header.Set("Logplex-Drain-Token", token)
	req.Header.Set("User-Agent", "Logplex/v123")
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// pace hands out perSec tickets a second, evenly, until ctx ends.
func pace(ctx context.Context, perSec float64) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		start := time.Now()
		for n := 0; ; n++ {
			due := start.Add(time.Duration(float64(n) / perSec * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
			select {
			case <-ctx.Done():
				return
			case ch <- struct{}{}:
			}
		}
	}()
	return ch
}
