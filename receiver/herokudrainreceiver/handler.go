package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// Logplex request headers.
const (
	headerMsgCount   = "Logplex-Msg-Count"
	headerFrameID    = "Logplex-Frame-Id"
	headerDrainToken = "Logplex-Drain-Token"
	contentType      = "application/logplex-1"
	// appQueryParam on the drain URL names the app (service.name).
	appQueryParam = "app"
	// dataFormat is what obsreport records as the receiver's format.
	dataFormat = "logplex"
)

// handle serves one Logplex POST.
func (r *drainReceiver) handle(w http.ResponseWriter, req *http.Request) {
	ctx := req.Context()
	if r.stopping.Load() {
		respond(w, http.StatusServiceUnavailable)
		return
	}
	switch r.auth.check(req) {
	case authUnauthenticated:
		r.telemetry.ReceiverHerokudrainRequestsRejected.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "unauthenticated")))
		w.Header().Set("WWW-Authenticate", `Basic realm="herokudrain"`)
		respond(w, http.StatusUnauthorized)
		return
	case authForbidden:
		r.telemetry.ReceiverHerokudrainRequestsRejected.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "drain_token")))
		respond(w, http.StatusForbidden)
		return
	}

	observed := pcommon.NewTimestampFromTime(time.Now())
	ctx, cancel := context.WithTimeout(ctx, r.cfg.ConsumeTimeout)
	defer cancel()

	wantLogs, wantMetrics := r.nextLogs != nil, r.nextMetrics != nil
	frameID := req.Header.Get(headerFrameID)
	logsClaim, metricsClaim := noClaim, noClaim
	if r.seen != nil && frameID != "" {
		var err error
		// Each signal is claimed on its own: if a first attempt delivered
		// the logs but not the metrics, the retry re-sends only the metrics.
		if wantLogs {
			if logsClaim, wantLogs, err = r.claim(ctx, frameID, "logs"); err != nil {
				respond(w, http.StatusServiceUnavailable)
				return
			}
			defer func() { logsClaim(false) }() // no-op once settled
		}
		if wantMetrics {
			if metricsClaim, wantMetrics, err = r.claim(ctx, frameID, "metrics"); err != nil {
				respond(w, http.StatusServiceUnavailable)
				return
			}
			defer func() { metricsClaim(false) }()
		}
		if !wantLogs && !wantMetrics {
			r.telemetry.ReceiverHerokudrainDuplicates.Add(ctx, 1)
			respond(w, http.StatusOK)
			return
		}
	}

	if hint := req.Header.Get("Content-Type"); hint != "" && !strings.HasPrefix(hint, contentType) {
		// Not fatal: the body is read as Logplex frames all the same, and
		// whatever does not parse is flagged per frame.
		r.logger.Debug("Unexpected Content-Type on a drain request", zap.String("content_type", hint))
	}

	msgCount, _ := strconv.Atoi(req.Header.Get(headerMsgCount))
	var builder *metadata.MetricsBuilder
	if wantMetrics {
		builder = r.builder.Get().(*metadata.MetricsBuilder)
		defer func() {
			// Emit empties the builder; a request that ended before
			// emitting (body cut short) must not leave points behind
			// for the next one, which may be another app's.
			_ = builder.Emit()
			r.builder.Put(builder)
		}()
	}
	batch := translate.NewBatch(translate.Settings{
		Logs:                 wantLogs,
		Metrics:              wantMetrics,
		Builder:              builder,
		ResourceAttributes:   r.cfg.MetricsBuilderConfig.ResourceAttributes,
		ScopeVersion:         r.set.BuildInfo.Version,
		RouterMetricsURLPath: r.cfg.RouterMetricsURLPath,
		Dynos:                r.dynos,
		RequestIDs:           r.metrics.requestIDs,
		URLPaths:             r.metrics.urlPaths,
		ExponentialMeasures:  r.cfg.MeasureHistogram == HistogramExponential,
		DisabledHistograms:   r.metrics.disabledHistograms,
	}, translate.Resource{
		DrainToken: req.Header.Get(headerDrainToken),
		AppName:    req.URL.Query().Get(appQueryParam),
	}, observed, min(msgCount, 4096))

	split := r.beginSplitLines(req, batch)
	defer split.End(false) // no-op once settled
	stats, readErr := r.scan(req, batch, split)
	r.telemetry.ReceiverHerokudrainBytes.Add(ctx, stats.BytesRead)
	counts := batch.Counts()
	r.telemetry.ReceiverHerokudrainFrames.Add(ctx, int64(counts.Frames))
	if counts.Malformed > 0 {
		r.telemetry.ReceiverHerokudrainFramesMalformed.Add(ctx, int64(counts.Malformed))
	}
	if readErr != nil {
		// The body was cut short (client gone, read timeout). Logplex will
		// retry the whole batch, so emit nothing of it now.
		r.logger.Debug("Could not read a drain request body", zap.Error(readErr))
		respond(w, http.StatusServiceUnavailable)
		return
	}
	if counts.Frames == 0 {
		respond(w, http.StatusNoContent)
		logsClaim(true)
		metricsClaim(true)
		return
	}
	if msgCount > 0 && msgCount != counts.Frames {
		// Advisory only: rejecting would make Logplex drop good frames.
		r.telemetry.ReceiverHerokudrainMsgCountMismatches.Add(ctx, 1)
		r.logger.Warn("Logplex-Msg-Count does not match the frames in the body",
			zap.Int("header", msgCount), zap.Int("frames", counts.Frames), zap.String("frame_id", frameID))
	}

	var errs []error
	if wantLogs {
		err := r.consumeLogs(ctx, batch)
		logsClaim(err == nil)
		errs = append(errs, err)
	}
	if wantMetrics {
		r.addMetrics(ctx, batch)
		metricsClaim(true)
	}
	err := errors.Join(errs...)
	split.End(err == nil)
	if err != nil {
		r.logger.Debug("Pipeline refused a drain request", zap.Error(err), zap.String("frame_id", frameID))
	} else if counts.LogplexDropped > 0 {
		// Counted once the batch is accepted, so Logplex's retries of it
		// do not count the same loss again.
		r.telemetry.ReceiverHerokudrainLogplexDropped.Add(ctx, counts.LogplexDropped)
	}
	respond(w, statusForConsumeError(err))
}

