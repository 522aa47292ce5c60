package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// admit decides whether a request may be read at all: not while the
// receiver drains, only with valid credentials, and only when the memory
// budget can hold it (else 503 + Retry-After: the sender retries later).
// It returns a release func to call when the request is done, or the
// status that ends the request. Nothing of the body has been read when
// admit refuses.
func (r *drainReceiver) admit(w http.ResponseWriter, req *http.Request) (release func(), status int) {
	ctx := req.Context()
	if r.stopping.Load() {
		r.telemetry.ReceiverHerokudrainRequestsRejected.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "shutting_down")))
		return nil, http.StatusServiceUnavailable
	}
	switch r.auth.check(req) {
	case authUnauthenticated:
		r.telemetry.ReceiverHerokudrainRequestsRejected.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "unauthenticated")))
		w.Header().Set("WWW-Authenticate", `Basic realm="herokudrain"`)
		return nil, http.StatusUnauthorized
	case authForbidden:
		r.telemetry.ReceiverHerokudrainRequestsRejected.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "drain_token")))
		return nil, http.StatusForbidden
	}
	n := reservation(req, r.cfg.MaxRequestBodySize)
	if !r.budget.tryReserve(n) {
		r.telemetry.ReceiverHerokudrainRequestsRejected.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "over_budget")))
		return nil, http.StatusServiceUnavailable
	}
	r.telemetry.ReceiverHerokudrainRequests.Add(ctx, 1, metric.WithAttributes(attribute.String("sender", senderOf(req))))
	return func() { r.budget.release(n) }, 0
}

// senderOf names who posted, from the User-Agent: Logplex, or log-shuttle
// posting straight to the drain (Shield Private Spaces; it has also been
// seen as excon, the Ruby HTTP client), or anything else. Every sender is
// read the same way; the name only feeds the requests counter.
func senderOf(req *http.Request) string {
	ua := req.UserAgent()
	switch {
	case strings.HasPrefix(ua, "Logplex/"):
		return "logplex"
	case strings.HasPrefix(ua, "log-shuttle/"), strings.HasPrefix(ua, "excon/"):
		return "log-shuttle"
	default:
		return "other"
	}
}
