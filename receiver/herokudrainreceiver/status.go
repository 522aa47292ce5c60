package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"net/http"
	"strconv"

	"go.opentelemetry.io/collector/consumer/consumererror"
)

// Logplex's rules decide every status we send (heroku/logplex
// logplex_http_drain.erl): 2xx is success; any other 4xx but 429 drops the
// batch for good; 429, 5xx and timeouts are retried, three tries in all.
// So content never earns a 4xx; only access control and the pipeline's answer
// decide, and everything else a retry could fix gets a 503.

// statusForConsumeError maps what the next consumers said to an HTTP status.
func statusForConsumeError(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case consumererror.IsPermanent(err):
		// The pipeline will never take this data; a retry cannot help.
		return http.StatusBadRequest
	default:
		// Memory-limiter refusals, full queues, deadline exceeded, shutdown:
		// Logplex retries with the same Frame-Id.
		return http.StatusServiceUnavailable
	}
}

// retryAfterSeconds is sent with 503s. Logplex ignores it (it backs off on
// its own, at most ~5 s), but other senders honour it.
const retryAfterSeconds = 1

// respond writes an empty answer. Logplex only skips a response body when
// Content-Length is present, so it is always set, to 0.
func respond(w http.ResponseWriter, status int) {
	h := w.Header()
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	if status != http.StatusNoContent {
		h.Set("Content-Length", "0")
	}
	w.WriteHeader(status)
}

// serverError answers the errors confighttp's wrappers detect before our
// handler runs (undecodable Content-Encoding, body over the limit) with the
// status they chose but without a body, so Logplex's keep-alive connection
// stays in sync.
func (r *drainReceiver) serverError(w http.ResponseWriter, _ *http.Request, msg string, status int) {
	r.logger.Warn("Rejected a drain request before parsing: " + msg)
	respond(w, status)
}
