package translate

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// router frames a router message as Logplex delivers it (PRI 158 =
// local3.info, even for at=error).
func router(msg string) string {
	return "<158>1 2024-03-15T09:26:53.589793+00:00 host heroku router - " + msg
}

// hErr is the error part every coded router line shares.
func hErr(code, desc string) map[string]any {
	return map[string]any{AttrErrorCode: code, attrErrorType: code, AttrErrorDescription: desc, AttrComponent: "router"}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

var noErr = []string{AttrErrorCode, attrErrorType, AttrErrorDescription}

func TestRouterLines(t *testing.T) {
	runLineCases(t, []lineCase{
		{
			name: "a legacy-router request line carries every request field under semconv names",
			line: "<158>1 2012-10-11T03:47:20+00:00 host heroku router - at=info method=GET path=/ host=example-app-1234567890ab.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd=\"204.204.204.204\" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 tls_version=tls1.1 protocol=http",
			want: map[string]any{
				AttrComponent: "router", attrHTTPMethod: "GET", attrURLPath: "/",
				attrServerAddress:   "example-app-1234567890ab.herokuapp.com",
				AttrRouterRequestID: "8601b555-6a83-4c12-8269-97c8e32cdb22",
				attrClientAddress:   "204.204.204.204", AttrRouterFwd: "204.204.204.204",
				AttrDynoName: "web.1", AttrDynoType: "web", AttrRouterConnectMS: 1, AttrRouterServiceMS: 18,
				attrHTTPStatus: 200, attrHTTPBodySize: 13, AttrRouterAt: "info",
				attrURLScheme: "http", attrNetProtoName: "http",
				attrTLSProtoName: "tls", attrTLSProtoVersion: "1.1",
			},
			absent:   append([]string{attrURLQuery, attrNetProtoVersion, AttrRouterTLS, attrHTTPMethodOrig, AttrRouterSock, AttrRouterCause, attrUserAgent}, noErr...),
			severity: plog.SeverityNumberInfo,
		},
		{
			name: "a Router 2.0 line splits protocol=http2.0 into name and version and takes the scheme from tls=true",
			line: router(`at=info method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`),
			want: map[string]any{
				attrHTTPMethod: "GET", attrURLPath: "/", attrServerAddress: "my-app.example.com",
				attrClientAddress: "138.68.186.89", AttrRouterConnectMS: 0, AttrRouterServiceMS: 0,
				attrHTTPStatus: 200, attrHTTPBodySize: 0, attrURLScheme: "https",
				attrNetProtoName: "http", attrNetProtoVersion: "2", AttrRouterTLS: true,
				attrTLSProtoName: "tls", attrTLSProtoVersion: "1.3",
			},
			absent:   noErr,
			severity: plog.SeverityNumberInfo,
		},
		{
			name: "Router 2.0 tls_version=unknown (herokuapp.com) gives no tls.protocol attributes",
			line: router(`at=info method=POST path="/api/v1/items?page=2&sort=desc" host=my-app-1234567890ab.herokuapp.com request_id=0cbb2b1b fwd="2001:db8::1" dyno=web.2 connect=0ms service=12ms status=201 bytes=311 protocol=http1.1 tls=true tls_version=unknown`),
			want: map[string]any{
				attrHTTPMethod: "POST", attrURLPath: "/api/v1/items", attrURLQuery: "page=2&sort=desc",
				attrClientAddress: "2001:db8::1", AttrDynoName: "web.2", attrNetProtoVersion: "1.1",
				AttrRouterTLS: true, attrURLScheme: "https",
			},
			absent: []string{attrTLSProtoName, attrTLSProtoVersion},
		},
		{
			name:   "Router 2.0 plain http has tls=false and scheme http",
			line:   router(`at=info method=GET path="/health" host=www.example.com request_id=7a1 fwd=10.0.0.1 dyno=web.1 connect=0ms service=1ms status=204 bytes=0 protocol=http1.1 tls=false`),
			want:   map[string]any{AttrRouterTLS: false, attrURLScheme: "http", attrHTTPStatus: 204},
			absent: []string{attrTLSProtoName},
		},
		{
			name: "a forwarded-for list gives the first address as client.address and keeps the list in heroku.router.fwd",
			line: router(`at=info method=GET path="/" host=www.example.com request_id=abc fwd="58.6.203.42,54.239.202.42" dyno=web.1 connect=1ms service=5ms status=200 bytes=100 protocol=https`),
			want: map[string]any{attrClientAddress: "58.6.203.42", AttrRouterFwd: "58.6.203.42,54.239.202.42", attrURLScheme: "https", attrNetProtoName: "http"},
		},
		{
			name:     "an app 5xx is at=info with the real status and no error code",
			line:     router(`at=info method=GET path="/boom" host=www.example.com request_id=e1 fwd="1.2.3.4" dyno=web.3 connect=1ms service=40ms status=500 bytes=1450 protocol=https`),
			want:     map[string]any{attrHTTPStatus: 500, AttrRouterAt: "info"},
			absent:   noErr,
			severity: plog.SeverityNumberInfo,
		},
		{
			name: "a lower-case method is reported upper-case with the original kept",
			line: router(`at=info method=get path="/" host=www.example.com fwd="1.2.3.4" dyno=web.1 connect=1ms service=2ms status=200 bytes=3`),
			want: map[string]any{attrHTTPMethod: "GET", attrHTTPMethodOrig: "get"},
		},
		{
			name: "an unknown method is _OTHER with the original kept",
			line: router(`at=info method=PROPFIND path="/dav/" host=www.example.com fwd="1.2.3.4" dyno=web.1 connect=1ms service=2ms status=207 bytes=3`),
			want: map[string]any{attrHTTPMethod: "_OTHER", attrHTTPMethodOrig: "PROPFIND"},
		},
		{
			name:   "a 2012 line without request_id or protocol still gives the request fields",
			line:   "<158>1 2012-07-22T00:06:26-07:00 host heroku router - at=info method=GET path=/favicon.ico host=myapp.herokuapp.com fwd=\"24.6.114.233\" dyno=web.1 queue=0 wait=0ms connect=2ms service=3ms status=404 bytes=0",
			want:   map[string]any{attrURLPath: "/favicon.ico", attrHTTPStatus: 404, AttrDynoName: "web.1"},
			absent: []string{AttrRouterRequestID, attrURLScheme, attrNetProtoName},
		},
		{
			name: "the 2010 legacy form gives code, name, method, host, path and timings",
			line: "<158>1 2010-10-06T21:51:04-07:00 host heroku router - Error H12 (Request timeout) -> GET myapp.heroku.com/users?page=3 dyno=web.1 queue=0 wait=0ms service=30000ms bytes=0",
			want: with(hErr("H12", "Request timeout"),
				attrHTTPMethod, "GET", attrServerAddress, "myapp.heroku.com", attrURLPath, "/users", attrURLQuery, "page=3",
				AttrDynoName, "web.1", AttrRouterServiceMS, 30000, attrHTTPBodySize, 0),
			absent:   []string{AttrRouterAt, attrHTTPStatus, attrClientAddress},
			severity: plog.SeverityNumberError,
		},
		{
			name:     "a legacy request line without an error is an info request",
			line:     "<158>1 2010-10-06T21:51:04-07:00 host heroku router - GET myapp.heroku.com/ dyno=web.1 queue=0 wait=0ms service=13ms status=200 bytes=2153",
			want:     map[string]any{attrHTTPMethod: "GET", attrServerAddress: "myapp.heroku.com", attrURLPath: "/", attrHTTPStatus: 200, AttrRouterServiceMS: 13},
			absent:   noErr,
			severity: plog.SeverityNumberInfo,
		},
	})
}

func TestRouterErrorCodes(t *testing.T) {
	const req = `method=GET path="/" host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="17.17.17.17"`
	runLineCases(t, []lineCase{
		{
			name:     "H10 app crashed: empty dyno, connect and service are absent, status 503",
			line:     router(`at=error code=H10 desc="App crashed" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want:     with(hErr("H10", "App crashed"), attrHTTPStatus, 503, AttrRouterAt, "error"),
			absent:   []string{AttrDynoName, AttrDynoType, AttrRouterConnectMS, AttrRouterServiceMS, attrHTTPBodySize},
			severity: plog.SeverityNumberError,
		},
		{
			name:     "H11 backlog too deep",
			line:     router(`at=error code=H11 desc="Backlog too deep" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want:     with(hErr("H11", "Backlog too deep"), attrHTTPStatus, 503),
			severity: plog.SeverityNumberError,
		},
		{
			name:     "H12 request timeout keeps service=30000ms",
			line:     router(`at=error code=H12 desc="Request timeout" ` + req + ` dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https`),
			want:     with(hErr("H12", "Request timeout"), AttrRouterServiceMS, 30000, AttrDynoName, "web.1", AttrDynoType, "web"),
			severity: plog.SeverityNumberError,
		},
		{
			name: "H13 connection closed without response",
			line: router(`at=error code=H13 desc="Connection closed without response" ` + req + ` dyno=web.1 connect=3030ms service=9767ms status=503 bytes=0 protocol=https`),
			want: with(hErr("H13", "Connection closed without response"), AttrRouterConnectMS, 3030),
		},
		{
			name: "H14 uses the logged desc, not the renamed title",
			line: router(`at=error code=H14 desc="No web processes running" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want: hErr("H14", "No web processes running"),
		},
		{
			name:   "H15 idle connection",
			line:   router(`at=error code=H15 desc="Idle connection" dyno=web.1 connect=1ms service=55449ms status=503 bytes=18`),
			want:   with(hErr("H15", "Idle connection"), AttrRouterServiceMS, 55449, attrHTTPBodySize, 18),
			absent: []string{attrHTTPMethod, attrURLPath},
		},
		{
			name: "H17 poorly formatted HTTP response",
			line: router(`at=error code=H17 desc="Poorly formatted HTTP response" ` + req + ` dyno=web.1 connect=1ms service=1ms status=503 bytes=0 protocol=https`),
			want: hErr("H17", "Poorly formatted HTTP response"),
		},
		{
			name:     "H18 has sock=backend before at=",
			line:     router(`sock=backend at=error code=H18 desc="Server Request Interrupted" ` + req + ` dyno=web.1 connect=1ms service=2ms status=503 bytes=`),
			want:     with(hErr("H18", "Server Request Interrupted"), AttrRouterSock, "backend", AttrRouterAt, "error"),
			severity: plog.SeverityNumberError,
		},
		{
			name:   "H19 backend connection timeout has connect but no service",
			line:   router(`at=error code=H19 desc="Backend connection timeout" ` + req + ` dyno=web.1 connect=5001ms service= status=503 bytes=`),
			want:   with(hErr("H19", "Backend connection timeout"), AttrRouterConnectMS, 5001),
			absent: []string{AttrRouterServiceMS},
		},
		{
			name: "H20 app boot timeout",
			line: router(`at=error code=H20 desc="App boot timeout" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want: hErr("H20", "App boot timeout"),
		},
		{
			name: "H21 backend connection refused",
			line: router(`at=error code=H21 desc="Backend connection refused" ` + req + ` dyno=web.1 connect=1ms service= status=503 bytes=`),
			want: hErr("H21", "Backend connection refused"),
		},
		{
			name: "H22 connection limit reached",
			line: router(`at=error code=H22 desc="Connection limit reached" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want: hErr("H22", "Connection limit reached"),
		},
		{
			name: "H23 endpoint misconfigured",
			line: router(`at=error code=H23 desc="Endpoint misconfigured" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want: hErr("H23", "Endpoint misconfigured"),
		},
		{
			name:   "H24 forced close has an empty status, so no status code attribute",
			line:   router(`at=error code=H24 desc="Forced close" ` + req + ` dyno=web.1 connect=1ms service=80000ms status= bytes=18`),
			want:   with(hErr("H24", "Forced close"), AttrRouterServiceMS, 80000),
			absent: []string{attrHTTPStatus},
		},
		{
			name: "H25 takes the variant from desc and reads bare connect=0 service=2",
			line: router(`at=error code=H25 desc="HTTP restriction: oversized cookie" ` + req + ` dyno= connect=0 service=2 status=502 bytes=`),
			want: with(hErr("H25", "HTTP restriction: oversized cookie"), AttrRouterConnectMS, 0, AttrRouterServiceMS, 2, attrHTTPStatus, 502),
		},
		{
			name: "H26 keeps its cause",
			line: router(`at=error code=H26 desc="Request Error" cause="unsupported expect header value" ` + req + ` dyno= connect= service= status=417 bytes=`),
			want: with(hErr("H26", "Request Error"), AttrRouterCause, "unsupported expect header value", attrHTTPStatus, 417),
		},
		{
			name:     "H27 is a client-side warning with sock=client",
			line:     router(`sock=client at=warning code=H27 desc="Client Request Interrupted" method=POST path="/submit/" host=myapp.herokuapp.com request_id=9a1 fwd="17.17.17.17" dyno=web.1 connect=1ms service=0ms status=499 bytes=0`),
			want:     with(hErr("H27", "Client Request Interrupted"), AttrRouterSock, "client", AttrRouterAt, "warning", attrHTTPStatus, 499, attrHTTPMethod, "POST"),
			severity: plog.SeverityNumberWarn,
		},
		{
			name:     "H28 client connection idle is a warning",
			line:     router(`at=warning code=H28 desc="Client Connection Idle" ` + req + ` dyno=web.1 connect=1ms service=55449ms status=499 bytes=18`),
			want:     hErr("H28", "Client Connection Idle"),
			severity: plog.SeverityNumberWarn,
		},
		{
			name: "H31 misdirected request keeps the user agent",
			line: router(`at=error code=H31 desc="Misdirected Request" ` + req + ` dyno= connect= service= status=421 bytes= agent="curl/8.4.0" protocol=http2.0 tls=true tls_version=tls1.3`),
			want: with(hErr("H31", "Misdirected Request"), attrUserAgent, "curl/8.4.0", attrHTTPStatus, 421, attrTLSProtoVersion, "1.3"),
		},
		{
			name:     "H80 maintenance mode is at=info with a code, reported as a warning",
			line:     router(`at=info code=H80 desc="Maintenance mode" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want:     with(hErr("H80", "Maintenance mode"), AttrRouterAt, "info"),
			severity: plog.SeverityNumberWarn,
		},
		{
			name:     "H81 blank app",
			line:     router(`at=info code=H81 desc="Blank app" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want:     hErr("H81", "Blank app"),
			severity: plog.SeverityNumberWarn,
		},
		{
			name:     "H82 free dyno quota keeps the logged desc",
			line:     router(`at=info code=H82 desc="You've used up your dyno hour pool" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want:     hErr("H82", "You've used up your dyno hour pool"),
			severity: plog.SeverityNumberWarn,
		},
		{
			name: "H99 platform error",
			line: router(`at=error code=H99 desc="Platform error" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want: hErr("H99", "Platform error"),
		},
		{
			name: "a code without desc= gets Heroku's name for it",
			line: router(`at=error code=H12 ` + req + ` dyno=web.1 connect=0ms service=30000ms status=503 bytes=0`),
			want: hErr("H12", "Request timeout"),
		},
		{
			name: "a code Heroku adds later is kept, with its logged desc",
			line: router(`at=error code=H42 desc="Something new" ` + req + ` dyno= connect= service= status=503 bytes=`),
			want: hErr("H42", "Something new"),
		},
	})
}

func TestHTTPMethod(t *testing.T) {
	for in, want := range map[string][2]any{
		"GET": {"GET", true}, "QUERY": {"QUERY", true}, "options": {"OPTIONS", false},
		"Patch": {"PATCH", false}, "PROPFIND": {"", false}, "GETX": {"", false}, "": {"", false},
	} {
		m, exact := httpMethod([]byte(in))
		if m != want[0] || exact != want[1] {
			t.Errorf("httpMethod(%q) = %q, %v; want %v", in, m, exact, want)
		}
	}
}

func TestTLSProtocolSplitsNameAndVersion(t *testing.T) {
	s := &lineStrings{}
	for in, want := range map[string][2]string{
		"tls1.3": {"tls", "1.3"}, "tls1.2": {"tls", "1.2"}, "ssl3.0": {"ssl", "3.0"},
		"TLSv1.3": {"tls", "1.3"}, "unknown": {"", ""}, "": {"", ""}, "tls": {"tls", ""},
	} {
		n, v := tlsProtocol(s, []byte(in))
		if n != want[0] || v != want[1] {
			t.Errorf("tlsProtocol(%q) = %q, %q; want %q", in, n, v, want)
		}
	}
}
