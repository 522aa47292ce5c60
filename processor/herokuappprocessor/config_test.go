package herokuappprocessor

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
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
			expected: &Config{
				Apps: map[string]string{
					"d.fc6b856b-3332-4546-93de-7d0ee272c3bd": "acme-web",
					"d.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": "acme-worker",
				},
				Unknown: UnknownKeep,
			},
		},
		{
			id: component.NewIDWithName(metadata.Type, "drop"),
			expected: &Config{
				Apps:    map[string]string{"d.FC6B856B-3332-4546-93DE-7D0EE272C3BD": "acme-web"},
				Unknown: UnknownDrop,
			},
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
			errs: []string{`apps: no drain tokens configured`},
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
	assert.ErrorContains(t, cfg.Validate(), "apps: no drain tokens configured")
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
