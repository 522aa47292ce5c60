// Package servers holds the in-process servers drainload runs in child
// processes: the HTTP floor and the herokudrain receiver on its own.
package servers

import (
	"context"
	"net/http"
	_ "net/http/pprof" // /debug/pprof on the profiling address
	"os"
	"os/signal"
	"syscall"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"
)

// Floor serves addr with the least any drain endpoint must do: read the
// whole body, discard it, answer 200 with Content-Length: 0. Nothing can
// ingest faster over the same loopback HTTP/1.1, so it is the baseline.
func Floor(addr string) error {
	buf := make([]byte, 32<<10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for {
			if _, err := r.Body.Read(buf); err != nil {
				break
			}
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	})
	return http.ListenAndServe(addr, h)
}

// Receiver runs the herokudrain receiver, built from its public factory
// with its default config, for the logs and the metrics signal, both into
// a consumer that drops everything: what the collector binary does with a
// nop exporter, minus the pipeline plumbing, so a CPU profile of it is the
// drain path alone. pprofAddr, when set, serves net/http/pprof.
func Receiver(addr, pprofAddr string) error {
	f := herokudrainreceiver.NewFactory()
	cfg := f.CreateDefaultConfig().(*herokudrainreceiver.Config)
	cfg.NetAddr.Endpoint = addr
	cfg.Path = "/logs"
	set := receivertest.NewNopSettings(f.Type())
	ctx := context.Background()
	logs, err := f.CreateLogs(ctx, set, cfg, consumertest.NewNop())
	if err != nil {
		return err
	}
	metrics, err := f.CreateMetrics(ctx, set, cfg, consumertest.NewNop())
	if err != nil {
		return err
	}
	host := componenttest.NewNopHost()
	if err := logs.Start(ctx, host); err != nil {
		return err
	}
	if err := metrics.Start(ctx, host); err != nil {
		return err
	}
	if pprofAddr != "" {
		go func() { _ = http.ListenAndServe(pprofAddr, nil) }()
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	<-stop
	_ = logs.Shutdown(ctx)
	return metrics.Shutdown(ctx)
}
