package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// splitLines is the receiver's state for lines Heroku cut into several
// frames: the open lines (kept between requests) and the goroutine that
// emits the ones whose other pieces stopped coming.
type splitLines struct {
	joiner *rejoin.Joiner // nil with split_lines.mode: off
	stop   chan struct{}
	wg     sync.WaitGroup
}

func newSplitLines(cfg SplitLinesConfig, tb *metadata.TelemetryBuilder) *splitLines {
	return &splitLines{joiner: rejoin.New(rejoin.Settings{
		Mode:         rejoin.Mode(cfg.Mode),
		MaxLineBytes: cfg.MaxLineBytes,
		MaxWait:      cfg.MaxWait,
		Rejoined:     func(n int64) { tb.ReceiverHerokudrainSplitLinesRejoined.Add(context.Background(), n) },
		GivenUp:      func(n int64) { tb.ReceiverHerokudrainSplitLinesGivenUp.Add(context.Background(), n) },
	})}
}

// beginSplitLines starts req's work on the open lines; its frames go to
// batch through the returned session. Without a logs pipeline there is
// nothing to rejoin.
func (r *drainReceiver) beginSplitLines(req *http.Request, batch *translate.Batch) *rejoin.Session {
	j := r.splits.joiner
	if r.nextLogs == nil {
		j = nil
	}
	return j.Begin(req.Header.Get(headerDrainToken), req.URL.Query().Get(appQueryParam), batch)
}

// startSplitLines runs the goroutine that gives up lines after max_wait.
func (r *drainReceiver) startSplitLines() {
	if r.splits.joiner == nil || r.nextLogs == nil {
		return
	}
	r.splits.stop = make(chan struct{})
	every := max(r.cfg.SplitLines.MaxWait/2, 10*time.Millisecond)
	r.splits.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-r.splits.stop:
				return
			case now := <-t.C:
				r.emitGivenUp(r.splits.joiner.Expire(now, false))
			}
		}
	})
}

// stopSplitLines stops that goroutine and emits every line still open: no
// request will complete them once the server is down.
func (r *drainReceiver) stopSplitLines() {
	if r.splits.stop == nil {
		return
	}
	close(r.splits.stop)
	r.splits.wg.Wait()
	r.splits.stop = nil
	r.emitGivenUp(r.splits.joiner.Expire(time.Now(), true))
}

// emitGivenUp sends lines given up outside any request to the logs
// pipeline, one batch per drain. Their requests were answered already, so
// a refusal here loses them: it is logged.
func (r *drainReceiver) emitGivenUp(lines []rejoin.Expired) {
	type drain struct{ token, app string }
	batches := map[drain]*translate.Batch{}
	observed := pcommon.NewTimestampFromTime(time.Now())
	for _, l := range lines {
		d := drain{l.DrainToken, l.App}
		b := batches[d]
		if b == nil {
			var builder *metadata.MetricsBuilder
			if r.nextMetrics != nil {
				// Its own builder: these lines were read by requests long done.
				builder = metadata.NewMetricsBuilder(r.cfg.MetricsBuilderConfig, r.set)
			}
			b = translate.NewBatch(r.batchSettings(true, builder != nil, false, builder),
				translate.Resource{DrainToken: l.DrainToken, AppName: l.App}, observed, 1)
			batches[d] = b
		}
		b.AddPart(l.Frame, l.Part)
	}
	for _, b := range batches {
		ctx, cancel := context.WithTimeout(context.Background(), r.cfg.ConsumeTimeout)
		if r.nextMetrics != nil {
			r.addMetrics(ctx, b) // heroku.log.records counts these records too
		}
		if err := r.consumeLogs(ctx, b); err != nil {
			r.logger.Warn("Could not deliver lines whose other pieces never came", zap.Error(err),
				zap.Int("records", b.Logs().LogRecordCount()))
		}
		cancel()
	}
}
