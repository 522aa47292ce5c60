package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
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

// drainRequest is one drain POST on its way through the steps of handle.
type drainRequest struct {
	http     *http.Request
	observed pcommon.Timestamp
	msgCount int // Logplex-Msg-Count; advisory

	// logs, metrics and traces say, per signal, whether it is wanted (a
	// pipeline exists and the batch is not a duplicate) and how to settle
	// the claim.
	logs, metrics, traces claim

	builder *metadata.MetricsBuilder // pooled; returned by finish
	batch   *translate.Batch
	split   *rejoin.Session // pieces of cut lines held across requests
}

// handle serves one drain POST. Each step answers the request itself when
// it ends it (status != 0):
//
//	admit (auth, draining, memory budget) → dedupe (claim the batch's id)
//	→ read (frame the body and translate it) → deliver → respond.
//
// The status of every outcome is chosen in status.go.
func (r *drainReceiver) handle(w http.ResponseWriter, req *http.Request) {
	release, status := r.admit(w, req)
	if status != 0 {
		// Closing is what keeps the body unread: to reuse the
		// connection, net/http would first read up to 256 KiB of it.
		w.Header().Set("Connection", "close")
		respond(w, status)
		return
	}
	defer release()
	ctx, cancel := context.WithTimeout(req.Context(), r.cfg.ConsumeTimeout)
	defer cancel()

	dr := r.newRequest(req)
	defer r.finish(dr)
	if status = r.dedupe(ctx, dr); status == 0 {
		if status = r.read(ctx, dr); status == 0 {
			status = r.deliver(ctx, dr)
		}
	}
	if r.stopping.Load() {
		// Draining: the sender must take its next request elsewhere.
		w.Header().Set("Connection", "close")
	}
	respond(w, status)
}

func (r *drainReceiver) newRequest(req *http.Request) *drainRequest {
	msgCount, _ := strconv.Atoi(req.Header.Get(headerMsgCount))
	return &drainRequest{
		http:     req,
		observed: pcommon.NewTimestampFromTime(time.Now()),
		msgCount: msgCount,
		logs:     claim{want: r.nextLogs != nil, settle: noClaim},
		metrics:  claim{want: r.nextMetrics != nil, settle: noClaim},
		traces:   claim{want: r.nextTraces != nil, settle: noClaim},
	}
}

// finish releases what the request holds: unsettled claims and held
// pieces of cut lines are given up (a retry gets processed), and the
// pooled metrics builder is emptied and returned. Emit empties it; a request that ended before emitting (body
// cut short) must not leave points behind for the next one, which may be
// another app's.
func (r *drainReceiver) finish(dr *drainRequest) {
	dr.logs.settle(false)
	dr.metrics.settle(false)
	dr.traces.settle(false)
	if dr.split != nil {
		dr.split.End(false) // no-op once settled
	}
	if dr.builder != nil {
		_ = dr.builder.Emit()
		r.builder.Put(dr.builder)
	}
}

// read frames the body and translates each frame into the batch. It ends
// the request when the body could not be read to the end (503: Logplex
// retries the whole batch, so nothing of it is emitted now) or held no
// frame (204).
func (r *drainReceiver) read(ctx context.Context, dr *drainRequest) int {
	if hint := dr.http.Header.Get("Content-Type"); hint != "" && !strings.HasPrefix(hint, contentType) {
		// Not fatal: the body is read as Logplex frames all the same, and
		// whatever does not parse is flagged per frame.
		r.logger.Debug("Unexpected Content-Type on a drain request", zap.String("content_type", hint))
	}
	dr.batch = r.newBatch(dr)
	dr.split = r.beginSplitLines(dr.http, dr.batch)
	stats, err := r.scan(dr.http, dr.batch, dr.split)
	counts := dr.batch.Counts()
	r.telemetry.ReceiverHerokudrainBytes.Add(ctx, stats.BytesRead)
	r.telemetry.ReceiverHerokudrainFrames.Add(ctx, int64(counts.Frames))
	if counts.Malformed > 0 {
		r.telemetry.ReceiverHerokudrainFramesMalformed.Add(ctx, int64(counts.Malformed))
	}
	switch {
	case err != nil:
		r.logger.Debug("Could not read a drain request body", zap.Error(err))
		return http.StatusServiceUnavailable
	case counts.Frames == 0:
		return http.StatusNoContent
	}
	if dr.msgCount > 0 && dr.msgCount != counts.Frames {
		// Advisory only: rejecting would make Logplex drop good frames.
		r.telemetry.ReceiverHerokudrainMsgCountMismatches.Add(ctx, 1)
		r.logger.Warn("Logplex-Msg-Count does not match the frames in the body",
			zap.Int("header", dr.msgCount), zap.Int("frames", counts.Frames), zap.String("frame_id", dr.http.Header.Get(headerFrameID)))
	}
	return 0
}

// newBatch starts the translation of dr's body, for the signals it wants.
func (r *drainReceiver) newBatch(dr *drainRequest) *translate.Batch {
	if dr.metrics.want {
		dr.builder = r.builder.Get().(*metadata.MetricsBuilder)
	}
	query := dr.http.URL.Query()
	return translate.NewBatch(r.batchSettings(dr.logs.want, dr.metrics.want, dr.traces.want, dr.builder), translate.Resource{
		DrainToken: dr.http.Header.Get(headerDrainToken),
		AppName:    query.Get(appQueryParam),
		Attributes: queryAttributes(query, r.cfg.QueryParameters),
	}, dr.observed, min(dr.msgCount, 4096))
}

// scan reads the body frame by frame into batch (through split, which
// holds the pieces of lines Heroku cut).
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
