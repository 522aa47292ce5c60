// Package herokuappprocessor sets service.name on resources received from a
// Heroku Logplex HTTPS drain, using a configured map from drain token
// (Logplex-Drain-Token, carried on the resource as heroku.drain.token) to
// Heroku app name. Resources with a missing or unknown token can be kept
// unchanged or dropped.
//
//go:generate ../../.tools/bin/mdatagen metadata.yaml
package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"
