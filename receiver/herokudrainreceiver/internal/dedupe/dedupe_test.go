package dedupe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	idA = "2F9A3C4D5E6F708192A3B4C5D6E7F801"
	idB = "0123456789ABCDEF0123456789ABCDEF"
	idC = "FEDCBA9876543210FEDCBA9876543210"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// step is one sequential operation in a table-driven scenario.
type step struct {
	advance time.Duration // advance the clock before Begin
	id      string
	wantDup bool
	// outcome for an owner: true=accepted, false=failed. Ignored for dups.
	accept  bool
	wantLen int // Len() after the step
}

func TestSequential(t *testing.T) {
	tests := []struct {
		name  string
		max   int
		ttl   time.Duration
		steps []step
	}{
		{
			name: "retry after accept is dup",
			max:  10, ttl: time.Minute,
			steps: []step{
				{id: idA, accept: true, wantLen: 1},
				{id: idA, wantDup: true, wantLen: 1},
				{advance: 5 * time.Second, id: idA, wantDup: true, wantLen: 1},
			},
		},
		{
			name: "retry after failure is processed",
			max:  10, ttl: time.Minute,
			steps: []step{
				{id: idA, accept: false, wantLen: 0},
				{id: idA, accept: false, wantLen: 0},
				{id: idA, accept: true, wantLen: 1},
				{id: idA, wantDup: true, wantLen: 1},
			},
		},
		{
			name: "different ids are independent",
			max:  10, ttl: time.Minute,
			steps: []step{
				{id: idA, accept: true, wantLen: 1},
				{id: idB, accept: true, wantLen: 2},
				{id: idA, wantDup: true, wantLen: 2},
				{id: idB, wantDup: true, wantLen: 2},
				{id: idC, accept: false, wantLen: 2},
			},
		},
		{
			name: "ttl expiry",
			max:  10, ttl: time.Minute,
			steps: []step{
				{id: idA, accept: true, wantLen: 1},
				{advance: 30 * time.Second, id: idB, accept: true, wantLen: 2},
				{advance: 29 * time.Second, id: idA, wantDup: true, wantLen: 2},
				{advance: time.Second, id: idA, accept: true, wantLen: 2},       // idA expired at exactly ttl; re-accepted
				{advance: 30 * time.Second, id: idB, accept: false, wantLen: 1}, // idB expired, failed, idA still there
				{advance: 29 * time.Second, id: idA, wantDup: true, wantLen: 1}, // idA age 59s
				{advance: time.Second, id: idC, accept: false, wantLen: 0},      // everything expired
			},
		},
		{
			name: "zero ttl never expires",
			max:  10, ttl: 0,
			steps: []step{
				{id: idA, accept: true, wantLen: 1},
				{advance: 24 * time.Hour, id: idA, wantDup: true, wantLen: 1},
			},
		},
		{
			name: "maxEntries evicts oldest accepted",
			max:  2, ttl: time.Hour,
			steps: []step{
				{id: idA, accept: true, wantLen: 1},
				{advance: time.Second, id: idB, accept: true, wantLen: 2},
				{advance: time.Second, id: idA, wantDup: true, wantLen: 2}, // a hit does not refresh
				{advance: time.Second, id: idC, accept: true, wantLen: 2},  // evicts idA
				{id: idB, wantDup: true, wantLen: 2},
				{id: idC, wantDup: true, wantLen: 2},
				{id: idA, accept: true, wantLen: 2}, // processed again, evicts idB
				{id: idB, accept: false, wantLen: 2},
			},
		},
		{
			name: "maxEntries below one is one",
			max:  0, ttl: time.Hour,
			steps: []step{
				{id: idA, accept: true, wantLen: 1},
				{id: idB, accept: true, wantLen: 1},
				{id: idB, wantDup: true, wantLen: 1},
				{id: idA, accept: false, wantLen: 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			c := New(tt.max, tt.ttl, clk.Now)
			for i, s := range tt.steps {
				clk.Advance(s.advance)
				done, dup, err := c.Begin(context.Background(), mustKey(s.id), Logs)
				if err != nil {
					t.Fatalf("step %d: Begin(%q): %v", i, s.id, err)
				}
				if dup != s.wantDup {
					t.Fatalf("step %d: Begin(%q) dup=%v, want %v", i, s.id, dup, s.wantDup)
				}
				if done == nil {
					t.Fatalf("step %d: done is nil", i)
				}
				if !dup {
					if got := c.Len(); got < 1 {
						t.Fatalf("step %d: Len()=%d while %q is in flight", i, got, s.id)
					}
				}
				done(s.accept)
				if got := c.Len(); got != s.wantLen {
					t.Fatalf("step %d: Len()=%d, want %d", i, got, s.wantLen)
				}
			}
		})
	}
}

func TestNilClockUsesTimeNow(t *testing.T) {
	c := New(1, time.Minute, nil)
	done, _, _ := c.Begin(context.Background(), mustKey(idA), Logs)
	done(true)
	if _, dup, _ := c.Begin(context.Background(), mustKey(idA), Logs); !dup {
		t.Fatal("want dup")
	}
}

func TestDoneTwiceIsIgnored(t *testing.T) {
	t.Run("accept then fail", func(t *testing.T) {
		c := New(10, time.Minute, newFakeClock().Now)
		done, _, _ := c.Begin(context.Background(), mustKey(idA), Logs)
		done(true)
		done(false)
		if _, dup, _ := c.Begin(context.Background(), mustKey(idA), Logs); !dup {
			t.Fatal("second done(false) undid the accept")
		}
		if c.Len() != 1 {
			t.Fatalf("Len()=%d, want 1", c.Len())
		}
	})
	t.Run("fail then accept", func(t *testing.T) {
		c := New(10, time.Minute, newFakeClock().Now)
		done, _, _ := c.Begin(context.Background(), mustKey(idA), Logs)
		done(false)
		done(true)
		done2, dup, _ := c.Begin(context.Background(), mustKey(idA), Logs)
		if dup {
			t.Fatal("second done(true) turned a failure into an accept")
		}
		done2(false)
	})
	t.Run("stale done does not touch the next owner", func(t *testing.T) {
		c := New(10, time.Minute, newFakeClock().Now)
		done1, _, _ := c.Begin(context.Background(), mustKey(idA), Logs)
		done1(false)
		done2, dup, _ := c.Begin(context.Background(), mustKey(idA), Logs) // new owner
		if dup {
			t.Fatal("want owner")
		}
		done1(true) // stale; must not finish or accept attempt 2
		done1(false)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, _, err := c.Begin(ctx, mustKey(idA), Logs); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("attempt 2 should still be in flight, got err=%v", err)
		}
		done2(true)
		done2(false)
		if _, dup, _ := c.Begin(context.Background(), mustKey(idA), Logs); !dup {
			t.Fatal("want dup after attempt 2 accepted")
		}
		if c.Len() != 1 {
			t.Fatalf("Len()=%d, want 1", c.Len())
		}
	})
}

