package dedupe

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestOnlyWellFormedIdsBecomeKeys(t *testing.T) {
	tests := []struct {
		name      string
		id        string
		frameOK   bool
		requestOK bool
	}{
		{"Logplex's 32 upper-case hex digits", "09C557EAFCFB6CF2740EE62F62971098", true, true},
		{"lower-case hex", "09c557eafcfb6cf2740ee62f62971098", true, true},
		{"a canonical UUID (log-shuttle's X-Request-Id)", "0c3e3f1e-9a5b-4c1d-8e2f-3a4b5c6d7e8f", false, true},
		{"empty", "", false, false},
		{"31 digits", "09C557EAFCFB6CF2740EE62F6297109", false, false},
		{"33 digits", "09C557EAFCFB6CF2740EE62F629710988", false, false},
		{"a non-hex digit", "09C557EAFCFB6CF2740EE62F6297109G", false, false},
		{"a UUID with its dashes moved", "0c3e3f1e9-a5b-4c1d-8e2f-3a4b5c6d7e8f", false, false},
		{"a UUID with a non-hex digit", "0c3e3f1e-9a5b-4c1d-8e2f-3a4b5c6d7e8z", false, false},
		{"a megabyte of hex", strings.Repeat("A", 1<<20), false, false},
		{"invalid UTF-8", "09C557EAFCFB6CF2740EE62F629710\xff\xfe", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := ParseFrameID(tt.id); ok != tt.frameOK {
				t.Errorf("ParseFrameID ok=%v, want %v", ok, tt.frameOK)
			}
			if _, ok := ParseRequestID(tt.id); ok != tt.requestOK {
				t.Errorf("ParseRequestID ok=%v, want %v", ok, tt.requestOK)
			}
		})
	}
}

func TestKeysIgnoreCaseAndKeepTheirHeaderApart(t *testing.T) {
	upper, _ := ParseFrameID("09C557EAFCFB6CF2740EE62F62971098")
	lower, _ := ParseFrameID("09c557eafcfb6cf2740ee62f62971098")
	if upper != lower {
		t.Error("the same Frame-Id in another case is another key")
	}
	fromRequest, _ := ParseRequestID("09C557EAFCFB6CF2740EE62F62971098")
	if fromRequest == upper {
		t.Error("an X-Request-Id matches a Logplex-Frame-Id with the same digits")
	}
	dashed, _ := ParseRequestID("09c557ea-fcfb-6cf2-740e-e62f62971098")
	if dashed != fromRequest {
		t.Error("a UUID with and without dashes are different keys")
	}
}

func TestEachSignalIsRememberedOnItsOwnUnderOneEntry(t *testing.T) {
	c := New(10, time.Minute, newFakeClock().Now)
	k := mustKey(idA)
	done, dup, _ := c.Begin(context.Background(), k, Logs)
	if dup {
		t.Fatal("first claim of logs is a dup")
	}
	done(true)
	done, dup, _ = c.Begin(context.Background(), k, Metrics)
	if dup {
		t.Fatal("metrics count as delivered when only logs were")
	}
	done(false)
	done, dup, _ = c.Begin(context.Background(), k, Metrics)
	if dup {
		t.Fatal("a refused metrics delivery was remembered")
	}
	done(true)
	for _, s := range []Signal{Logs, Metrics} {
		if _, dup, _ := c.Begin(context.Background(), k, s); !dup {
			t.Errorf("signal %d not remembered", s)
		}
	}
	if c.Len() != 1 {
		t.Errorf("Len()=%d: one id takes one entry whatever its signals", c.Len())
	}
}

// The ring grows, wraps and evicts the oldest id first, and expires from
// the oldest, across many more ids than it holds.
func TestRingEvictsAndExpiresOldestFirst(t *testing.T) {
	clk := newFakeClock()
	const max = 3000 // above the initial ring, so the ring grows and wraps
	c := New(max, time.Minute, clk.Now)
	keys := make([]Key, 2*max)
	for i := range keys {
		keys[i] = mustKey(fmt.Sprintf("%032X", i))
		done, dup, _ := c.Begin(context.Background(), keys[i], Logs)
		if dup {
			t.Fatalf("id %d is a dup before it was delivered", i)
		}
		done(true)
		if i == max-1 {
			clk.Advance(30 * time.Second)
		}
	}
	if c.Len() != max {
		t.Fatalf("Len()=%d, want the cap %d", c.Len(), max)
	}
	for i, k := range keys {
		_, dup, _ := c.Begin(context.Background(), k, Logs)
		if want := i >= max; dup != want {
			t.Fatalf("id %d: dup=%v, want %v (oldest evicted first)", i, dup, want)
		}
		if i < max {
			c.finish(claimKey{k, Logs}, c.inflight[claimKey{k, Logs}], false)
		}
	}
	clk.Advance(31 * time.Second) // the remembered half is 31 s old
	if c.Len() != max {
		t.Fatalf("Len()=%d after 31 s, want %d", c.Len(), max)
	}
	clk.Advance(30 * time.Second)
	if c.Len() != 0 {
		t.Fatalf("Len()=%d after the ttl, want 0", c.Len())
	}
}

// BytesPerEntry is what the docs promise per remembered id; this holds the
// code to it.
func TestMemoryPerEntryIsBounded(t *testing.T) {
	const n = 100_000
	keys := make([]Key, n)
	for i := range keys {
		keys[i] = mustKey(fmt.Sprintf("%032X", i*7919))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := New(n, time.Hour, nil)
	for _, k := range keys {
		done, _, _ := c.Begin(context.Background(), k, Logs)
		done(true)
		done, _, _ = c.Begin(context.Background(), k, Metrics)
		done(true)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perEntry := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.1f bytes per remembered id (%d ids: %.1f MiB)", perEntry, n, perEntry*n/(1<<20))
	if perEntry > BytesPerEntry {
		t.Errorf("%.1f bytes per id, above the documented BytesPerEntry=%d", perEntry, BytesPerEntry)
	}
	runtime.KeepAlive(c)
}
