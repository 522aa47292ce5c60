// Package heroku says what a Heroku Logplex line means.
//
// Its input is what the drain framing leaves: the syslog APP-NAME (`heroku`
// or `app`), the PROCID (`router`, `web.1`, `heroku-postgres`, `logplex`, …)
// and the message bytes with at most one trailing LF stripped. Its output is
// plain Go values (subslices of the input, numbers, and entries of static
// tables); turning them into OpenTelemetry data is the receiver's job, so
// this package imports only the standard library.
//
// Everything here runs once per line at around 100k lines/s, so the parsers
// work on []byte, return subslices of their input, and append into
// caller-owned storage instead of allocating.
package heroku
