package herokuappprocessor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadatatest"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"
)

func firConfig() *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Mode = ModeFir
	return cfg
}

// firInput is the Fir payload of one signal, shared with the golden tests.
func firInput(signal string) string {
	return filepath.Join("testdata", "golden", "fir", "input."+signal+".yaml")
}

func TestFirConfigValidation(t *testing.T) {
	require.NoError(t, firConfig().Validate(), "mode fir needs no token source")

	cfg := firConfig()
	cfg.Apps = map[string]string{tokWeb: "acme-web"}
	assert.ErrorContains(t, cfg.Validate(), "mode: fir takes the app from the attributes Heroku puts on Fir telemetry")

	cfg = firConfig()
	cfg.Mode = "cedar"
	assert.ErrorContains(t, cfg.Validate(), `mode: "cedar" is not valid (use "logplex"`)
}

// Fir logs as a telemetry drain sends them: the resource names the app and
// dyno; the processor sets service.name and cloud.provider and copies the
// dyno onto each record, like the Logplex path.
func TestFirLogs(t *testing.T) {
	ld, err := golden.ReadLogs(firInput("logs"))
	require.NoError(t, err)
	tt := componenttest.NewTelemetry()
	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(tt), firConfig(), sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	require.NoError(t, p.Shutdown(context.Background()))

	rls := sink.AllLogs()[0].ResourceLogs()
	require.Equal(t, 3, rls.Len())
	tests := []struct {
		name        string
		service     string
		dynoType    string // resource heroku.dyno.type afterwards
		recordDynos []string
		recordTypes []string
	}{
		{name: "documented resource: app name becomes service.name", service: "acme-web", dynoType: "web",
			recordDynos: []string{"web.1", "web.2"}, recordTypes: []string{"web", "web"}},
		{name: "SDK default service.name is replaced; workload id read as the dyno type", service: "acme-web", dynoType: "worker",
			recordDynos: []string{""}, recordTypes: []string{"worker"}},
		{name: "a service.name the app chose is kept; type derived from the formation name", service: "checkout", dynoType: "web",
			recordDynos: []string{"web.3"}, recordTypes: []string{"web"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := rls.At(i).Resource().Attributes()
			assert.Equal(t, tc.service, strAttr(res, "service.name"))
			assert.Equal(t, "heroku", strAttr(res, "cloud.provider"))
			assert.Equal(t, tc.dynoType, strAttr(res, "heroku.dyno.type"))
			assert.Equal(t, "acme-web", strAttr(res, "heroku.app.name"), "Heroku's own attributes stay")
			lrs := rls.At(i).ScopeLogs().At(0).LogRecords()
			require.Equal(t, len(tc.recordDynos), lrs.Len())
			for k := range tc.recordDynos {
				assert.Equal(t, tc.recordDynos[k], strAttr(lrs.At(k).Attributes(), "heroku.dyno.name"))
				assert.Equal(t, tc.recordTypes[k], strAttr(lrs.At(k).Attributes(), "heroku.dyno.type"))
			}
		})
	}
	// Two of the three resources got their service.name from the app.
	metadatatest.AssertEqualProcessorHerokuappResourcesRenamed(t, tt, []metricdata.DataPoint[int64]{{Value: 2}}, metricdatatest.IgnoreTimestamp())
}

func TestFirMetricsAndTraces(t *testing.T) {
	md, err := golden.ReadMetrics(firInput("metrics"))
	require.NoError(t, err)
	msink := new(consumertest.MetricsSink)
	mp, err := NewFactory().CreateMetrics(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), firConfig(), msink)
	require.NoError(t, err)
	require.NoError(t, mp.ConsumeMetrics(context.Background(), md))

	rm := msink.AllMetrics()[0].ResourceMetrics().At(0)
	assert.Equal(t, "acme-web", strAttr(rm.Resource().Attributes(), "service.name"))
	ms := rm.ScopeMetrics().At(0).Metrics()
	points := 0
	for i := 0; i < ms.Len(); i++ {
		forEachPointAttributes(ms.At(i), func(m pcommon.Map) {
			points++
			assert.Equal(t, "web.1", strAttr(m, "heroku.dyno.name"), ms.At(i).Name())
			assert.Equal(t, "web", strAttr(m, "heroku.dyno.type"), ms.At(i).Name())
		})
	}
	assert.Equal(t, 3, points, "gauge, sum and histogram points")

	td, err := golden.ReadTraces(firInput("traces"))
	require.NoError(t, err)
	tsink := new(consumertest.TracesSink)
	tp, err := NewFactory().CreateTraces(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), firConfig(), tsink)
	require.NoError(t, err)
	require.NoError(t, tp.ConsumeTraces(context.Background(), td))
	rs := tsink.AllTraces()[0].ResourceSpans().At(0)
	assert.Equal(t, "acme-web", strAttr(rs.Resource().Attributes(), "service.name"))
	span := rs.ScopeSpans().At(0).Spans().At(0)
	assert.Equal(t, "web.1", strAttr(span.Attributes(), "heroku.dyno.name"))
	assert.Equal(t, "web", strAttr(span.Attributes(), "heroku.dyno.type"))
	assert.Equal(t, "GET", strAttr(span.Attributes(), "http.request.method"), "span attributes are kept")
}

