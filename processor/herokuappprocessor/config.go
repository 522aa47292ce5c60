package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/confmap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

// UnknownAction says what happens to a resource whose drain token is missing
// or not listed in Config.Apps.
type UnknownAction string

const (
	// UnknownKeep passes the resource on unchanged.
	UnknownKeep UnknownAction = "keep"
	// UnknownDrop removes the resource (and all its records) from the batch.
	UnknownDrop UnknownAction = "drop"
)

// Mode selects what the processor works on.
type Mode string

const (
	// ModeLogplex resolves drain tokens set by the herokudrain receiver.
	ModeLogplex Mode = "logplex"
	// ModeFir aligns OTLP telemetry sent by Heroku Fir telemetry drains.
	ModeFir Mode = "fir"
)

// Config is the configuration of the herokuapp processor.
//
// Names come from up to three sources. For a given token the first source
// that knows it wins: Apps, then AppsFile, then HerokuAPI.
type Config struct {
	// Apps maps a Logplex drain token (d.<uuid>) to the Heroku app name that
	// owns the drain.
	Apps map[string]string `mapstructure:"apps"`
	// AppsFile is a YAML or JSON file holding the same token -> app map as
	// Apps. It is re-read when it changes.
	AppsFile string `mapstructure:"apps_file"`
	// AppsFileCheckInterval is how often AppsFile is checked for changes.
	AppsFileCheckInterval time.Duration `mapstructure:"apps_file_check_interval"`
	// HerokuAPI, when set, lists apps and their log drains through the
	// Heroku Platform API.
	HerokuAPI configoptional.Optional[HerokuAPIConfig] `mapstructure:"heroku_api"`
	// Unknown is "keep" (default) or "drop".
	Unknown UnknownAction `mapstructure:"unknown"`
	// Mode is "logplex" (default: resolve drain tokens) or "fir" (give
	// OTLP telemetry from Heroku Fir telemetry drains the attributes the
	// Logplex path emits).
	Mode Mode `mapstructure:"mode"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// HerokuAPIConfig configures the Heroku Platform API source.
type HerokuAPIConfig struct {
	// APIKey is an API key or OAuth token (heroku auth:token, or
	// heroku authorizations:create for a long-lived one). Never logged.
	APIKey configopaque.String `mapstructure:"api_key"`
	// Endpoint is the API base URL; the public API unless testing.
	Endpoint string `mapstructure:"endpoint"`
	// RefreshInterval is the time between two full listings.
	RefreshInterval time.Duration `mapstructure:"refresh_interval"`
	// InitialWait bounds how long Start waits for the first listing.
	InitialWait time.Duration `mapstructure:"initial_wait"`
	// Timeout bounds each HTTP request.
	Timeout time.Duration `mapstructure:"timeout"`

	// prevent unkeyed literal initialization
	_ struct{}
}

const (
	defaultAPIEndpoint       = "https://api.heroku.com"
	defaultRefreshInterval   = 10 * time.Minute
	defaultInitialWait       = 15 * time.Second
	defaultAPITimeout        = 10 * time.Second
	defaultFileCheckInterval = 10 * time.Second
	minRefreshInterval       = time.Minute
	minAppsFileCheckInterval = 100 * time.Millisecond
)

var _ confmap.Validator = (*Config)(nil)

// Heroku app names: 3-30 characters, lowercase letters, digits and dashes,
// starting with a letter and ending with a letter or digit.
var appNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`)

const tokenHint = `drain token must look like d.<uuid> (run "heroku drains --json -a APP" and copy "token")`