// waitForWaiters blocks until n callers are waiting on id.
func waitForWaiters(t *testing.T, c *Cache, id string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for c.waiting(mustKey(id), Logs) < n {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d waiters on %q (have %d)", n, id, c.waiting(mustKey(id), Logs))
		}
		time.Sleep(time.Millisecond)
	}
}

type result struct {
	done func(bool)
	dup  bool
	err  error
}

func beginAsync(c *Cache, ctx context.Context, id string) <-chan result {
	ch := make(chan result, 1)
	go func() {
		done, dup, err := c.Begin(ctx, mustKey(id), Logs)
		ch <- result{done, dup, err}
	}()
	return ch
}

func TestConcurrentSameID(t *testing.T) {
	tests := []struct {
		name        string
		firstAccept bool
		wantDup     bool
	}{
		{name: "first accepted: waiter is dup", firstAccept: true, wantDup: true},
		{name: "first failed: waiter becomes owner", firstAccept: false, wantDup: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(10, time.Minute, newFakeClock().Now)
			done1, dup, err := c.Begin(context.Background(), mustKey(idA), Logs)
			if err != nil || dup {
				t.Fatalf("first Begin: dup=%v err=%v", dup, err)
			}
			ch := beginAsync(c, context.Background(), idA)
			waitForWaiters(t, c, idA, 1)
			select {
			case r := <-ch:
				t.Fatalf("second Begin returned before the first attempt ended: %+v", r)
			default:
			}
			done1(tt.firstAccept)
			r := <-ch
			if r.err != nil || r.dup != tt.wantDup {
				t.Fatalf("second Begin: dup=%v err=%v, want dup=%v", r.dup, r.err, tt.wantDup)
			}
			if !r.dup {
				// The waiter owns it now; a third caller waits for it.
				ch3 := beginAsync(c, context.Background(), idA)
				waitForWaiters(t, c, idA, 1)
				r.done(true)
				if r3 := <-ch3; r3.err != nil || !r3.dup {
					t.Fatalf("third Begin: dup=%v err=%v, want dup", r3.dup, r3.err)
				}
			}
			if c.Len() != 1 {
				t.Fatalf("Len()=%d, want 1", c.Len())
			}
		})
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	c := New(10, time.Minute, newFakeClock().Now)
	done1, _, _ := c.Begin(context.Background(), mustKey(idA), Logs)
	ctx, cancel := context.WithCancel(context.Background())
	ch := beginAsync(c, ctx, idA)
	waitForWaiters(t, c, idA, 1)
	cancel()
	r := <-ch
	if !errors.Is(r.err, context.Canceled) || r.dup {
		t.Fatalf("got dup=%v err=%v, want context.Canceled", r.dup, r.err)
	}
	if r.done == nil {
		t.Fatal("done must be a non-nil no-op")
	}
	r.done(true) // no-op: must not accept idA
	if c.waiting(mustKey(idA), Logs) != 0 {
		t.Fatalf("waiter not removed: %d", c.waiting(mustKey(idA), Logs))
	}
	done1(false)
	done2, dup, err := c.Begin(context.Background(), mustKey(idA), Logs)
	if err != nil || dup {
		t.Fatalf("after failure: dup=%v err=%v, want owner", dup, err)
	}
	done2(true)
}

