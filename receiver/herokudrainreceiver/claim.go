package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/dedupe"
)

// headerRequestID is log-shuttle's batch id: a UUID made once per batch and
// sent again on every retry of it. Shield Private Spaces' log-shuttle posts
// straight to the drain with it and without Logplex-Frame-Id.
const headerRequestID = "X-Request-Id"

// Why a request was not de-duplicated (dedupe_skipped's reason).
const (
	skipNoID        = "no_id"
	skipMalformedID = "malformed_id"
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

// batchKey returns the id that identifies the request's batch across
// retries: Logplex-Frame-Id first, then X-Request-Id. Only ids of the shape
// their sender makes are used (see dedupe.ParseFrameID, ParseRequestID);
// without one, reason says why.
func batchKey(h http.Header) (key dedupe.Key, reason string) {
	frameID, requestID := h.Get(headerFrameID), h.Get(headerRequestID)
	if k, ok := dedupe.ParseFrameID(frameID); ok {
		return k, ""
	}
	if k, ok := dedupe.ParseRequestID(requestID); ok {
		return k, ""
	}
	if frameID != "" || requestID != "" {
		return dedupe.Key{}, skipMalformedID
	}
	return dedupe.Key{}, skipNoID
}

// dedupe claims the request's batch id for each wanted signal. Each signal
// is claimed on its own: if a first attempt delivered the logs but not the
// metrics, the retry re-sends only the metrics. It ends the request when
// every wanted signal was already delivered (200, nothing emitted) or the
// client went away while an earlier attempt was in flight (503). Claims are
// settled as delivered only by deliver; an empty, unreadable or refused
// body leaves its id free for the retry.
func (r *drainReceiver) dedupe(ctx context.Context, dr *drainRequest) int {
	if r.seen == nil {
		return 0
	}
	key, reason := batchKey(dr.http.Header)
	if reason != "" {
		r.telemetry.ReceiverHerokudrainDedupeSkipped.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
		return 0
	}
	for _, c := range []struct {
		claim  *claim
		signal dedupe.Signal
	}{{&dr.logs, dedupe.Logs}, {&dr.metrics, dedupe.Metrics}, {&dr.traces, dedupe.Traces}} {
		if !c.claim.want {
			continue
		}
		done, dup, err := r.seen.Begin(ctx, key, c.signal)
		if err != nil {
			return http.StatusServiceUnavailable
		}
		c.claim.want, c.claim.settle = !dup, done
	}
	if !dr.logs.want && !dr.metrics.want && !dr.traces.want {
		r.telemetry.ReceiverHerokudrainDuplicates.Add(ctx, 1)
		return http.StatusOK
	}
	return 0
}