// Validate checks the configuration. Every problem is reported, each naming
// the offending key and how to fix it.
func (c *Config) Validate() error {
	var errs []error

	switch c.Unknown {
	case UnknownKeep, UnknownDrop:
	default:
		errs = append(errs, fmt.Errorf(`unknown: %q is not valid (use "keep" to pass such resources on unchanged, or "drop" to remove them)`, string(c.Unknown)))
	}

	switch c.Mode {
	case ModeLogplex, "":
	case ModeFir:
		if len(c.Apps) > 0 || c.AppsFile != "" || c.HerokuAPI.HasValue() || c.Unknown == UnknownDrop {
			errs = append(errs, errors.New(`mode: fir takes the app from the attributes Heroku puts on Fir telemetry; remove apps, apps_file, heroku_api and unknown: drop (they apply to mode: logplex), or use a second herokuapp processor for the Logplex pipelines`))
		}
		return errors.Join(errs...)
	default:
		errs = append(errs, fmt.Errorf(`mode: %q is not valid (use "logplex" for herokudrain receiver pipelines, or "fir" for OTLP from Heroku Fir telemetry drains)`, string(c.Mode)))
	}
	if len(c.Apps) == 0 && c.AppsFile == "" && !c.HerokuAPI.HasValue() {
		errs = append(errs, errors.New(`no source of app names: set at least one of apps (a "d.<uuid>: app-name" map; run "heroku drains --json -a APP" and copy "token"), apps_file (a YAML or JSON file holding that map) or heroku_api (api_key: ${env:HEROKU_API_KEY})`))
	}
	if c.AppsFile != "" && c.AppsFileCheckInterval < minAppsFileCheckInterval {
		errs = append(errs, fmt.Errorf("apps_file_check_interval: %s is too short (use at least %s; default %s)", c.AppsFileCheckInterval, minAppsFileCheckInterval, defaultFileCheckInterval))
	}
	if c.HerokuAPI.HasValue() {
		errs = append(errs, c.HerokuAPI.Get().validate()...)
	}
	errs = append(errs, validateApps("apps", c.Apps)...)
	return errors.Join(errs...)
}

func (a *HerokuAPIConfig) validate() []error {
	var errs []error
	if strings.TrimSpace(string(a.APIKey)) == "" {
		errs = append(errs, errors.New(`heroku_api::api_key: empty (set it to an API key, e.g. api_key: ${env:HEROKU_API_KEY}; create one with "heroku authorizations:create --scope read -d otelcol-heroku")`))
	}
	if u, err := url.Parse(a.Endpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("heroku_api::endpoint: %q is not an http(s) URL (leave it unset for %s)", a.Endpoint, defaultAPIEndpoint))
	}
	if a.RefreshInterval < minRefreshInterval {
		errs = append(errs, fmt.Errorf("heroku_api::refresh_interval: %s is too short (use at least %s to stay within the API rate limit; default %s)", a.RefreshInterval, minRefreshInterval, defaultRefreshInterval))
	}
	if a.InitialWait < 0 {
		errs = append(errs, fmt.Errorf("heroku_api::initial_wait: %s is negative (use 0 to not wait, default %s)", a.InitialWait, defaultInitialWait))
	}
	if a.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("heroku_api::timeout: %s must be positive (default %s)", a.Timeout, defaultAPITimeout))
	}
	return errs
}

// validateApps checks a token -> app name map; key names the config key (or
// file) in the messages.
func validateApps(key string, apps map[string]string) []error {
	var errs []error

	// Sorted for deterministic error messages.
	tokens := make([]string, 0, len(apps))
	for tok := range apps {
		tokens = append(tokens, tok)
	}
	slices.Sort(tokens)

	seen := make(map[string]string, len(tokens)) // normalized token -> token as written
	for _, tok := range tokens {
		app := apps[tok]
		if !draintoken.Valid(tok) {
			errs = append(errs, fmt.Errorf("%s: %q: %s", key, tok, tokenHint))
		} else {
			norm := draintoken.Normalize(tok)
			if prev, ok := seen[norm]; ok {
				errs = append(errs, fmt.Errorf("%s: %q and %q are the same drain token (tokens are case-insensitive); keep only one", key, prev, tok))
			}
			seen[norm] = tok
		}
		switch {
		case strings.TrimSpace(app) == "":
			errs = append(errs, fmt.Errorf("%s: %q: app name is empty (set it to the Heroku app that owns the drain, e.g. acme-web)", key, tok))
		case !appNameRE.MatchString(app):
			errs = append(errs, fmt.Errorf("%s: %q: %q is not a valid Heroku app name (3-30 characters: lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit; see \"heroku apps\")", key, tok, app))
		}
	}
	return errs
}

// normalizeApps returns apps keyed by the lower-cased token.
func normalizeApps(apps map[string]string) map[string]appInfo {
	m := make(map[string]appInfo, len(apps))
	for tok, app := range apps {
		m[draintoken.Normalize(tok)] = appInfo{Name: app}
	}
	return m
}