func TestCanceledContextDoesNotBlockOwnerOrDup(t *testing.T) {
	c := New(10, time.Minute, newFakeClock().Now)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// No one else is processing: the caller owns it even with a dead ctx;
	// ctx only bounds waiting.
	done, dup, err := c.Begin(ctx, mustKey(idA), Logs)
	if err != nil || dup {
		t.Fatalf("dup=%v err=%v", dup, err)
	}
	done(true)
	if _, dup, err := c.Begin(ctx, mustKey(idA), Logs); err != nil || !dup {
		t.Fatalf("dup=%v err=%v, want dup", dup, err)
	}
}

// Many concurrent deliveries of the same frame: exactly the configured
// number of owners run, every other caller is a dup, nothing is emitted
// twice.
func TestConcurrentStress(t *testing.T) {
	for _, failures := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("owner fails %d times", failures), func(t *testing.T) {
			c := New(100, time.Minute, nil)
			const callers = 64
			var owners, dups, emitted atomic.Int64
			var wg sync.WaitGroup
			start := make(chan struct{})
			for range callers {
				wg.Go(func() {
					<-start
					done, dup, err := c.Begin(context.Background(), mustKey(idA), Logs)
					if err != nil {
						t.Error(err)
						return
					}
					if dup {
						dups.Add(1)
						return
					}
					n := owners.Add(1)
					time.Sleep(time.Millisecond) // "processing"
					if int(n) <= failures {
						done(false)
						return
					}
					emitted.Add(1)
					done(true)
				})
			}
			close(start)
			wg.Wait()
			if got := emitted.Load(); got != 1 {
				t.Fatalf("emitted %d times, want 1", got)
			}
			if got := owners.Load(); got != int64(failures+1) {
				t.Fatalf("owners=%d, want %d", got, failures+1)
			}
			if got := dups.Load(); got != callers-int64(failures+1) {
				t.Fatalf("dups=%d, want %d", got, callers-int64(failures+1))
			}
			if c.Len() != 1 {
				t.Fatalf("Len()=%d, want 1", c.Len())
			}
		})
	}
}

// Many ids from many goroutines: the bound holds and -race stays quiet.
func TestConcurrentManyIDs(t *testing.T) {
	const maxEntries = 50
	c := New(maxEntries, time.Minute, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				id := fmt.Sprintf("%032X", (g*500+i)%300)
				done, dup, err := c.Begin(context.Background(), mustKey(id), Logs)
				if err != nil {
					t.Error(err)
					return
				}
				if !dup {
					done(i%3 != 0)
				}
				_ = c.Len()
			}
		})
	}
	wg.Wait()
	if got := c.Len(); got > maxEntries {
		t.Fatalf("Len()=%d exceeds maxEntries=%d", got, maxEntries)
	}
	if len(c.inflight) != 0 {
		t.Fatalf("%d attempts left in flight", len(c.inflight))
	}
}

func BenchmarkBegin(b *testing.B) {
	ids := make([]Key, 4096)
	for i := range ids {
		ids[i] = mustKey(fmt.Sprintf("%032X", i))
	}
	b.Run("new ids with eviction", func(b *testing.B) {
		c := New(1024, time.Minute, nil)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			done, dup, _ := c.Begin(context.Background(), ids[i%len(ids)], Logs)
			if !dup {
				done(true)
			}
			i++
		}
	})
	b.Run("dup hits parallel", func(b *testing.B) {
		c := New(len(ids), time.Minute, nil)
		for _, id := range ids {
			done, _, _ := c.Begin(context.Background(), id, Logs)
			done(true)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, dup, _ := c.Begin(context.Background(), ids[i%len(ids)], Logs); !dup {
					b.Error("want dup")
				}
				i++
			}
		})
	})
}

// mustKey is the key of a 32-hex test id.
func mustKey(id string) Key {
	k, ok := ParseFrameID(id)
	if !ok {
		panic("not a frame id: " + id)
	}
	return k
}
