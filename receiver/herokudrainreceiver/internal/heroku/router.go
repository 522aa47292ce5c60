package heroku

import "bytes"

// Router is a parsed `heroku router` line (docs/heroku-formats.md, "Router lines"). Byte fields are
// subslices of the message (quotes removed, escapes kept raw); empty means
// absent. Numbers carry a Has flag because 0 is a real value (connect=0ms).
type Router struct {
	// Legacy marks the 2010 form "Error H12 (Request timeout) -> GET
	// host/path dyno=web.1 …"; only code, method, host, path, query, dyno,
	// connect, service, status and bytes are read from it.
	Legacy bool

	Sock  []byte    // client | backend (H27, H18)
	At    []byte    // info | warning | error
	Code  ErrorCode // H10…H99; zero when the line has none
	Desc  []byte    // desc="…"; for Legacy lines, the name in parentheses
	Cause []byte    // H26's cause="…"

	Method    []byte
	Path      []byte // path up to '?'
	Query     []byte // after '?', without it
	Host      []byte
	RequestID []byte
	Fwd       []byte // X-Forwarded-For as logged
	ClientIP  []byte // first address of Fwd, trimmed
	Dyno      []byte // web.1; empty when no dyno was reached

	Connect, Service       int // milliseconds
	HasConnect, HasService bool
	Status                 int
	HasStatus              bool
	Bytes                  int
	HasBytes               bool

	Protocol   []byte // http | https (legacy), http1.1 | http2.0 (Router 2.0)
	TLS        bool
	HasTLS     bool
	TLSVersion []byte
	Agent      []byte // H31's agent="…"
}

// ParseRouter parses a router message into r (which it resets) and reports
// whether it looked like a router line: at least one of at=, code=, method=
// or status= was present, or the legacy form matched.
func ParseRouter(msg []byte, r *Router) bool {
	*r = Router{}
	if bytes.HasPrefix(msg, []byte("Error H")) || startsWithMethod(msg) {
		if parseLegacyRouter(msg, r) {
			return true
		}
		*r = Router{}
	}
	known := false
	rest := msg
	for {
		key, val, _, next, ok := NextKV(rest)
		if !ok {
			break
		}
		rest = next
		if r.setField(key, val) {
			known = true
		}
	}
	return known
}

// setField stores one key=value and reports whether the key marks the line
// as a router line.
func (r *Router) setField(key, val []byte) (marker bool) {
	switch string(key) {
	case "at":
		r.At = val
		return true
	case "code":
		r.Code, _ = ParseErrorCode(val)
		return true
	case "method":
		r.Method = val
		return true
	case "status":
		r.Status, r.HasStatus = wholeUint(val)
		return true
	case "sock":
		r.Sock = val
	case "desc":
		r.Desc = val
	case "cause":
		r.Cause = val
	case "path":
		r.setPath(val)
	case "host":
		r.Host = val
	case "request_id":
		r.RequestID = val
	case "fwd":
		r.Fwd = val
		r.ClientIP = firstAddress(val)
	case "dyno":
		r.Dyno = val
	case "connect":
		r.Connect, r.HasConnect = parseMillis(val)
	case "service":
		r.Service, r.HasService = parseMillis(val)
	case "bytes":
		r.Bytes, r.HasBytes = wholeUint(val)
	case "protocol":
		r.Protocol = val
	case "tls":
		switch string(val) {
		case "true":
			r.TLS, r.HasTLS = true, true
		case "false":
			r.TLS, r.HasTLS = false, true
		}
	case "tls_version":
		r.TLSVersion = val
	case "agent":
		r.Agent = val
	}
	return false
}

func (r *Router) setPath(p []byte) {
	for i, c := range p {
		if c == '?' {
			r.Path, r.Query = p[:i], p[i+1:]
			return
		}
	}
	r.Path = p
}

// parseMillis reads "18ms", a bare "0" (H25) or nothing (absent).
func parseMillis(b []byte) (int, bool) {
	v, n, ok := leadingUint(b)
	if !ok {
		return 0, false
	}
	switch string(b[n:]) {
	case "", "ms":
		return v, true
	}
	return 0, false
}

// firstAddress returns the first entry of an X-Forwarded-For list.
func firstAddress(fwd []byte) []byte {
	for i, c := range fwd {
		if c == ',' {
			return bytes.Trim(fwd[:i], " \t\r\n")
		}
	}
	return bytes.Trim(fwd, " \t\r\n")
}

// startsWithMethod reports whether b starts like "GET host/…": an upper-case
// word followed by a space and a token containing '/'.
func startsWithMethod(b []byte) bool {
	i := 0
	for i < len(b) && b[i] >= 'A' && b[i] <= 'Z' {
		i++
	}
	if i < 3 || i >= len(b) || b[i] != ' ' {
		return false
	}
	return bytes.IndexByte(firstWord(b[i+1:]), '/') > 0
}

// parseLegacyRouter reads "[Error H12 (Request timeout) -> ]GET host/path kv…".
func parseLegacyRouter(msg []byte, r *Router) bool {
	rest := msg
	if bytes.HasPrefix(msg, []byte("Error H")) {
		code, name, detail, ok := parseCodedError(msg)
		if !ok {
			return false
		}
		r.Code, r.Desc = code, name
		rest = detail
		if !startsWithMethod(rest) {
			// An error without a request part is still a router error.
			r.Legacy = len(rest) == 0
			return r.Legacy
		}
	}
	r.Legacy = true
	r.Method = firstWord(rest)
	rest = rest[len(r.Method)+1:]
	target := firstWord(rest)
	rest = rest[len(target):]
	slash := bytes.IndexByte(target, '/')
	r.Host = target[:slash]
	r.setPath(target[slash:])
	for {
		key, val, _, next, ok := NextKV(rest)
		if !ok {
			break
		}
		rest = next
		switch string(key) {
		case "dyno", "connect", "service", "status", "bytes":
			r.setField(key, val)
		}
	}
	return true
}

// NetworkProtocol splits Protocol into OTel's network.protocol.name and
// .version: Router 2.0's http1.1 → ("http", "1.1"), http2.0 → ("http", "2").
// Legacy http/https only say the name. The results are constants.
func (r *Router) NetworkProtocol() (name, version string) {
	switch string(r.Protocol) {
	case "http", "https":
		return "http", ""
	case "http1.0":
		return "http", "1.0"
	case "http1.1":
		return "http", "1.1"
	case "http2.0", "http2":
		return "http", "2"
	case "http3.0", "http3":
		return "http", "3"
	}
	return "", ""
}

// Scheme returns url.scheme: the legacy protocol is the scheme itself;
// Router 2.0's protocol is the HTTP version, so there tls= decides.
func (r *Router) Scheme() string {
	switch string(r.Protocol) {
	case "https":
		return "https"
	case "http":
		return "http"
	}
	if r.HasTLS {
		if r.TLS {
			return "https"
		}
		return "http"
	}
	return ""
}
