package herokudrainreceiver

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configauth"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/extensionauth"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// headerAuth is a server authenticator extension that wants X-Drain-Key: ok.
type headerAuth struct {
	component.StartFunc
	component.ShutdownFunc
	extensionauth.ServerAuthenticateFunc
}

type hostWith map[component.ID]component.Component

func (h hostWith) GetExtensions() map[component.ID]component.Component { return h }

// The confighttp `auth:` setting keeps working next to the receiver's own
// basic_auth: an authenticator extension can guard the drain instead.
func TestConfighttpAuthExtensionGuardsTheDrain(t *testing.T) {
	authID := component.MustNewID("drainkey")
	ext := headerAuth{ServerAuthenticateFunc: func(ctx context.Context, h map[string][]string) (context.Context, error) {
		for k, v := range h {
			if strings.EqualFold(k, "X-Drain-Key") && len(v) > 0 && v[0] == "ok" {
				return ctx, nil
			}
		}
		return ctx, errors.New("no drain key")
	}}
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	cfg.Auth = configoptional.Some(confighttp.AuthConfig{Config: configauth.Config{AuthenticatorID: authID}})
	sink := new(consumertest.LogsSink)
	l, err := f.CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, l.Start(context.Background(), hostWith{authID: ext}))
	defer func() { require.NoError(t, l.Shutdown(context.Background())) }()
	url := "http://" + l.(interface{ Unwrap() *drainReceiver }).Unwrap().addr.String() + "/logs"

	for _, tt := range []struct {
		key  string
		want int
	}{{"", http.StatusUnauthorized}, {"wrong", http.StatusUnauthorized}, {"ok", http.StatusOK}} {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(frame(seedLine)))
		if tt.key != "" {
			req.Header.Set("X-Drain-Key", tt.key)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, tt.want, resp.StatusCode, "key %q", tt.key)
	}
	assert.Equal(t, 1, sink.LogRecordCount(), "only the authenticated request is ingested")
}
