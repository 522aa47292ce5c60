// Package dedupe remembers the ids of delivered batches so that a batch
// retried by its sender is emitted only once.
//
// Logplex retries a failed or slow (>5 s) POST, up to 3 tries in all, with
// the same Logplex-Frame-Id header; log-shuttle retries with the same
// X-Request-Id. A retry can arrive while the first attempt is still being
// processed, so the cache tracks ids in flight as well as ids delivered,
// each signal (logs, metrics) on its own:
//
//	key, ok := dedupe.ParseFrameID(r.Header.Get("Logplex-Frame-Id"))
//	done, dup, err := cache.Begin(r.Context(), key, dedupe.Logs)
//	if err != nil { /* client went away: answer 503 */ }
//	if dup { /* already emitted: answer 2xx without emitting */ }
//	err = next.ConsumeLogs(ctx, ld)
//	done(err == nil)
//
// Memory is bounded by construction: an id is stored once, as a fixed-size
// Key, whatever the signals; at most maxEntries ids are kept (about
// BytesPerEntry bytes each), oldest first out.
//
// The package has no dependencies outside the standard library.
package dedupe // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/dedupe"

import (
	"context"
	"sync"
	"time"
)

// Signal is one kind of telemetry a batch is delivered as. A retry
// re-sends only the signals whose first delivery failed.
type Signal uint8

const (
	Logs Signal = 1 << iota
	Metrics
	Traces
)

// BytesPerEntry is what one remembered id costs at most, ring slot and map
// entry together, as checked by TestMemoryPerEntryIsBounded (~50 bytes
// measured with Go 1.26). Document capacities with it: 100,000 entries
// take at most ~6.1 MiB.
const BytesPerEntry = 64

// Cache is a bounded, concurrency-safe set of batch ids. The zero value is
// not usable; create one with New.
type Cache struct {
	maxEntries int
	ttl        time.Duration
	now        func() time.Time

	mu       sync.Mutex
	inflight map[claimKey]*attempt
	accepted map[Key]int32 // index into ring
	ring     []entry       // delivered ids, oldest at head
	head, n  int
}

type claimKey struct {
	key    Key
	signal Signal
}

// entry is one delivered id: the signals delivered and when it was first
// delivered (unix nanoseconds).
type entry struct {
	key     Key
	signals Signal
	at      int64
}

// attempt is one in-flight processing of an id's signal.
type attempt struct {
	done     chan struct{} // closed when the owner calls done
	accepted bool          // written before done is closed
	finished bool          // guarded by Cache.mu; makes done idempotent
	waiters  int           // guarded by Cache.mu; callers blocked in Begin (for tests)
}

func noop(bool) {}

