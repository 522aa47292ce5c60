// Package herokuappprocessor sets service.name (and heroku.app.id) on
// resources received from a Heroku Logplex HTTPS drain, resolving the drain
// token (Logplex-Drain-Token, carried on the resource as heroku.drain.token)
// to the Heroku app that owns the drain. Names come from a static map, a
// watched YAML/JSON file and the Heroku Platform API, in that order of
// precedence. Resources with a missing or unknown token can be kept (flagged)
// or dropped.
//
//go:generate ../../.tools/bin/mdatagen metadata.yaml
package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"
