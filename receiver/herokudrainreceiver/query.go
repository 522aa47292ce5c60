package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
)

// Drain URL query parameters -> resource attributes (config key
// query_parameters). A drain URL such as
// https://user:pass@collector.example.com/logs?app=web-prod&env=prod lets
// one receiver serve many apps and label them without a processor.
const (
	// maxQueryAttributes bounds how many parameters of one request become
	// attributes; maxQueryValueLen bounds each value (longer ones are cut).
	maxQueryAttributes = 32
	maxQueryValueLen   = 256
)

// reservedQueryKeys are resource attributes the receiver sets itself; a
// query parameter of the same name never overrides them. The app parameter
// is handled apart (it sets service.name).
var reservedQueryKeys = []string{appQueryParam, "cloud.provider", "heroku.drain.token", "service.name"}

// validateQueryParameters checks the allowlist patterns.
func validateQueryParameters(patterns []string) []error {
	var errs []error
	for i, p := range patterns {
		if strings.TrimSpace(p) == "" {
			errs = append(errs, fmt.Errorf("query_parameters[%d]: empty pattern (use a parameter name such as env, or a wildcard such as team_*)", i))
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			errs = append(errs, fmt.Errorf("query_parameters[%d]: %q is not a valid pattern (* matches any run of characters, ? one character, [a-z] a class): %w", i, p, err))
		}
	}
	return errs
}

// queryAttributes returns the allowed query parameters as sorted key/value
// pairs, first value of each, valid UTF-8 and bounded in number and length.
func queryAttributes(q url.Values, patterns []string) [][2]string {
	if len(patterns) == 0 || len(q) == 0 {
		return nil
	}
	var out [][2]string
	for name, vals := range q {
		if len(vals) == 0 || slices.Contains(reservedQueryKeys, name) || !matchAny(patterns, name) {
			continue
		}
		v := vals[0]
		if len(v) > maxQueryValueLen {
			v = v[:maxQueryValueLen]
		}
		out = append(out, [2]string{strings.ToValidUTF8(name, "\uFFFD"), strings.ToValidUTF8(v, "\uFFFD")})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	if len(out) > maxQueryAttributes {
		out = out[:maxQueryAttributes]
	}
	return out
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
