package heroku

import (
	"strconv"
	"testing"
)

// rw is Router as strings; numbers are written "" when absent so that
// "connect=0ms" (0) and "connect=" ("") differ in the table.
type rw struct {
	legacy              bool
	sock, at, code      string
	desc, cause         string
	method, path, query string
	host, reqID         string
	fwd, clientIP, dyno string
	connect, service    string
	status, bytes       string
	protocol, tls, tlsV string
	agent               string
	severity            Severity
}

func optInt(v int, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.Itoa(v)
}

func routerGot(r *Router) rw {
	tls := ""
	if r.HasTLS {
		tls = strconv.FormatBool(r.TLS)
	}
	return rw{
		legacy: r.Legacy, sock: string(r.Sock), at: string(r.At), code: r.Code.String(),
		desc: string(r.Desc), cause: string(r.Cause),
		method: string(r.Method), path: string(r.Path), query: string(r.Query),
		host: string(r.Host), reqID: string(r.RequestID),
		fwd: string(r.Fwd), clientIP: string(r.ClientIP), dyno: string(r.Dyno),
		connect: optInt(r.Connect, r.HasConnect), service: optInt(r.Service, r.HasService),
		status: optInt(r.Status, r.HasStatus), bytes: optInt(r.Bytes, r.HasBytes),
		protocol: string(r.Protocol), tls: tls, tlsV: string(r.TLSVersion), agent: string(r.Agent),
		severity: r.Severity(),
	}
}