// New returns a cache that remembers at most maxEntries delivered ids, each
// for ttl after its first delivery. When full, the oldest id is forgotten
// first (a duplicate hit does not refresh an id). maxEntries < 1 is treated
// as 1; ttl <= 0 means ids do not expire (they are only evicted when the
// cache is full). now is the clock (nil means time.Now); it should not go
// backwards.
//
// Ids being processed are tracked in addition to maxEntries; their number is
// bounded by the number of concurrent requests.
func New(maxEntries int, ttl time.Duration, now func() time.Time) *Cache {
	if maxEntries < 1 {
		maxEntries = 1
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{
		maxEntries: maxEntries,
		ttl:        ttl,
		now:        now,
		inflight:   make(map[claimKey]*attempt),
		accepted:   make(map[Key]int32),
		ring:       make([]entry, min(maxEntries, 1024)),
	}
}

// Begin claims key's signal for processing.
//
//   - If the signal of key was delivered within the ttl, Begin returns
//     dup=true: the caller should answer 2xx without emitting it.
//   - If it is being processed by another caller (a retry after a timeout
//     while the first attempt is still running), Begin waits until that
//     attempt ends or ctx is done. If the attempt was accepted, Begin
//     returns dup=true; if it failed, the caller takes over as owner.
//     If ctx ends first, Begin returns ctx.Err().
//   - Otherwise the caller owns it (dup=false) and must call done, with
//     accepted=true only if the batch was delivered. Failed attempts are
//     not remembered, so the retry gets processed. Calls after the first
//     are ignored.
//
// The returned done is never nil, so `defer done(false)`-style code is safe
// even when dup is true or err is non-nil (done is then a no-op).
func (c *Cache) Begin(ctx context.Context, key Key, signal Signal) (done func(accepted bool), dup bool, err error) {
	ck := claimKey{key, signal}
	for {
		c.mu.Lock()
		c.pruneLocked(c.now().UnixNano())
		if i, ok := c.accepted[key]; ok && c.ring[i].signals&signal != 0 {
			c.mu.Unlock()
			return noop, true, nil
		}
		a, ok := c.inflight[ck]
		if !ok {
			a = &attempt{done: make(chan struct{})}
			c.inflight[ck] = a
			c.mu.Unlock()
			return func(accepted bool) { c.finish(ck, a, accepted) }, false, nil
		}
		a.waiters++
		c.mu.Unlock()

		if err := c.wait(ctx, a); err != nil {
			return noop, false, err
		}
		if a.accepted {
			return noop, true, nil
		}
		// The other attempt failed: try to become the owner (another
		// waiter may win; then wait for its attempt).
	}
}

// wait blocks until attempt a ends or ctx is done, preferring a's outcome
// when both happened.
func (c *Cache) wait(ctx context.Context, a *attempt) error {
	select {
	case <-a.done:
		return nil
	case <-ctx.Done():
		select {
		case <-a.done:
			return nil
		default:
			c.mu.Lock()
			a.waiters--
			c.mu.Unlock()
			return ctx.Err()
		}
	}
}

// finish ends attempt a. Only the first call has an effect.
func (c *Cache) finish(ck claimKey, a *attempt, accepted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a.finished {
		return
	}
	a.finished = true
	if c.inflight[ck] == a {
		delete(c.inflight, ck)
	}
	if accepted {
		c.rememberLocked(ck)
	}
	a.accepted = accepted
	close(a.done)
}

// rememberLocked records that ck's signal was delivered.
func (c *Cache) rememberLocked(ck claimKey) {
	now := c.now().UnixNano()
	c.pruneLocked(now)
	if i, ok := c.accepted[ck.key]; ok {
		c.ring[i].signals |= ck.signal
		return
	}
	if c.n == c.maxEntries {
		c.popLocked()
	}
	if c.n == len(c.ring) {
		c.growLocked()
	}
	i := (c.head + c.n) % len(c.ring)
	c.ring[i] = entry{key: ck.key, signals: ck.signal, at: now}
	c.accepted[ck.key] = int32(i)
	c.n++
}

// growLocked doubles the ring (up to maxEntries), oldest entry first.
func (c *Cache) growLocked() {
	ring := make([]entry, min(2*len(c.ring), c.maxEntries))
	for j := range c.n {
		ring[j] = c.ring[(c.head+j)%len(c.ring)]
		c.accepted[ring[j].key] = int32(j)
	}
	c.ring, c.head = ring, 0
}

// popLocked forgets the oldest id.
func (c *Cache) popLocked() {
	delete(c.accepted, c.ring[c.head].key)
	c.ring[c.head] = entry{}
	c.head = (c.head + 1) % len(c.ring)
	c.n--
}

// pruneLocked forgets expired ids. First-delivery times are non-decreasing
// along the ring, so expired ids are at the head.
func (c *Cache) pruneLocked(now int64) {
	if c.ttl <= 0 {
		return
	}
	for c.n > 0 && now-c.ring[c.head].at >= int64(c.ttl) {
		c.popLocked()
	}
}

// Len returns the number of ids currently remembered (delivered ids that
// have not expired or been evicted) plus claims in flight.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pruneLocked(c.now().UnixNano())
	return c.n + len(c.inflight)
}

// waiting reports how many callers are blocked in Begin on key's signal
// (for tests).
func (c *Cache) waiting(key Key, signal Signal) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.inflight[claimKey{key, signal}]; ok {
		return a.waiters
	}
	return 0
}
