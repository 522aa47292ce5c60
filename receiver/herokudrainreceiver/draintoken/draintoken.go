// Package draintoken holds what the herokudrain receiver and the herokuapp
// processor must agree on about Logplex drain tokens: the resource attribute
// that carries one, its d.<uuid> shape, and how two tokens compare.
//
// Logplex sends a drain's token in the Logplex-Drain-Token header of every
// POST; `heroku drains --json -a APP` shows it as "token". Heroku prints it
// in lower case, but the hex digits of a UUID are case-insensitive, so both
// components compare tokens in their Normalize form. See
// docs/heroku-formats.md in this repository for the sources.
//
// The package uses only the standard library, so either component can be
// lifted out with it.
package draintoken // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"

import (
	"regexp"
	"strings"
)

// AttributeKey is the resource attribute on which the receiver puts the
// Logplex-Drain-Token header value, and from which the processor reads it.
const AttributeKey = "heroku.drain.token"

// pattern is "d." followed by a UUID in its 8-4-4-4-12 hex form, either case.
var pattern = regexp.MustCompile(`^d\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Valid reports whether s has the shape of a drain token, d.<uuid>.
func Valid(s string) bool { return pattern.MatchString(s) }

// Normalize returns the form in which tokens are compared: lower case, so
// that D.FC6B… and d.fc6b… are the same drain.
func Normalize(s string) string { return strings.ToLower(s) }
