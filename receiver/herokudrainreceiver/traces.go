package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
)

// Router spans: with a traces pipeline the receiver also emits one SERVER
// span per router line (internal/translate/spans.go). Without one nothing
// is built, so the output is off unless a pipeline asks for it.

func createTraces(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Traces) (receiver.Traces, error) {
	c := cfg.(*Config)
	r, err := receivers.LoadOrStore(c, func() (*drainReceiver, error) { return newDrainReceiver(c, set) })
	if err != nil {
		return nil, err
	}
	r.Unwrap().setTraces(next)
	return r, nil
}

func (r *drainReceiver) consumeTraces(ctx context.Context, batch *translate.Batch) error {
	td := batch.Traces()
	n := td.SpanCount()
	if n == 0 {
		return nil
	}
	ctx = r.obs.StartTracesOp(ctx)
	err := r.nextTraces.ConsumeTraces(ctx, td)
	r.obs.EndTracesOp(ctx, dataFormat, n, err)
	return err
}
