package herokuappprocessor

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
)

func TestLoadConfig(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)

	const tokenHintMsg = `drain token must look like d.<uuid> (run "heroku drains --json -a APP" and copy "token")`

	tests := []struct {
		id       component.ID
		expected *Config
		errs     []string // substrings that must all appear in the validation error
	}{
		{
			id: component.NewID(metadata.Type),
			expected: configWith(func(c *Config) {
				c.Apps = map[string]string{
					"d.fc6b856b-3332-4546-93de-7d0ee272c3bd": "acme-web",
					"d.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": "acme-worker",
				}
			}),
		},
		{
			id: component.NewIDWithName(metadata.Type, "drop"),
			expected: configWith(func(c *Config) {
				c.Apps = map[string]string{"d.FC6B856B-3332-4546-93DE-7D0EE272C3BD": "acme-web"}
				c.Unknown = UnknownDrop
			}),
		},
		{
			id: component.NewIDWithName(metadata.Type, "file_only"),
			expected: configWith(func(c *Config) {
				c.AppsFile = "/etc/otelcol/apps.yaml"
				c.AppsFileCheckInterval = 30 * time.Second
			}),
		},
		{
			id: component.NewIDWithName(metadata.Type, "api_only"),
			expected: configWith(func(c *Config) {
				c.HerokuAPI = configoptional.Some(HerokuAPIConfig{
					APIKey:          "secret-key",
					Endpoint:        defaultAPIEndpoint,
					RefreshInterval: 5 * time.Minute,
					InitialWait:     defaultInitialWait,
					Timeout:         defaultAPITimeout,
				})
			}),
		},
		{
			id: component.NewIDWithName(metadata.Type, "api_bad"),
			errs: []string{
				`heroku_api::api_key: empty (set it to an API key, e.g. api_key: ${env:HEROKU_API_KEY}`,
				`heroku_api::endpoint: "api.heroku.com" is not an http(s) URL`,
				`heroku_api::refresh_interval: 10s is too short (use at least 1m0s`,
				`heroku_api::initial_wait: -1s is negative`,
				`heroku_api::timeout: 0s must be positive`,
			},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "file_check_too_fast"),
			errs: []string{`apps_file_check_interval: 1ms is too short (use at least 100ms`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "bad_token"),
			errs: []string{`apps: "abc": ` + tokenHintMsg},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "bad_token_prefix"),
			errs: []string{`apps: "fc6b856b-3332-4546-93de-7d0ee272c3bd": ` + tokenHintMsg},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "empty_app"),
			errs: []string{`apps: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd": app name is empty`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "bad_app_name"),
			errs: []string{`apps: "d.fc6b856b-3332-4546-93de-7d0ee272c3bd": "Acme_Web" is not a valid Heroku app name (3-30 characters: lowercase letters, digits and dashes`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "short_app_name"),
			errs: []string{`"ab" is not a valid Heroku app name`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "long_app_name"),
			errs: []string{`"abcdefghijklmnopqrstuvwxyz01234" is not a valid Heroku app name`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "bad_unknown"),
			errs: []string{`unknown: "ignore" is not valid (use "keep"`, `or "drop"`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "no_apps"),
			errs: []string{`no source of app names: set at least one of apps`, `apps_file (`, `heroku_api (`},
		},
		{
			id:   component.NewIDWithName(metadata.Type, "duplicate_token"),
			errs: []string{`are the same drain token (tokens are case-insensitive); keep only one`},
		},
		{
			id: component.NewIDWithName(metadata.Type, "several"),
			errs: []string{
				`unknown: "maybe" is not valid`,
				`apps: "abc": ` + tokenHintMsg,
				`apps: "abc": app name is empty`,
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.id.String(), func(t *testing.T) {
			cfg := NewFactory().CreateDefaultConfig()
			sub, err := cm.Sub(tt.id.String())
			require.NoError(t, err)
			require.NoError(t, sub.Unmarshal(cfg))

			err = confmap.Validate(cfg)
			if len(tt.errs) == 0 {
				require.NoError(t, err)
				assert.Equal(t, tt.expected, cfg)
				return
			}
			require.Error(t, err)
			for _, want := range tt.errs {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	assert.Equal(t, UnknownKeep, cfg.Unknown)
	assert.Empty(t, cfg.Apps)
	// The default has no apps, which is a configuration error worth reporting.
	assert.ErrorContains(t, cfg.Validate(), "no source of app names")
	assert.False(t, cfg.HerokuAPI.HasValue(), "heroku_api is off unless configured")
}

// configWith returns the default configuration changed by edit.
func configWith(edit func(*Config)) *Config {
	c := createDefaultConfig().(*Config)
	edit(c)
	return c
}

func TestValidAppNames(t *testing.T) {
	for _, name := range []string{"abc", "acme-web", "a1b", "app-2024-prod", "abcdefghijklmnopqrstuvwxyz0123"} {
		cfg := &Config{Apps: map[string]string{"d.fc6b856b-3332-4546-93de-7d0ee272c3bd": name}, Unknown: UnknownKeep}
		assert.NoError(t, cfg.Validate(), name)
	}
	for _, name := range []string{"1abc", "-abc", "abc-", "ab c", "acme.web", " acme"} {
		cfg := &Config{Apps: map[string]string{"d.fc6b856b-3332-4546-93de-7d0ee272c3bd": name}, Unknown: UnknownKeep}
		assert.ErrorContains(t, cfg.Validate(), "is not a valid Heroku app name", name)
	}
}
