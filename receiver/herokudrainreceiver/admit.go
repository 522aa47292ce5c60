package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// admit decides whether a request may be read at all: not while the
// receiver drains, only with valid credentials. It returns a release func
// to call when the request is done, or the status that ends the request.
// Nothing of the body has been read when admit refuses.
func (r *drainReceiver) admit(w http.ResponseWriter, req *http.Request) (release func(), status int) {
	ctx := req.Context()
	if r.stopping.Load() {
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
	return func() {}, 0
}