func TestParseRouterReadsEveryRouterForm(t *testing.T) {
	// The first two lines are quoted exactly from Heroku's router article. The error
	// lines are built from the traits the error-code article gives, which
	// only lists the distinctive fields; the rest (host, fwd, path) are
	// plausible completions in Heroku's field order.
	tests := []struct {
		name string
		msg  string
		want rw
	}{
		{"legacy router drain example",
			`at=info method=GET path=/ host=example-app-1234567890ab.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 tls_version=tls1.1 protocol=http`,
			rw{at: "info", method: "GET", path: "/", host: "example-app-1234567890ab.herokuapp.com", reqID: "8601b555-6a83-4c12-8269-97c8e32cdb22",
				fwd: "204.204.204.204", clientIP: "204.204.204.204", dyno: "web.1", connect: "1", service: "18", status: "200", bytes: "13",
				tlsV: "tls1.1", protocol: "http", severity: SeverityInfo}},
		{"Router 2.0 with trailing tls fields",
			`at=info method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`,
			rw{at: "info", method: "GET", path: "/", host: "my-app.example.com", reqID: "6903a168-b79b-ec27-03c8-b8f64d8d8792",
				fwd: "138.68.186.89", clientIP: "138.68.186.89", dyno: "web.1", connect: "0", service: "0", status: "200", bytes: "0",
				protocol: "http2.0", tls: "true", tlsV: "tls1.3", severity: SeverityInfo}},
		{"Router 2.0 plain http has tls=false and no version",
			`at=info method=POST path="/api/v1/items" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.2 connect=0ms service=12ms status=201 bytes=48 protocol=http1.1 tls=false`,
			rw{at: "info", method: "POST", path: "/api/v1/items", host: "my-app.example.com", reqID: "6903a168-b79b-ec27-03c8-b8f64d8d8792",
				fwd: "138.68.186.89", clientIP: "138.68.186.89", dyno: "web.2", connect: "0", service: "12", status: "201", bytes: "48",
				protocol: "http1.1", tls: "false", severity: SeverityInfo}},
		{"quoted path keeps = and & and splits the query",
			`at=info method=GET path="/search?q=a=b&page=2&x=%2F" host=example.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="58.6.203.42,54.239.202.42" dyno=web.1 connect=1ms service=5ms status=200 bytes=512 protocol=https`,
			rw{at: "info", method: "GET", path: "/search", query: "q=a=b&page=2&x=%2F", host: "example.herokuapp.com", reqID: "8601b555-6a83-4c12-8269-97c8e32cdb22",
				fwd: "58.6.203.42,54.239.202.42", clientIP: "58.6.203.42", dyno: "web.1", connect: "1", service: "5", status: "200", bytes: "512",
				protocol: "https", severity: SeverityInfo}},
		{"IPv6 list in fwd gives the first address trimmed",
			`at=info method=GET path="/" host=example.herokuapp.com request_id=abc fwd="2001:db8::1, 10.0.0.1" dyno=web.1 connect=1ms service=2ms status=304 bytes=0 protocol=https`,
			rw{at: "info", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "abc",
				fwd: "2001:db8::1, 10.0.0.1", clientIP: "2001:db8::1", dyno: "web.1", connect: "1", service: "2", status: "304", bytes: "0",
				protocol: "https", severity: SeverityInfo}},
		{"2012 line without request_id or protocol",
			`at=info method=GET path=/favicon.ico host=example.herokuapp.com fwd="1.2.3.4" dyno=web.1 queue=0 wait=0ms connect=1ms service=3ms status=404 bytes=0`,
			rw{at: "info", method: "GET", path: "/favicon.ico", host: "example.herokuapp.com", fwd: "1.2.3.4", clientIP: "1.2.3.4",
				dyno: "web.1", connect: "1", service: "3", status: "404", bytes: "0", severity: SeverityInfo}},
		{"app 5xx stays info and exposes the status",
			`at=info method=GET path="/boom" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=0ms service=41ms status=500 bytes=1477 protocol=https`,
			rw{at: "info", method: "GET", path: "/boom", host: "example.herokuapp.com", reqID: "r1", fwd: "1.2.3.4", clientIP: "1.2.3.4",
				dyno: "web.1", connect: "0", service: "41", status: "500", bytes: "1477", protocol: "https", severity: SeverityInfo}},
		{"H10 has empty dyno and timings",
			`at=error code=H10 desc="App crashed" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect= service= status=503 bytes= protocol=https`,
			rw{at: "error", code: "H10", desc: "App crashed", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", status: "503", protocol: "https", severity: SeverityError}},
		{"H12 timeout at 30000ms",
			`at=error code=H12 desc="Request timeout" method=GET path="/slow" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0 protocol=https`,
			rw{at: "error", code: "H12", desc: "Request timeout", method: "GET", path: "/slow", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", dyno: "web.1", connect: "1", service: "30000", status: "503", bytes: "0", protocol: "https", severity: SeverityError}},
		{"H14 desc still says processes",
			`at=error code=H14 desc="No web processes running" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect= service= status=503 bytes= protocol=https`,
			rw{at: "error", code: "H14", desc: "No web processes running", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", status: "503", protocol: "https", severity: SeverityError}},
		{"H18 comes with sock=backend before at",
			`sock=backend at=error code=H18 desc="Server Request Interrupted" method=POST path="/upload" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=10ms status=503 bytes= protocol=https`,
			rw{sock: "backend", at: "error", code: "H18", desc: "Server Request Interrupted", method: "POST", path: "/upload", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", dyno: "web.1", connect: "1", service: "10", status: "503", protocol: "https", severity: SeverityError}},
		{"H19 has connect but empty service",
			`at=error code=H19 desc="Backend connection timeout" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=5001ms service= status=503 bytes= protocol=https`,
			rw{at: "error", code: "H19", desc: "Backend connection timeout", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", dyno: "web.1", connect: "5001", status: "503", protocol: "https", severity: SeverityError}},
		{"H24 has an empty status",
			`at=error code=H24 desc="Forced close" method=GET path="/stream" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=80000ms status= bytes=18 protocol=https`,
			rw{at: "error", code: "H24", desc: "Forced close", method: "GET", path: "/stream", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", dyno: "web.1", connect: "1", service: "80000", bytes: "18", protocol: "https", severity: SeverityError}},
		{"H25 has timings without ms",
			`at=error code=H25 desc="HTTP restriction: oversized cookie" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect=0 service=2 status=502 bytes= protocol=https`,
			rw{at: "error", code: "H25", desc: "HTTP restriction: oversized cookie", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", connect: "0", service: "2", status: "502", protocol: "https", severity: SeverityError}},
		{"H26 has a cause",
			`at=error code=H26 desc="Request Error" cause="unsupported expect header value" method=PUT path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect= service= status=417 bytes= protocol=https`,
			rw{at: "error", code: "H26", desc: "Request Error", cause: "unsupported expect header value", method: "PUT", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", status: "417", protocol: "https", severity: SeverityError}},
		{"H27 is a client-side warning",
			`sock=client at=warning code=H27 desc="Client Request Interrupted" method=POST path="/submit/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=0ms status=499 bytes=0 protocol=https`,
			rw{sock: "client", at: "warning", code: "H27", desc: "Client Request Interrupted", method: "POST", path: "/submit/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", dyno: "web.1", connect: "1", service: "0", status: "499", bytes: "0", protocol: "https", severity: SeverityWarn}},
		{"H28 is a warning",
			`at=warning code=H28 desc="Client Connection Idle" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno=web.1 connect=1ms service=55000ms status=499 bytes=0 protocol=https`,
			rw{at: "warning", code: "H28", desc: "Client Connection Idle", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", dyno: "web.1", connect: "1", service: "55000", status: "499", bytes: "0", protocol: "https", severity: SeverityWarn}},
		{"H31 carries the agent",
			`at=error code=H31 desc="Misdirected Request" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect= service= status=421 bytes= protocol=https agent="curl/8.4.0"`,
			rw{at: "error", code: "H31", desc: "Misdirected Request", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", status: "421", protocol: "https", agent: "curl/8.4.0", severity: SeverityError}},
		{"H80 is logged at=info but is a refused request",
			`at=info code=H80 desc="Maintenance mode" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect= service= status=503 bytes= protocol=https`,
			rw{at: "info", code: "H80", desc: "Maintenance mode", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", status: "503", protocol: "https", severity: SeverityWarn}},
		{"H81 blank app",
			`at=info code=H81 desc="Blank app" method=GET path="/" host=example.herokuapp.com request_id=r1 fwd="1.2.3.4" dyno= connect= service= status=503 bytes= protocol=https`,
			rw{at: "info", code: "H81", desc: "Blank app", method: "GET", path: "/", host: "example.herokuapp.com", reqID: "r1",
				fwd: "1.2.3.4", clientIP: "1.2.3.4", status: "503", protocol: "https", severity: SeverityWarn}},
		{"legacy 2010 error form",
			`Error H12 (Request timeout) -> GET host/path dyno=web.1 queue=0 wait=0ms service=0ms bytes=0`,
			rw{legacy: true, code: "H12", desc: "Request timeout", method: "GET", host: "host", path: "/path", dyno: "web.1",
				service: "0", bytes: "0", severity: SeverityError}},
		// Plausible 2010 non-error line: the same layout without the Error prefix.
		{"legacy 2010 request form",
			`GET example.heroku.com/posts?page=2 dyno=web.1 queue=0 wait=0ms service=12ms status=200 bytes=1234`,
			rw{legacy: true, method: "GET", host: "example.heroku.com", path: "/posts", query: "page=2", dyno: "web.1",
				service: "12", status: "200", bytes: "1234", severity: SeverityInfo}},
		{"legacy error without a request part",
			`Error H99 (Platform error)`,
			rw{legacy: true, code: "H99", desc: "Platform error", severity: SeverityError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Router
			if !ParseRouter([]byte(tt.msg), &r) {
				t.Fatalf("ParseRouter(%q) not recognised", tt.msg)
			}
			if got := routerGot(&r); got != tt.want {
				t.Errorf("ParseRouter(%q)\n got %+v\nwant %+v", tt.msg, got, tt.want)
			}
		})
	}
}

func TestParseRouterRejectsNonRouterText(t *testing.T) {
	for _, msg := range []string{"", "hello world", "dyno=web.1 bytes=3", "Error Hxx (oops)", "GET nothing"} {
		var r Router
		if ParseRouter([]byte(msg), &r) {
			t.Errorf("ParseRouter(%q) recognised: %+v", msg, routerGot(&r))
		}
	}
}

func TestRouterProtocolHelpersGiveOTelNamesAndScheme(t *testing.T) {
	tests := []struct {
		kv                    string
		name, version, scheme string
	}{
		{"protocol=http", "http", "", "http"},
		{"protocol=https", "http", "", "https"},
		{"protocol=http1.1 tls=true", "http", "1.1", "https"},
		{"protocol=http2.0 tls=true", "http", "2", "https"},
		{"protocol=http1.1 tls=false", "http", "1.1", "http"},
		{"protocol=http1.1", "http", "1.1", ""},
		{"protocol=spdy", "", "", ""},
		{"tls=true", "", "", "https"},
	}
	for _, tt := range tests {
		var r Router
		ParseRouter([]byte("at=info "+tt.kv), &r)
		name, version := r.NetworkProtocol()
		if name != tt.name || version != tt.version || r.Scheme() != tt.scheme {
			t.Errorf("%s: got %q %q %q, want %q %q %q", tt.kv, name, version, r.Scheme(), tt.name, tt.version, tt.scheme)
		}
	}
}

func TestParseRouterDoesNotAllocate(t *testing.T) {
	msg := []byte(`at=info method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=0ms status=200 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3`)
	var r Router
	n := testing.AllocsPerRun(100, func() {
		ParseRouter(msg, &r)
		r.NetworkProtocol()
		r.Scheme()
		r.Severity()
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func FuzzRouter(f *testing.F) {
	for _, s := range []string{
		`at=info method=GET path="/a?b=c" host=h request_id=r fwd="1.2.3.4, ::1" dyno=web.1 connect=1ms service=2ms status=200 bytes=3 protocol=http2.0 tls=true tls_version=tls1.3`,
		`sock=client at=warning code=H27 desc="Client Request Interrupted" method=POST path="/" status= bytes=`,
		`Error H12 (Request timeout) -> GET host/path dyno=web.1 queue=0 wait=0ms service=0ms bytes=0`,
		`Error H12 (`, `GET a/ b`, `path="unterminated`, `connect=99999999999999999999ms`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		var r Router
		ParseRouter(msg, &r)
		for _, b := range [][]byte{r.Sock, r.At, r.Desc, r.Cause, r.Method, r.Path, r.Query, r.Host, r.RequestID,
			r.Fwd, r.ClientIP, r.Dyno, r.Protocol, r.TLSVersion, r.Agent} {
			if !within(b, msg) {
				t.Fatalf("field %q not within input %q", b, msg)
			}
		}
		if !within(r.ClientIP, r.Fwd) {
			t.Fatalf("client ip %q not within fwd %q", r.ClientIP, r.Fwd)
		}
		if r.Connect < 0 || r.Service < 0 || r.Status < 0 || r.Bytes < 0 {
			t.Fatalf("negative number in %+v", r)
		}
		if r.Code != 0 && r.Code.Letter() == 0 {
			t.Fatalf("bad code %v", r.Code)
		}
		r.NetworkProtocol()
		r.Scheme()
		r.Severity()
	})
}