func TestForEachPointAttributesCoversEveryType(t *testing.T) {
	ms := pmetric.NewMetricSlice()
	ms.AppendEmpty().SetEmptyExponentialHistogram().DataPoints().AppendEmpty()
	ms.AppendEmpty().SetEmptySummary().DataPoints().AppendEmpty()
	ms.AppendEmpty() // no type: nothing
	n := 0
	for i := 0; i < ms.Len(); i++ {
		forEachPointAttributes(ms.At(i), func(pcommon.Map) { n++ })
	}
	assert.Equal(t, 2, n)
}

// Resources without Heroku's attributes (another sender on the same OTLP
// receiver) pass unchanged.
func TestFirLeavesOtherResourcesAlone(t *testing.T) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "elsewhere")
	rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetStr("x")
	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), firConfig(), sink)
	require.NoError(t, err)
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	got := sink.AllLogs()[0].ResourceLogs().At(0)
	assert.Equal(t, map[string]any{"service.name": "elsewhere"}, got.Resource().Attributes().AsRaw())
	assert.Zero(t, got.ScopeLogs().At(0).LogRecords().At(0).Attributes().Len())
}

// Both generations end up with the same keys a dashboard filters on: a
// Cedar dyno line through the herokudrain receiver and mode logplex, and a
// Fir record through mode fir.
func TestCedarAndFirShareTheDashboardKeys(t *testing.T) {
	// Cedar: receiver on loopback -> herokuapp (logplex).
	cedarSink := new(consumertest.LogsSink)
	cp, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), newTestConfig(UnknownKeep), cedarSink)
	require.NoError(t, err)
	rf := herokudrainreceiver.NewFactory()
	rcfg := rf.CreateDefaultConfig().(*herokudrainreceiver.Config)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	rcfg.NetAddr.Endpoint = addr
	rcv, err := rf.CreateLogs(context.Background(), receivertest.NewNopSettings(rf.Type()), rcfg, cp)
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, rcv.Shutdown(context.Background())) })

	line := "<190>1 2026-12-02T03:00:00.000000+00:00 host app web.1 - Listening on port 5000\n"
	body := fmt.Sprintf("%d %s", len(line), line)
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/logs", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/logplex-1")
	req.Header.Set("Logplex-Drain-Token", tokWeb)
	req.Header.Set("Logplex-Frame-Id", "F1")
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, cedarSink.AllLogs(), 1)
	cedar := cedarSink.AllLogs()[0].ResourceLogs().At(0)

	// Fir: the documented payload -> herokuapp (fir).
	ld, err := golden.ReadLogs(firInput("logs"))
	require.NoError(t, err)
	firSink := new(consumertest.LogsSink)
	fp, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), firConfig(), firSink)
	require.NoError(t, err)
	require.NoError(t, fp.ConsumeLogs(context.Background(), ld))
	fir := firSink.AllLogs()[0].ResourceLogs().At(0)

	for _, key := range []string{"service.name", "cloud.provider"} {
		require.NotEmpty(t, strAttr(cedar.Resource().Attributes(), key), "the Cedar path sets %s", key)
		assert.Equal(t, strAttr(cedar.Resource().Attributes(), key), strAttr(fir.Resource().Attributes(), key), key)
	}
	cr := cedar.ScopeLogs().At(0).LogRecords().At(0).Attributes()
	fr := fir.ScopeLogs().At(0).LogRecords().At(0).Attributes()
	for _, key := range []string{"heroku.dyno.name", "heroku.dyno.type"} {
		require.NotEmpty(t, strAttr(cr, key), "the Cedar path sets %s", key)
		assert.Equal(t, strAttr(cr, key), strAttr(fr, key), key)
	}
}
