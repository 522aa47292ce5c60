package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"sync"
	"time"
)

// RequestIDs remembers the router request ids counted recently, so that a
// request logged on several router lines counts once in
// heroku.router.requests. It lives across requests (the lines of one
// request may arrive in different POSTs) and is bounded in time and size.
type RequestIDs struct {
	window time.Duration
	max    int

	mu    sync.Mutex
	seen  map[string]time.Time
	order []idAt // arrival order, for expiry
	head  int
}

type idAt struct {
	id string
	at time.Time
}

// NewRequestIDs remembers ids for window, at most max of them (the oldest
// are forgotten first).
func NewRequestIDs(window time.Duration, max int) *RequestIDs {
	return &RequestIDs{window: window, max: max, seen: map[string]time.Time{}}
}

// First reports whether id was not seen within the window, and remembers it.
func (r *RequestIDs) First(id string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expire(now)
	if _, ok := r.seen[id]; ok {
		return false
	}
	if len(r.seen) >= r.max {
		r.forgetOldest()
	}
	r.seen[id] = now
	r.order = append(r.order, idAt{id, now})
	return true
}

func (r *RequestIDs) expire(now time.Time) {
	cutoff := now.Add(-r.window)
	for r.head < len(r.order) && r.order[r.head].at.Before(cutoff) {
		r.forgetOldest()
	}
}

func (r *RequestIDs) forgetOldest() {
	delete(r.seen, r.order[r.head].id)
	r.order[r.head] = idAt{}
	r.head++
	// Compact once the forgotten prefix is the larger half.
	if r.head > len(r.order)/2 {
		r.order = append(r.order[:0], r.order[r.head:]...)
		r.head = 0
	}
}

// OtherPath replaces url.path values past the cap.
const OtherPath = "_OTHER"

// URLPaths caps the distinct url.path values on router metrics: the first
// max paths are kept, later new ones become OtherPath.
type URLPaths struct {
	max  int
	mu   sync.Mutex
	seen map[string]string
}

// NewURLPaths keeps at most max distinct paths.
func NewURLPaths(max int) *URLPaths {
	return &URLPaths{max: max, seen: map[string]string{}}
}

// Get returns path as the attribute value to use, and whether it was
// replaced by OtherPath.
func (u *URLPaths) Get(path []byte) (string, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if p, ok := u.seen[string(path)]; ok {
		return p, false
	}
	if len(u.seen) >= u.max {
		return OtherPath, true
	}
	p := string(path)
	u.seen[p] = p
	return p, false
}
