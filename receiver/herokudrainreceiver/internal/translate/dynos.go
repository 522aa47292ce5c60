package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"sync"
	"time"
)

// DynoTracker remembers which dynos of each app sent runtime metrics
// recently, so that every batch can report how many are alive. One request
// only holds a few of an app's dynos; the count needs memory across requests.
type DynoTracker struct {
	window   time.Duration
	maxApps  int
	maxDynos int

	mu   sync.Mutex
	apps map[string]map[string]time.Time // app key -> dyno name -> last seen
}

// NewDynoTracker counts dynos seen within window. It keeps at most maxApps
// apps and maxDynos dynos per app, so hostile input cannot grow it without
// bound; past those limits new names are not tracked.
func NewDynoTracker(window time.Duration, maxApps, maxDynos int) *DynoTracker {
	return &DynoTracker{window: window, maxApps: maxApps, maxDynos: maxDynos, apps: map[string]map[string]time.Time{}}
}

// Observe records that dyno of app reported at t and returns, per process
// type, how many distinct dynos of app reported within the window ending
// at now.
func (d *DynoTracker) Observe(app string, dynos []string, t, now time.Time, counts map[string]int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	seen, ok := d.apps[app]
	if !ok {
		if len(d.apps) >= d.maxApps {
			d.evictIdle(now)
			if len(d.apps) >= d.maxApps {
				return
			}
		}
		seen = map[string]time.Time{}
		d.apps[app] = seen
	}
	for _, dyno := range dynos {
		if last, ok := seen[dyno]; ok || len(seen) < d.maxDynos {
			if t.After(last) {
				seen[dyno] = t
			}
		}
	}
	cutoff := now.Add(-d.window)
	for dyno, last := range seen {
		if last.Before(cutoff) {
			delete(seen, dyno)
			continue
		}
		counts[dynoTypeOfName(dyno)]++
	}
}

// evictIdle drops apps none of whose dynos reported within the window.
func (d *DynoTracker) evictIdle(now time.Time) {
	cutoff := now.Add(-d.window)
	for app, seen := range d.apps {
		idle := true
		for _, last := range seen {
			if !last.Before(cutoff) {
				idle = false
				break
			}
		}
		if idle {
			delete(d.apps, app)
		}
	}
}
