package herokudrainreceiver

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// Both pipelines start and stop the one shared server exactly once: the
// server answers while either pipeline runs and the port is free after the
// second Shutdown, so the collector can restart on the same port.
func TestSharedServerStartsOnceAndReleasesItsPort(t *testing.T) {
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "127.0.0.1:0"
	set := receivertest.NewNopSettings(metadata.Type)
	host := componenttest.NewNopHost()
	logsSink, metricsSink := new(consumertest.LogsSink), new(consumertest.MetricsSink)

	logs, err := f.CreateLogs(context.Background(), set, cfg, logsSink)
	require.NoError(t, err)
	metrics, err := f.CreateMetrics(context.Background(), set, cfg, metricsSink)
	require.NoError(t, err)
	require.NoError(t, logs.Start(context.Background(), host))
	require.NoError(t, metrics.Start(context.Background(), host), "the second Start is a no-op, not a second listener")

	addr := unwrap(t, logs).addr.String()
	url := "http://" + addr + cfg.Path
	resp := post(t, url, frame(loadLine), nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, logsSink.LogRecordCount())

	require.NoError(t, logs.Shutdown(context.Background()))
	require.NoError(t, metrics.Shutdown(context.Background()), "the second Shutdown is a no-op")
	// Metrics are aggregated and emitted at flush; Shutdown flushes once more.
	assert.Positive(t, metricsSink.DataPointCount())

	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err, "the port is released after Shutdown")
	require.NoError(t, ln.Close())
}

// Start reports what keeps the server from running instead of failing
// later: a taken port, TLS files that cannot be read, an authenticator
// extension the collector does not have.
func TestStartFailsWithTheReason(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = taken.Close() })

	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{
			name: "port already in use",
			mod:  func(c *Config) { c.NetAddr.Endpoint = taken.Addr().String() },
			want: "address already in use",
		},
		{
			name: "missing TLS certificate",
			mod: func(c *Config) {
				c.TLS = configoptional.Some(configtls.ServerConfig{Config: configtls.Config{
					CertFile: "testdata/does-not-exist.crt", KeyFile: "testdata/does-not-exist.key",
				}})
			},
			want: "does-not-exist",
		},
		{
			name: "authenticator extension not configured",
			mod: func(c *Config) {
				c.Auth = configoptional.Some(confighttp.AuthConfig{Config: configauth.Config{
					AuthenticatorID: component.MustNewIDWithName("basicauth", "drain"),
				}})
			},
			want: "basicauth/drain",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFactory()
			cfg := f.CreateDefaultConfig().(*Config)
			cfg.NetAddr.Endpoint = "127.0.0.1:0"
			tt.mod(cfg)
			r, err := f.CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
			require.NoError(t, err)
			err = r.Start(context.Background(), componenttest.NewNopHost())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			require.NoError(t, r.Shutdown(context.Background()), "Shutdown after a failed Start")
		})
	}
}
