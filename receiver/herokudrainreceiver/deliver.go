package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// deliver hands the batch to the pipelines that want it, settles each
// signal's claim with the pipeline's answer, and returns the status for it.
func (r *drainReceiver) deliver(ctx context.Context, dr *drainRequest) int {
	var errs []error
	if dr.logs.want {
		err := r.consumeLogs(ctx, dr.batch)
		dr.logs.settle(err == nil)
		errs = append(errs, err)
	}
	if dr.metrics.want {
		// Metrics go into the receiver's aggregation, flushed on its own
		// schedule; taking them cannot fail.
		r.addMetrics(ctx, dr.batch)
		dr.metrics.settle(true)
	}
	if dr.traces.want {
		err := r.consumeTraces(ctx, dr.batch)
		dr.traces.settle(err == nil)
		errs = append(errs, err)
	}
	err := errors.Join(errs...)
	dr.split.End(err == nil)
	if err != nil {
		r.logger.Debug("Pipeline refused a drain request", zap.Error(err), zap.String("frame_id", dr.http.Header.Get(headerFrameID)))
	} else if dropped := dr.batch.Counts().LogplexDropped; dropped > 0 {
		// Counted once the batch is accepted, so Logplex's retries of it
		// do not count the same loss again.
		r.telemetry.ReceiverHerokudrainLogplexDropped.Add(ctx, dropped)
	}
	return statusForConsumeError(err)
}

func (r *drainReceiver) consumeLogs(ctx context.Context, batch *translate.Batch) error {
	ld := batch.Logs()
	n := ld.LogRecordCount()
	if n == 0 {
		return nil
	}
	ctx = r.obs.StartLogsOp(ctx)
	err := r.nextLogs.ConsumeLogs(ctx, ld)
	r.obs.EndLogsOp(ctx, dataFormat, n, err)
	return err
}
