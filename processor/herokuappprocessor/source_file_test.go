package herokuappprocessor

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadatatest"
)

func TestParseAppsFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    map[string]string
		wantErr string
	}{
		{
			name:    "YAML map",
			content: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd: acme-web\n# a comment\nd.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0: acme-worker\n",
			want:    map[string]string{tokWeb: "acme-web", tokWorker: "acme-worker"},
		},
		{
			name:    "JSON object",
			content: `{"d.fc6b856b-3332-4546-93de-7d0ee272c3bd": "acme-web"}`,
			want:    map[string]string{tokWeb: "acme-web"},
		},
		{
			name:    "not a map",
			content: "- acme-web\n",
			wantErr: "apps_file f.yaml: not a YAML or JSON map of drain token to app name",
		},
		{
			name:    "broken JSON",
			content: `{"d.fc6b856b-3332-4546-93de-7d0ee272c3bd": `,
			wantErr: "not a YAML or JSON map",
		},
		{
			name:    "empty file",
			content: "",
			wantErr: `apps_file f.yaml: holds no entries (write one "d.<uuid>: app-name" line per drain)`,
		},
		{
			name:    "entries checked like the apps key",
			content: "abc: Acme_Web\n",
			wantErr: `apps_file f.yaml: "abc": drain token must look like d.<uuid>`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseAppsFile("f.yaml", []byte(tc.content))
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	// Write then rename, as editors and Kubernetes ConfigMaps do.
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(content), 0o600))
	require.NoError(t, os.Rename(tmp, path))
}

func newTestFileSource(t *testing.T, path string) (*fileSource, *observer.ObservedLogs, *componenttest.Telemetry) {
	logger, logs, tb, tt := newTestTelemetry(t, zap.InfoLevel)
	return newFileSource(path, 5*time.Millisecond, logger, tb), logs, tt
}

// newTestTelemetry gives a source under test a logger that records entries
// at level and up, and a telemetry builder whose counters tt collects.
func newTestTelemetry(t *testing.T, level zapcore.Level) (*zap.Logger, *observer.ObservedLogs, *metadata.TelemetryBuilder, *componenttest.Telemetry) {
	t.Helper()
	core, logs := observer.New(level)
	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(metadatatest.NewSettings(tt).TelemetrySettings)
	require.NoError(t, err)
	return zap.New(core), logs, tb, tt
}

func TestFileSourceReloadsAndKeepsLastGood(t *testing.T) {
	path := filepath.Join(t.TempDir(), "apps.yaml")
	writeFile(t, path, tokWeb+": acme-web\n")
	f, logs, tt := newTestFileSource(t, path)
	require.NoError(t, f.start())
	t.Cleanup(f.stop)

	name := func(tok string) string { a, _ := f.apps.lookup(tok); return a.Name }
	assert.Equal(t, "acme-web", name(tokWeb))

	// A change is picked up.
	writeFile(t, path, tokWeb+": acme-web2\n"+tokWorker+": acme-worker\n")
	require.Eventually(t, func() bool { return name(tokWorker) == "acme-worker" }, 5*time.Second, time.Millisecond)
	assert.Equal(t, "acme-web2", name(tokWeb))

	// A bad file keeps the last good map and is reported once.
	writeFile(t, path, tokWeb+": Not_A_Name\n")
	require.Eventually(t, func() bool { return logs.FilterMessageSnippet("keeping the last good token map").Len() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(30 * time.Millisecond) // several check intervals
	assert.Equal(t, 1, logs.FilterMessageSnippet("keeping the last good token map").Len(), "one error per bad content")
	assert.Equal(t, "acme-web2", name(tokWeb))
	assert.Equal(t, "acme-worker", name(tokWorker))

	// A missing file too.
	require.NoError(t, os.Remove(path))
	require.Eventually(t, func() bool { return logs.FilterMessageSnippet("keeping the last good token map").Len() == 2 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, "acme-web2", name(tokWeb))

	// Fixed again: loaded.
	writeFile(t, path, `{"`+tokWorker+`": "acme-jobs"}`)
	require.Eventually(t, func() bool { return name(tokWorker) == "acme-jobs" }, 5*time.Second, time.Millisecond)
	_, ok := f.apps.lookup(tokWeb)
	assert.False(t, ok, "a token removed from the file is forgotten")

	metadatatest.AssertEqualProcessorHerokuappSourceLoads(t, tt, []metricdata.DataPoint[int64]{
		{Value: 3, Attributes: attribute.NewSet(attribute.String("source", "apps_file"), attribute.String("result", "ok"))},
		{Value: 2, Attributes: attribute.NewSet(attribute.String("source", "apps_file"), attribute.String("result", "error"))},
	}, metricdatatest.IgnoreTimestamp())
}

func TestFileSourceBadAtStartFailsStart(t *testing.T) {
	dir := t.TempDir()
	f, _, _ := newTestFileSource(t, filepath.Join(dir, "missing.yaml"))
	assert.ErrorContains(t, f.start(), "create the file or remove apps_file")

	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "[1, 2")
	f, _, _ = newTestFileSource(t, bad)
	assert.ErrorContains(t, f.start(), "not a YAML or JSON map")
}

// Precedence: apps, then apps_file, then heroku_api.
func TestSourcePrecedence(t *testing.T) {
	fastTuning(t)
	_, srv := newFakeAPI(t, fakeApp{id: "01234567-89ab-4def-8123-000000000001", name: "api-name", generation: "cedar", tokens: []string{tokWeb, tokWorker, apiTokC}})
	path := filepath.Join(t.TempDir(), "apps.json")
	writeFile(t, path, `{"`+tokWeb+`": "file-name", "`+tokWorker+`": "file-name"}`)

	cfg := apiConfig(srv.URL)
	cfg.Apps = map[string]string{tokWeb: "static-name"}
	cfg.AppsFile = path
	require.NoError(t, cfg.Validate())

	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })

	require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]res{{token: tokWeb, items: 1}, {token: tokWorker, items: 1}, {token: apiTokC, items: 1}})))
	rls := sink.AllLogs()[0].ResourceLogs()
	for i, want := range []struct{ name, id string }{
		{"static-name", ""},
		{"file-name", ""},
		{"api-name", "01234567-89ab-4def-8123-000000000001"},
	} {
		attrs := rls.At(i).Resource().Attributes()
		svc, _ := attrs.Get("service.name")
		assert.Equal(t, want.name, svc.Str())
		id, ok := attrs.Get("heroku.app.id")
		if want.id == "" {
			assert.False(t, ok, "only the API knows the app id")
		} else {
			assert.Equal(t, want.id, id.Str())
		}
	}
}

func TestProcessorStartFailsOnBadAppsFile(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.AppsFile = filepath.Join(t.TempDir(), "nope.yaml")
	p, err := NewFactory().CreateMetrics(context.Background(), metadatatest.NewSettings(componenttest.NewTelemetry()), cfg, consumertest.NewNop())
	require.NoError(t, err)
	assert.ErrorContains(t, p.Start(context.Background(), componenttest.NewNopHost()), "apps_file")
	require.NoError(t, p.Shutdown(context.Background()))
}
