package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"net"
	"net/http"
	"time"
)

// trackConns counts srv's open connections, keeping any ConnState hook
// already set.
func (r *drainReceiver) trackConns(srv *http.Server) {
	prev := srv.ConnState
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			r.conns.Add(1)
		case http.StateClosed, http.StateHijacked:
			r.conns.Add(-1)
		}
		if prev != nil {
			prev(c, s)
		}
	}
}

// waitForConns waits until no connection is open, grace has passed or ctx
// is done, whichever comes first.
func (r *drainReceiver) waitForConns(ctx context.Context, grace time.Duration) {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for r.conns.Load() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
