package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"net/http"
)

// claim is one signal's share of a request: whether it is still wanted,
// and how to tell the dedupe cache whether it was delivered.
type claim struct {
	want   bool
	settle settle
}

// settle reports whether a claimed signal was delivered. The dedupe cache
// ignores calls after the first, so calling settle(false) when the request
// ends is safe.
type settle func(accepted bool)

func noClaim(bool) {}

// dedupe claims the request's batch id for each wanted signal. Each signal
// is claimed on its own: if a first attempt delivered the logs but not the
// metrics, the retry re-sends only the metrics. It ends the request when
// every wanted signal was already delivered (200, nothing emitted) or the
// client went away while an earlier attempt was in flight (503).
func (r *drainReceiver) dedupe(ctx context.Context, dr *drainRequest) int {
	frameID := dr.http.Header.Get(headerFrameID)
	if r.seen == nil || frameID == "" {
		return 0
	}
	for _, c := range []struct {
		claim  *claim
		signal string
	}{{&dr.logs, "logs"}, {&dr.metrics, "metrics"}} {
		if !c.claim.want {
			continue
		}
		done, dup, err := r.seen.Begin(ctx, frameID+"/"+c.signal)
		if err != nil {
			return http.StatusServiceUnavailable
		}
		c.claim.want, c.claim.settle = !dup, done
	}
	if !dr.logs.want && !dr.metrics.want {
		r.telemetry.ReceiverHerokudrainDuplicates.Add(ctx, 1)
		return http.StatusOK
	}
	return 0
}
