package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

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

// Config is the configuration of the herokuapp processor.
type Config struct {
	// Apps maps a Logplex drain token (d.<uuid>) to the Heroku app name that
	// owns the drain.
	Apps map[string]string `mapstructure:"apps"`
	// Unknown is "keep" (default) or "drop".
	Unknown UnknownAction `mapstructure:"unknown"`

	// prevent unkeyed literal initialization
	_ struct{}
}

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

	if len(c.Apps) == 0 {
		errs = append(errs, errors.New(`apps: no drain tokens configured (add at least one "d.<uuid>: app-name" entry; run "heroku drains --json -a APP" and copy "token")`))
	}

	// Sorted for deterministic error messages.
	tokens := make([]string, 0, len(c.Apps))
	for tok := range c.Apps {
		tokens = append(tokens, tok)
	}
	slices.Sort(tokens)

	seen := make(map[string]string, len(tokens)) // normalized token -> token as written
	for _, tok := range tokens {
		app := c.Apps[tok]
		if !draintoken.Valid(tok) {
			errs = append(errs, fmt.Errorf("apps: %q: %s", tok, tokenHint))
		} else {
			norm := draintoken.Normalize(tok)
			if prev, ok := seen[norm]; ok {
				errs = append(errs, fmt.Errorf("apps: %q and %q are the same drain token (tokens are case-insensitive); keep only one", prev, tok))
			}
			seen[norm] = tok
		}
		switch {
		case strings.TrimSpace(app) == "":
			errs = append(errs, fmt.Errorf("apps: %q: app name is empty (set it to the Heroku app that owns the drain, e.g. acme-web)", tok))
		case !appNameRE.MatchString(app):
			errs = append(errs, fmt.Errorf("apps: %q: %q is not a valid Heroku app name (3-30 characters: lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit; see \"heroku apps\")", tok, app))
		}
	}
	return errors.Join(errs...)
}

// normalizedApps returns Apps keyed by the lower-cased token.
func (c *Config) normalizedApps() map[string]string {
	m := make(map[string]string, len(c.Apps))
	for tok, app := range c.Apps {
		m[draintoken.Normalize(tok)] = app
	}
	return m
}
