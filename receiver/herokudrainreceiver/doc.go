// Package herokudrainreceiver receives Heroku Logplex HTTPS drain requests and
// turns every syslog frame into an OTLP log record, and what the lines measure
// (router timings, dyno runtime metrics, platform events, add-on and app
// metrics) into OTLP metrics, aggregated across requests and emitted every
// flush_interval (docs/metrics.md). One HTTP server serves both pipelines.
//
//go:generate ../../.tools/bin/mdatagen metadata.yaml
package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"
