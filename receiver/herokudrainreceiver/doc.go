// Package herokudrainreceiver receives Heroku Logplex HTTPS drain requests and
// turns every syslog frame into an OTLP log record and the measurements the
// lines carry (runtime, router, platform events, add-ons, l2met) into OTLP
// metrics. One HTTP server serves both the logs and the metrics pipeline.
//
//go:generate ../../.tools/bin/mdatagen metadata.yaml
package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"
