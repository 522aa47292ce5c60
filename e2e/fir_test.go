package e2e

import (
	"bytes"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestFirTelemetryGetsTheCedarKeys posts an OTLP/HTTP JSON logs payload shaped
// like a Heroku Fir telemetry drain's to the built collector's otlp receiver
// and checks that herokuapp in mode fir named it like a Cedar drain.
func TestFirTelemetryGetsTheCedarKeys(t *testing.T) {
	otlpAddr := ""
	sink, _, _ := pipeline(t, func(c Config) {
		otlpAddr = FreeAddr(t)
		c.Set(map[string]any{"protocols": map[string]any{"http": map[string]any{"endpoint": otlpAddr}}}, "receivers", "otlp")
		c.Set(map[string]any{"mode": "fir"}, "processors", "herokuapp/fir")
		c.Set(map[string]any{
			"receivers":  []string{"otlp"},
			"processors": []string{"herokuapp/fir", "batch"},
			"exporters":  []string{"otlp_http"},
		}, "service", "pipelines", "logs/fir")
	})
	// The processor's golden input: OTLP logs shaped as Heroku's telemetry
	// drains send them, posted as OTLP/JSON.
	in, err := golden.ReadLogs(filepath.Join("..", "processor", "herokuappprocessor", "testdata", "golden", "fir", "input.logs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := (&plog.JSONMarshaler{}).MarshalLogs(in)
	if err != nil {
		t.Fatal(err)
	}
	var resp *http.Response
	// The otlp receiver may start listening a moment after the drain port.
	if !Eventually(10*time.Second, func() bool {
		resp, err = http.Post("http://"+otlpAddr+"/v1/logs", "application/json", bytes.NewReader(body))
		return err == nil
	}) {
		t.Fatalf("posting to the otlp receiver: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("otlp receiver answered %d", resp.StatusCode)
	}
	if !sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= 4 }) {
		t.Fatalf("got %d log records, want 4", sink.LogRecordCount())
	}
	found := 0
	for _, ld := range sink.Logs() {
		for i := 0; i < ld.ResourceLogs().Len(); i++ {
			rl := ld.ResourceLogs().At(i)
			res := rl.Resource().Attributes()
			svc, _ := res.Get("service.name")
			cp, _ := res.Get("cloud.provider")
			if cp.AsString() != "heroku" {
				t.Errorf("cloud.provider = %q, want heroku", cp.AsString())
			}
			lrs := rl.ScopeLogs().At(0).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				typ, ok := lrs.At(k).Attributes().Get("heroku.dyno.type")
				if !ok || typ.AsString() == "" {
					t.Errorf("record %q has no heroku.dyno.type", lrs.At(k).Body().AsString())
				}
				if lrs.At(k).Body().AsString() == "Listening on port 5000" {
					found++
					name, _ := lrs.At(k).Attributes().Get("heroku.dyno.name")
					if svc.AsString() != SampleApp || name.AsString() != "web.1" || typ.AsString() != "web" {
						t.Errorf("service.name=%q heroku.dyno.name=%q heroku.dyno.type=%q, want %s web.1 web",
							svc.AsString(), name.AsString(), typ.AsString(), SampleApp)
					}
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("found the Fir record %d times, want 1", found)
	}
}
