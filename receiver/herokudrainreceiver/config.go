package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
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
	// defaultMaxRequestBodySize is 10x the largest batch Logplex sends:
	// it fills a POST up to its 102,400-byte target (with at most 1,024
	// lines plus one L10 line), and only a single frame larger than that
	// is sent on its own. 1 MiB keeps such an oversized frame (up to
	// max_frame_size, 64 KiB by default) and leaves room for other
	// senders, while a request can reserve no more than 10 MiB of the
	// in-flight budget. confighttp's own default is 20 MiB.
	defaultMaxRequestBodySize = 1 << 20
	// defaultMaxInFlightBytes holds ~16 Logplex batches (100 KB each, x10
	// decoded) at once, or one request of the largest size.
	defaultMaxInFlightBytes = 16 << 20
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
	// MaxInFlightBytes bounds the memory held by the requests being
	// processed at once: their bodies and what is decoded from them. Each
	// request reserves 10 bytes per body byte (Content-Length, or
	// max_request_body_size when unknown or compressed) before its body is
	// read; a request the budget cannot hold gets 503 + Retry-After at once.
	MaxInFlightBytes int64 `mapstructure:"max_in_flight_bytes"`
	// ConsumeTimeout bounds how long a request waits for the pipeline, so
	// that we answer 503 before Logplex gives up on us (5 s).
	ConsumeTimeout time.Duration `mapstructure:"consume_timeout"`

	// BasicAuth lists the accepted credentials (from the drain URL's
	// userinfo). Several entries allow rotation. Empty: no basic auth.
	BasicAuth []Credential `mapstructure:"basic_auth"`
	// DrainTokens, when set, is the allowlist of Logplex-Drain-Token values.
	DrainTokens []string `mapstructure:"drain_tokens"`
	// Dedupe configures the de-duplication cache of batch ids
	// (Logplex-Frame-Id, else log-shuttle's X-Request-Id).
	Dedupe DedupeConfig `mapstructure:"dedupe"`

	// SplitLines rejoins or marks lines Heroku cut into several frames.
	SplitLines SplitLinesConfig `mapstructure:"split_lines"`

	// RouterMetricsURLPath adds url.path to the router histograms. Off by
	// default: every distinct path would be a new series.
	RouterMetricsURLPath bool `mapstructure:"router_metrics_url_path"`

	// QueryParameters is the allowlist (names or wildcard patterns) of drain
	// URL query parameters copied onto the resource as attributes.
	QueryParameters []string `mapstructure:"query_parameters"`

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
	// TTL is how long a delivered batch id is remembered. Logplex retries
	// within seconds; the default of 10 minutes is generous.
	TTL time.Duration `mapstructure:"ttl"`
	// MaxEntries bounds the cache; the oldest ids are evicted first. Each
	// id costs at most dedupe.BytesPerEntry (64) bytes.
	MaxEntries int `mapstructure:"max_entries"`
}

var _ confmap.Validator = (*Config)(nil)

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
		errs = append(errs, fmt.Errorf("structured_data %q is not one of auto, none, rfc5424 (use auto, the default, unless every sender writes STRUCTURED-DATA: rfc5424, or none does: none)", cfg.StructuredData))
	}
	if maxBody := cfg.MaxRequestBodySize; maxBody <= 0 {
		errs = append(errs, fmt.Errorf("max_request_body_size %d must be positive (default %d: 10x the largest Logplex batch)", maxBody, defaultMaxRequestBodySize))
	} else if cfg.MaxInFlightBytes < maxBody*decodedBytesPerBodyByte {
		errs = append(errs, fmt.Errorf("max_in_flight_bytes %d must be at least %d x max_request_body_size (%d), so that one request of the largest size fits; raise it or lower max_request_body_size (defaults %d and %d)",
			cfg.MaxInFlightBytes, decodedBytesPerBodyByte, maxBody, defaultMaxInFlightBytes, defaultMaxRequestBodySize))
	}
	if cfg.ConsumeTimeout <= 0 || cfg.ConsumeTimeout >= logplexTimeout {
		errs = append(errs, fmt.Errorf("consume_timeout %s must be above 0 and below Logplex's 5s request timeout (default %s)", cfg.ConsumeTimeout, defaultConsumeTimeout))
	}
	seen := map[string]bool{}
	for i, c := range cfg.BasicAuth {
		switch {
		case c.Username == "":
			errs = append(errs, fmt.Errorf("basic_auth[%d]: username is empty (set it to the user in the drain URL, https://USER:PASSWORD@host/path)", i))
		case strings.Contains(c.Username, ":"):
			errs = append(errs, fmt.Errorf("basic_auth[%d]: username %q contains ':', which basic auth cannot carry; choose a user without ':'", i, c.Username))
		}
		if c.Password == "" {
			errs = append(errs, fmt.Errorf("basic_auth[%d]: password for %q is empty (set it to the password in the drain URL, https://USER:PASSWORD@host/path)", i, c.Username))
		} else if strings.Contains(string(c.Password), ":") {
			// Logplex splits the drain URL's userinfo on ':' and cannot send such a password.
			errs = append(errs, fmt.Errorf("basic_auth[%d]: password for %q contains ':', which Logplex cannot send; use [A-Za-z0-9._~-]", i, c.Username))
		}
		if seen[c.Username+"\x00"+string(c.Password)] {
			errs = append(errs, fmt.Errorf("basic_auth[%d]: duplicate credential for %q; remove one of the entries", i, c.Username))
		}
		seen[c.Username+"\x00"+string(c.Password)] = true
	}
	for i, tok := range cfg.DrainTokens {
		if !draintoken.Valid(tok) {
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
	errs = append(errs, validateQueryParameters(cfg.QueryParameters)...)
	return errors.Join(errs...)
}
