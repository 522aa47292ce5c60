package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"errors"
	"fmt"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"
)

const (
	defaultSplitMaxLineBytes = 1 << 20
	defaultSplitMaxWait      = 5 * time.Second
	// A line is held in memory until it is whole: keep it bounded.
	maxSplitMaxLineBytes = 16 << 20
	maxSplitMaxWait      = time.Minute
)

// SplitLinesConfig says what happens to a dyno line that Heroku cut into
// several frames (lines over 10,000 bytes).
type SplitLinesConfig struct {
	// Mode is rejoin (default: one record per line), mark (one record per
	// piece, with logplex.split.id and logplex.split.index) or off (frames
	// as received).
	Mode string `mapstructure:"mode"`
	// MaxLineBytes bounds a rejoined line; longer lines come out in pieces
	// marked logplex.split.incomplete.
	MaxLineBytes int `mapstructure:"max_line_bytes"`
	// MaxWait is how long the first pieces of a line wait for the rest to
	// arrive in a later request before they are emitted as they are.
	MaxWait time.Duration `mapstructure:"max_wait"`
}

func defaultSplitLinesConfig() SplitLinesConfig {
	return SplitLinesConfig{Mode: string(rejoin.ModeRejoin), MaxLineBytes: defaultSplitMaxLineBytes, MaxWait: defaultSplitMaxWait}
}

// validate checks split_lines; Config.Validate calls it.
func (c SplitLinesConfig) validate() error {
	var errs []error
	switch rejoin.Mode(c.Mode) {
	case rejoin.ModeRejoin, rejoin.ModeMark, rejoin.ModeOff:
	default:
		errs = append(errs, fmt.Errorf("split_lines.mode %q is not one of rejoin, mark, off (default rejoin)", c.Mode))
	}
	if rejoin.Mode(c.Mode) == rejoin.ModeOff {
		return errors.Join(errs...)
	}
	if c.MaxLineBytes < rejoin.LogplexCutSize || c.MaxLineBytes > maxSplitMaxLineBytes {
		errs = append(errs, fmt.Errorf("split_lines.max_line_bytes %d is out of range: use %d to %d (default %d)",
			c.MaxLineBytes, rejoin.LogplexCutSize, maxSplitMaxLineBytes, defaultSplitMaxLineBytes))
	}
	if c.MaxWait <= 0 || c.MaxWait > maxSplitMaxWait {
		errs = append(errs, fmt.Errorf("split_lines.max_wait %s must be above 0 and at most %s (default %s)", c.MaxWait, maxSplitMaxWait, defaultSplitMaxWait))
	}
	return errors.Join(errs...)
}
