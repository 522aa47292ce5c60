// Package dedupe remembers Logplex frame ids so that a batch retried by
// Logplex is emitted only once.
//
// Logplex retries a failed or slow (>5 s) POST, up to 3 tries in all, with
// the same Logplex-Frame-Id header. A retry can arrive while the first
// attempt is still being processed, so the cache tracks ids in flight as
// well as ids already accepted:
//
//	done, dup, err := cache.Begin(r.Context(), r.Header.Get("Logplex-Frame-Id"))
//	if err != nil { /* client went away: answer 503 */ }
//	if dup { /* already emitted: answer 2xx without emitting */ }
//	err = next.ConsumeLogs(ctx, ld)
//	done(err == nil)
//
// The package has no dependencies outside the standard library.
package dedupe // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/dedupe"

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Cache is a bounded, concurrency-safe set of frame ids. The zero value is
// not usable; create one with New.
type Cache struct {
	maxEntries int
	ttl        time.Duration
	now        func() time.Time

	mu       sync.Mutex
	inflight map[string]*attempt
	accepted map[string]*list.Element // value: *acceptedID
	order    *list.List               // accepted ids, oldest acceptance at the front
}

// attempt is one in-flight processing of an id.
type attempt struct {
	done     chan struct{} // closed when the owner calls done
	accepted bool          // written before done is closed
	finished bool          // guarded by Cache.mu; makes done idempotent
	waiters  int           // guarded by Cache.mu; callers blocked in Begin (for tests)
}

type acceptedID struct {
	id string
	at time.Time
}

func noop(bool) {}

// New returns a cache that remembers at most maxEntries accepted ids, each
// for ttl after it was accepted. When full, the oldest accepted id is
// forgotten first (a duplicate hit does not refresh an id: both the ttl and
// the eviction order count from acceptance). maxEntries < 1 is treated as
// 1; ttl <= 0 means accepted ids do not expire (they are only evicted when
// the cache is full). now is the clock (nil means time.Now); it should not
// go backwards.
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
		inflight:   make(map[string]*attempt),
		accepted:   make(map[string]*list.Element),
		order:      list.New(),
	}
}

// Begin claims id for processing.
//
//   - If id was accepted within the ttl, Begin returns dup=true: the caller
//     should answer 2xx without emitting anything.
//   - If id is being processed by another caller (a Logplex retry after a
//     timeout while the first attempt is still running), Begin waits until
//     that attempt ends or ctx is done. If the attempt was accepted, Begin
//     returns dup=true; if it failed, the caller takes over as owner.
//     If ctx ends first, Begin returns ctx.Err().
//   - Otherwise the caller owns id (dup=false) and must call done exactly
//     once, with accepted=true if the batch was emitted. Failed attempts are
//     not remembered, so Logplex's retry gets processed. Calls after the
//     first are ignored.
//
// An empty id is never deduplicated: Begin returns dup=false and a no-op
// done. The returned done is never nil, so `defer done(false)`-style code is
// safe even when dup is true or err is non-nil (done is then a no-op).
func (c *Cache) Begin(ctx context.Context, id string) (done func(accepted bool), dup bool, err error) {
	if id == "" {
		return noop, false, nil
	}
	for {
		c.mu.Lock()
		now := c.now()
		c.pruneLocked(now)
		if el, ok := c.accepted[id]; ok && c.freshLocked(el.Value.(*acceptedID), now) {
			c.mu.Unlock()
			return noop, true, nil
		}
		a, ok := c.inflight[id]
		if !ok {
			a = &attempt{done: make(chan struct{})}
			c.inflight[id] = a
			c.mu.Unlock()
			return func(accepted bool) { c.finish(id, a, accepted) }, false, nil
		}
		a.waiters++
		c.mu.Unlock()

		select {
		case <-a.done:
		case <-ctx.Done():
			// Prefer the attempt's outcome if it is also available.
			select {
			case <-a.done:
			default:
				c.mu.Lock()
				a.waiters--
				c.mu.Unlock()
				return noop, false, ctx.Err()
			}
		}
		if a.accepted {
			return noop, true, nil
		}
		// The other attempt failed: try to become the owner (another
		// waiter may win; then wait for its attempt).
	}
}

// finish ends attempt a for id. Only the first call has an effect.
func (c *Cache) finish(id string, a *attempt, accepted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a.finished {
		return
	}
	a.finished = true
	if c.inflight[id] == a {
		delete(c.inflight, id)
	}
	if accepted {
		now := c.now()
		if el, ok := c.accepted[id]; ok {
			// Only reachable if the old entry expired but was not pruned yet.
			c.order.Remove(el)
			delete(c.accepted, id)
		}
		c.accepted[id] = c.order.PushBack(&acceptedID{id: id, at: now})
		for c.order.Len() > c.maxEntries {
			c.removeLocked(c.order.Front())
		}
		c.pruneLocked(now)
	}
	a.accepted = accepted
	close(a.done)
}

// Len returns the number of ids currently remembered: accepted ids that
// have not expired or been evicted, plus ids in flight.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pruneLocked(c.now())
	return len(c.accepted) + len(c.inflight)
}

func (c *Cache) freshLocked(e *acceptedID, now time.Time) bool {
	return c.ttl <= 0 || now.Sub(e.at) < c.ttl
}

// pruneLocked forgets expired ids. Acceptance times are non-decreasing
// along the list, so expired ids are at the front.
func (c *Cache) pruneLocked(now time.Time) {
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		if c.freshLocked(el.Value.(*acceptedID), now) {
			return
		}
		c.removeLocked(el)
	}
}

func (c *Cache) removeLocked(el *list.Element) {
	delete(c.accepted, el.Value.(*acceptedID).id)
	c.order.Remove(el)
}

// waiting reports how many callers are blocked in Begin on id (for tests).
func (c *Cache) waiting(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.inflight[id]; ok {
		return a.waiters
	}
	return 0
}
