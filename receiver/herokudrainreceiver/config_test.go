package herokudrainreceiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configtls"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	custom := createDefaultConfig().(*Config)
	custom.NetAddr.Endpoint = "0.0.0.0:9000"
	custom.Path = "/drain"
	custom.ReadTimeout = 3 * time.Second
	custom.MaxFrameSize = 16384
	custom.StructuredData = SDRFC5424
	custom.ConsumeTimeout = 2 * time.Second
	custom.BasicAuth = []Credential{{Username: "drain", Password: "old-secret"}, {Username: "drain", Password: "new-secret"}}
	custom.DrainTokens = []string{"d.fc6b856b-3332-4546-93de-7d0ee272c3bd", "d.0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"}
	custom.Dedupe = DedupeConfig{Enabled: true, TTL: time.Minute, MaxEntries: 500}
	custom.RouterMetricsURLPath = true

	dedupeOff := createDefaultConfig().(*Config)
	dedupeOff.Dedupe = DedupeConfig{}

	splitOff := createDefaultConfig().(*Config)
	splitOff.SplitLines = SplitLinesConfig{Mode: "off"}

	readmeTLS := createDefaultConfig().(*Config)
	readmeTLS.NetAddr.Endpoint = "0.0.0.0:8443"
	readmeTLS.TLS = configoptional.Some(configtls.ServerConfig{Config: configtls.Config{
		CertFile: "/etc/otelcol/tls.crt", KeyFile: "/etc/otelcol/tls.key",
	}})
	readmeTLS.BasicAuth = []Credential{{Username: "drain", Password: "old-password"}, {Username: "drain", Password: "new-password"}}
	readmeTLS.DrainTokens = []string{"d.fc6b856b-3332-4546-93de-7d0ee272c3bd", "d.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}

	readmeShuttle := createDefaultConfig().(*Config)
	readmeShuttle.NetAddr.Endpoint = "0.0.0.0:8080"
	readmeShuttle.StructuredData = SDRFC5424
	readmeShuttle.RouterMetricsURLPath = true
	readmeShuttle.Metrics.HerokuDynoMemoryRss.EnabledAttributes = []metadata.HerokuDynoMemoryRssMetricAttributeKey{metadata.HerokuDynoMemoryRssMetricAttributeKeyHerokuDynoName}

	tests := []struct {
		name     string
		expected *Config
		err      string // the whole validation error, exactly
	}{
		{name: "", expected: createDefaultConfig().(*Config)},
		{name: "custom", expected: custom},
		{name: "dedupe_off", expected: dedupeOff},
		{name: "split_lines_off", expected: splitOff},
		{name: "readme_tls", expected: readmeTLS},
		{name: "readme_shuttle", expected: readmeShuttle},
		{name: "path_without_slash", err: `path "logs" must start with "/" (the path of the drain URL, e.g. /logs)`},
		{name: "frame_too_small", err: "max_frame_size 512 is out of range: use 1024 to 16777216 bytes (Logplex frames are at most ~10 KiB; default 65536)"},
		{name: "frame_too_large", err: "max_frame_size 16777217 is out of range: use 1024 to 16777216 bytes (Logplex frames are at most ~10 KiB; default 65536)"},
		{name: "unknown_structured_data", err: `structured_data "json" is not one of auto, none, rfc5424 (use auto, the default, unless every sender writes STRUCTURED-DATA: rfc5424, or none does: none)`},
		{name: "consume_timeout_zero", err: "consume_timeout 0s must be above 0 and below Logplex's 5s request timeout (default 4s)"},
		{name: "consume_timeout_at_logplex_limit", err: "consume_timeout 5s must be above 0 and below Logplex's 5s request timeout (default 4s)"},
		{name: "empty_username", err: "basic_auth[0]: username is empty (set it to the user in the drain URL, https://USER:PASSWORD@host/path)"},
		{name: "username_with_colon", err: `basic_auth[0]: username "drain:prod" contains ':', which basic auth cannot carry; choose a user without ':'`},
		{name: "empty_password", err: `basic_auth[0]: password for "drain" is empty (set it to the password in the drain URL, https://USER:PASSWORD@host/path)`},
		{name: "password_with_colon", err: `basic_auth[0]: password for "drain" contains ':', which Logplex cannot send; use [A-Za-z0-9._~-]`},
		{name: "duplicate_credential", err: `basic_auth[1]: duplicate credential for "drain"; remove one of the entries`},
		{name: "bad_drain_token", err: "drain_tokens[1]: \"fc6b856b-3332-4546-93de-7d0ee272c3bd\" does not look like d.<uuid>; copy \"token\" from `heroku drains --json -a APP`"},
		{name: "dedupe_ttl_zero", err: "dedupe.ttl 0s must be positive (Logplex retries within seconds; e.g. 10m)"},
		{name: "split_lines_unknown_mode", err: `split_lines.mode "join" is not one of rejoin, mark, off (default rejoin)`},
		{name: "split_lines_line_too_short", err: "split_lines.max_line_bytes 100 is out of range: use 10240 to 16777216 (default 1048576)"},
		{name: "split_lines_wait_too_long", err: "split_lines.max_wait 2m0s must be above 0 and at most 1m0s (default 5s)"},
		{name: "dedupe_no_entries", err: "dedupe.max_entries 0 must be positive (e.g. 100000)"},
		{name: "several", err: `path "logs" must start with "/" (the path of the drain URL, e.g. /logs)` + "\n" +
			`structured_data "json" is not one of auto, none, rfc5424 (use auto, the default, unless every sender writes STRUCTURED-DATA: rfc5424, or none does: none)` + "\n" +
			"drain_tokens[0]: \"abc\" does not look like d.<uuid>; copy \"token\" from `heroku drains --json -a APP`"},
	}
	for _, tt := range tests {
		id := component.NewIDWithName(metadata.Type, tt.name)
		t.Run(id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))

			err = confmap.Validate(cfg)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.expected, cfg)
		})
	}
}

// Unknown keys are refused when the config is read, so a typo does not
// silently fall back to a default.
func TestUnknownKeyIsRefused(t *testing.T) {
	cfg := NewFactory().CreateDefaultConfig()
	err := confmap.NewFromStringMap(map[string]any{"max_frame_bytes": 1024}).Unmarshal(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "max_frame_bytes")
}