// scan reads the body frame by frame into batch.
func (r *drainReceiver) scan(req *http.Request, batch *translate.Batch, split *rejoin.Session) (logplex.Stats, error) {
	sd := logplex.SDAuto
	switch r.cfg.StructuredData {
	case SDNone:
		sd = logplex.SDNone
	case SDRFC5424:
		sd = logplex.SDRFC5424
	case SDAuto:
		// Logplex strips SD and does not even send the NILVALUE.
		if strings.HasPrefix(req.UserAgent(), "Logplex/") {
			sd = logplex.SDNone
		}
	}
	s := logplex.NewScanner(req.Body, logplex.Options{MaxFrameSize: r.cfg.MaxFrameSize, SD: sd})
	for s.Scan() {
		split.Add(s.Frame()) // to batch, unless held as a piece of a cut line
	}
	err := s.Err()
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		// More data than max_request_body_size: keep the frames read so far
		// and flag the rest, which a retry would not fix.
		batch.AddUnreadable(nil, "request body exceeds max_request_body_size ("+strconv.FormatInt(tooLarge.Limit, 10)+" bytes); the rest was not read")
		return s.Stats(), nil
	}
	return s.Stats(), err
}

func (r *drainReceiver) consumeLogs(ctx context.Context, batch *translate.Batch) error {
	ld := batch.Logs()
	n := ld.LogRecordCount()
	if n == 0 {
		return nil
	}
	ctx = r.obsLogs.StartLogsOp(ctx)
	err := r.nextLogs.ConsumeLogs(ctx, ld)
	r.obsLogs.EndLogsOp(ctx, dataFormat, n, err)
	return err
}

// settle reports whether a claimed signal was delivered. The dedupe cache
// ignores calls after the first, so deferring settle(false) is safe.
type settle func(accepted bool)

func noClaim(bool) {}

// claim asks the de-duplication cache whether frameID's signal was already
// delivered. want is false for a duplicate.
func (r *drainReceiver) claim(ctx context.Context, frameID, signal string) (settle, bool, error) {
	done, dup, err := r.seen.Begin(ctx, frameID+"/"+signal)
	if err != nil || dup {
		return noClaim, false, err
	}
	return done, true, nil
}
