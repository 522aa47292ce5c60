package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// putRouter adds a router line's request fields (docs/heroku-formats.md, "Router lines") under
// their semantic-convention names where one exists. Router lines are
// request logs, not events: no event name.
func putRouter(attrs pcommon.Map, s *lineStrings, r *heroku.Router) {
	desc := ""
	if len(r.Desc) > 0 {
		desc = s.str(r.Desc)
	}
	putError(attrs, r.Code, desc)
	putRouterHTTP(attrs, s, r)
	putDynoName(attrs, internDynoName(s, r.Dyno))
	putRouterOutcome(attrs, s, r)
	putRouterConnection(attrs, s, r)
}

// putRouterHTTP adds the request and response: method, URL, addresses,
// status, size and the router's timings.
func putRouterHTTP(attrs pcommon.Map, s *lineStrings, r *heroku.Router) {
	if len(r.Method) > 0 {
		if m, exact := httpMethod(r.Method); m != "" {
			attrs.PutStr(attrHTTPMethod, m)
			if !exact {
				attrs.PutStr(attrHTTPMethodOrig, s.str(r.Method))
			}
		} else {
			attrs.PutStr(attrHTTPMethod, "_OTHER")
			attrs.PutStr(attrHTTPMethodOrig, s.str(r.Method))
		}
	}
	s.putStr(attrs, attrURLPath, r.Path)
	s.putStr(attrs, attrURLQuery, r.Query)
	s.putStr(attrs, attrServerAddress, r.Host)
	s.putStr(attrs, attrClientAddress, r.ClientIP)
	s.putStr(attrs, AttrRouterFwd, r.Fwd)
	if r.HasStatus {
		attrs.PutInt(attrHTTPStatus, int64(r.Status))
	}
	if r.HasBytes {
		attrs.PutInt(attrHTTPBodySize, int64(r.Bytes))
	}
	if r.HasConnect {
		attrs.PutInt(AttrRouterConnectMS, int64(r.Connect))
	}
	if r.HasService {
		attrs.PutInt(AttrRouterServiceMS, int64(r.Service))
	}
}

// putRouterOutcome adds the router's own view: request id, level, which
// side closed the socket and the cause of an error.
func putRouterOutcome(attrs pcommon.Map, s *lineStrings, r *heroku.Router) {
	s.putStr(attrs, AttrRouterRequestID, r.RequestID)
	if len(r.At) > 0 {
		attrs.PutStr(AttrRouterAt, routerAt(s, r.At))
	}
	if len(r.Sock) > 0 {
		attrs.PutStr(AttrRouterSock, routerSock(s, r.Sock))
	}
	s.putStr(attrs, AttrRouterCause, r.Cause)
}

// putRouterConnection adds the client connection: scheme, HTTP version,
// TLS and the user agent.
func putRouterConnection(attrs pcommon.Map, s *lineStrings, r *heroku.Router) {
	if scheme := r.Scheme(); scheme != "" {
		attrs.PutStr(attrURLScheme, scheme)
	}
	if name, version := r.NetworkProtocol(); name != "" {
		attrs.PutStr(attrNetProtoName, name)
		if version != "" {
			attrs.PutStr(attrNetProtoVersion, version)
		}
	}
	if r.HasTLS {
		attrs.PutBool(AttrRouterTLS, r.TLS)
	}
	if name, version := tlsProtocol(s, r.TLSVersion); name != "" {
		attrs.PutStr(attrTLSProtoName, name)
		if version != "" {
			attrs.PutStr(attrTLSProtoVersion, version)
		}
	}
	s.putStr(attrs, attrUserAgent, r.Agent)
}

// httpMethods are the methods semantic conventions know
// (http.request.method); anything else is reported as _OTHER.
var httpMethods = [...]string{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "QUERY"}

// httpMethod returns the canonical (upper-case) name of a known method, and
// whether b was already written that way; "" for an unknown method.
func httpMethod(b []byte) (method string, exact bool) {
	for _, m := range httpMethods {
		if string(b) == m {
			return m, true
		}
	}
	if len(b) > len("OPTIONS") {
		return "", false
	}
	var buf [len("OPTIONS")]byte
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	for _, m := range httpMethods {
		if string(buf[:len(b)]) == m {
			return m, false
		}
	}
	return "", false
}

// routerAt interns the at= level.
func routerAt(s *lineStrings, b []byte) string { return s.internIn(routerWords, b) }

// routerSock interns sock=.
func routerSock(s *lineStrings, b []byte) string { return s.internIn(routerWords, b) }

var routerWords = internTable("info", "warning", "warn", "error", "client", "backend")

// tlsProtocol splits tls_version= ("tls1.3", "ssl3.0") into OTel's
// tls.protocol.name ("tls", "ssl") and tls.protocol.version ("1.3").
// "unknown" (all *.herokuapp.com traffic on Router 2.0), an absent value
// and anything not starting with tls/ssl give "".
func tlsProtocol(s *lineStrings, b []byte) (name, version string) {
	switch string(b) {
	case "tls1.3":
		return "tls", "1.3"
	case "tls1.2":
		return "tls", "1.2"
	case "tls1.1":
		return "tls", "1.1"
	case "tls1.0":
		return "tls", "1.0"
	case "ssl3.0":
		return "ssl", "3.0"
	}
	if len(b) < 3 {
		return "", ""
	}
	switch string(b[:3]) {
	case "tls", "TLS":
		name = "tls"
	case "ssl", "SSL":
		name = "ssl"
	default:
		return "", ""
	}
	rest := b[3:]
	if len(rest) > 0 && (rest[0] == 'v' || rest[0] == 'V') {
		rest = rest[1:]
	}
	return name, s.str(rest)
}
