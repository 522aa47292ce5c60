package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// Structured-data modes (config key structured_data).
const (
	// SDAuto treats requests whose User-Agent is Logplex's as having no SD
	// field (Logplex strips it) and detects `-` or `[...]` SD for other senders.
	SDAuto = "auto"
	// SDNone never looks for SD: the message starts right after MSGID.
	SDNone = "none"
	// SDRFC5424 requires the SD field, as RFC 5424 does.
	SDRFC5424 = "rfc5424"
)

const (
	defaultEndpoint       = "localhost:8080"
	defaultPath           = "/logs"
	defaultMaxFrameSize   = 64 * 1024
	minMaxFrameSize       = 1024
	maxMaxFrameSize       = 16 * 1024 * 1024
	defaultConsumeTimeout = 4 * time.Second
	// logplexTimeout is how long Logplex waits for an answer before it counts
	// the attempt as failed and retries; our own deadlines stay below it.
	logplexTimeout = 5 * time.Second
)

// Config configures the herokudrain receiver.
type Config struct {
	confighttp.ServerConfig `mapstructure:",squash"`

	// Path is the URL path Logplex POSTs to (the drain URL's path).
	Path string `mapstructure:"path"`
	// MaxFrameSize bounds one syslog frame; longer frames are kept truncated
	// and flagged. Logplex frames are at most ~10 KiB.
	MaxFrameSize int `mapstructure:"max_frame_size"`
	// StructuredData is auto, none or rfc5424 (see the SD* constants).
	StructuredData string `mapstructure:"structured_data"`
	// ConsumeTimeout bounds how long a request waits for the pipeline, so
	// that we answer 503 before Logplex gives up on us (5 s).
	ConsumeTimeout time.Duration `mapstructure:"consume_timeout"`

	// BasicAuth lists the accepted credentials (from the drain URL's
	// userinfo). Several entries allow rotation. Empty: no basic auth.
	BasicAuth []Credential `mapstructure:"basic_auth"`
	// DrainTokens, when set, is the allowlist of Logplex-Drain-Token values.
	DrainTokens []string `mapstructure:"drain_tokens"`
	// Dedupe configures the Logplex-Frame-Id de-duplication cache.
	Dedupe DedupeConfig `mapstructure:"dedupe"`

	// SplitLines rejoins or marks lines Heroku cut into several frames.
	SplitLines SplitLinesConfig `mapstructure:"split_lines"`

	// RouterMetricsURLPath adds url.path to the router histograms. Off by
	// default: every distinct path would be a new series.
	RouterMetricsURLPath bool `mapstructure:"router_metrics_url_path"`

	// MetricsAggregationConfig: temporality, flush interval, expiry, caps.
	MetricsAggregationConfig `mapstructure:",squash"`

	metadata.MetricsBuilderConfig `mapstructure:",squash"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Credential is one accepted basic-auth user.
type Credential struct {
	Username string              `mapstructure:"username"`
	Password configopaque.String `mapstructure:"password"`
}

// DedupeConfig configures de-duplication of Logplex retries.
type DedupeConfig struct {
	// Enabled turns de-duplication on (default true).
	Enabled bool `mapstructure:"enabled"`
	// TTL is how long an accepted Frame-Id is remembered. Logplex retries
	// within seconds; the default of 10 minutes is generous.
	TTL time.Duration `mapstructure:"ttl"`
	// MaxEntries bounds the cache; the oldest ids are evicted first.
	MaxEntries int `mapstructure:"max_entries"`
}

var _ confmap.Validator = (*Config)(nil)

var drainTokenRE = regexp.MustCompile(`^d\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Validate checks the configuration and says how to fix what is wrong.
func (cfg *Config) Validate() error {
	var errs []error
	if !strings.HasPrefix(cfg.Path, "/") {
		errs = append(errs, fmt.Errorf("path %q must start with \"/\" (the path of the drain URL, e.g. /logs)", cfg.Path))
	}
	if cfg.MaxFrameSize < minMaxFrameSize || cfg.MaxFrameSize > maxMaxFrameSize {
		errs = append(errs, fmt.Errorf("max_frame_size %d is out of range: use %d to %d bytes (Logplex frames are at most ~10 KiB; default %d)",
			cfg.MaxFrameSize, minMaxFrameSize, maxMaxFrameSize, defaultMaxFrameSize))
	}
	switch cfg.StructuredData {
	case SDAuto, SDNone, SDRFC5424:
	default:
		errs = append(errs, fmt.Errorf("structured_data %q is not one of auto, none, rfc5424", cfg.StructuredData))
	}
	if cfg.ConsumeTimeout <= 0 || cfg.ConsumeTimeout >= logplexTimeout {
		errs = append(errs, fmt.Errorf("consume_timeout %s must be above 0 and below Logplex's 5s request timeout (default %s)", cfg.ConsumeTimeout, defaultConsumeTimeout))
	}
	seen := map[string]bool{}
	for i, c := range cfg.BasicAuth {
		switch {
		case c.Username == "":
			errs = append(errs, fmt.Errorf("basic_auth[%d]: username is empty", i))
		case strings.Contains(c.Username, ":"):
			errs = append(errs, fmt.Errorf("basic_auth[%d]: username %q contains ':', which basic auth cannot carry", i, c.Username))
		}
		if c.Password == "" {
			errs = append(errs, fmt.Errorf("basic_auth[%d]: password for %q is empty", i, c.Username))
		} else if strings.Contains(string(c.Password), ":") {
			// Logplex splits the drain URL's userinfo on ':' and cannot send such a password.
			errs = append(errs, fmt.Errorf("basic_auth[%d]: password for %q contains ':', which Logplex cannot send; use [A-Za-z0-9._~-]", i, c.Username))
		}
		if seen[c.Username+"\x00"+string(c.Password)] {
			errs = append(errs, fmt.Errorf("basic_auth[%d]: duplicate credential for %q", i, c.Username))
		}
		seen[c.Username+"\x00"+string(c.Password)] = true
	}
	for i, tok := range cfg.DrainTokens {
		if !drainTokenRE.MatchString(tok) {
			errs = append(errs, fmt.Errorf("drain_tokens[%d]: %q does not look like d.<uuid>; copy \"token\" from `heroku drains --json -a APP`", i, tok))
		}
	}
	if cfg.Dedupe.Enabled {
		if cfg.Dedupe.TTL <= 0 {
			errs = append(errs, fmt.Errorf("dedupe.ttl %s must be positive (Logplex retries within seconds; e.g. 10m)", cfg.Dedupe.TTL))
		}
		if cfg.Dedupe.MaxEntries <= 0 {
			errs = append(errs, fmt.Errorf("dedupe.max_entries %d must be positive (e.g. 100000)", cfg.Dedupe.MaxEntries))
		}
	}
	errs = append(errs, cfg.SplitLines.validate())
	errs = append(errs, cfg.MetricsAggregationConfig.validate())
	return errors.Join(errs...)
}
