package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Every string taken from the wire (frame header fields, structured data,
// fields of the message such as a router path or an l2met name, request
// headers and query parameters) enters pdata through wireStringOK or one of
// its forms, so pdata only ever holds valid UTF-8. OTLP declares these
// fields as protobuf strings, which must be UTF-8, and a strict receiver
// (Go's protobuf library, for one) refuses a whole export request for a
// single bad string. Invalid bytes become U+FFFD; where a log record holds
// the string, the record is flagged with logplex.invalid_utf8.

const replacementChar = "\uFFFD"

// wireStringOK returns b as a valid UTF-8 string and whether b already was.
func wireStringOK(b []byte) (string, bool) {
	if utf8.Valid(b) {
		return string(b), true
	}
	return string(bytes.ToValidUTF8(b, []byte(replacementChar))), false
}

// wireString is wireStringOK where nothing can be flagged (metric names and
// attributes, resource attributes).
func wireString(b []byte) string {
	s, _ := wireStringOK(b)
	return s
}

// validString is wireString for a value that is already a string (HTTP
// header values and decoded query parameters may hold any bytes).
func validString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, replacementChar)
}
