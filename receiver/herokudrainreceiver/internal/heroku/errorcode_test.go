package heroku

import "testing"

func TestErrorCodeTableMatchesReference(t *testing.T) {
	// Every code Heroku documents (docs/heroku-formats.md, "Error codes"), with
	// the emitter and default level.
	tests := []struct {
		code string
		name string
		comp Component
		sev  Severity
	}{
		{"H10", "App crashed", ComponentRouter, SeverityError},
		{"H11", "Backlog too deep", ComponentRouter, SeverityError},
		{"H12", "Request timeout", ComponentRouter, SeverityError},
		{"H13", "Connection closed without response", ComponentRouter, SeverityError},
		{"H14", "No web dynos running", ComponentRouter, SeverityError},
		{"H15", "Idle connection", ComponentRouter, SeverityError},
		{"H16", "Redirect to herokuapp.com (no longer in use)", ComponentRouter, SeverityError},
		{"H17", "Poorly formatted HTTP response", ComponentRouter, SeverityError},
		{"H18", "Server Request Interrupted", ComponentRouter, SeverityError},
		{"H19", "Backend connection timeout", ComponentRouter, SeverityError},
		{"H20", "App boot timeout", ComponentRouter, SeverityError},
		{"H21", "Backend connection refused", ComponentRouter, SeverityError},
		{"H22", "Connection limit reached", ComponentRouter, SeverityError},
		{"H23", "Endpoint misconfigured", ComponentRouter, SeverityError},
		{"H24", "Forced close", ComponentRouter, SeverityError},
		{"H25", "HTTP Restriction", ComponentRouter, SeverityError},
		{"H26", "Request Error", ComponentRouter, SeverityError},
		{"H27", "Client Request Interrupted", ComponentRouter, SeverityWarn},
		{"H28", "Client Connection Idle", ComponentRouter, SeverityWarn},
		{"H31", "Misdirected Request", ComponentRouter, SeverityError},
		{"H32", "TLS Certificate Mismatch", ComponentRouter, SeverityError},
		{"H80", "Maintenance mode", ComponentRouter, SeverityInfo},
		{"H81", "Blank app", ComponentRouter, SeverityInfo},
		{"H82", "Free dyno quota exhausted", ComponentRouter, SeverityInfo},
		{"H83", "Planned Service Degradation", ComponentRouter, SeverityInfo},
		{"H99", "Platform error", ComponentRouter, SeverityError},
		{"R10", "Boot timeout", ComponentDyno, SeverityError},
		{"R11", "Bad bind", ComponentDyno, SeverityError},
		{"R12", "Exit timeout", ComponentDyno, SeverityError},
		{"R13", "Attach error", ComponentDyno, SeverityError},
		{"R14", "Memory quota exceeded", ComponentDyno, SeverityWarn},
		{"R15", "Memory quota vastly exceeded", ComponentDyno, SeverityError},
		{"R16", "Detached", ComponentDyno, SeverityError},
		{"R17", "Checksum error", ComponentDyno, SeverityError},
		{"R99", "Platform error", ComponentDyno, SeverityError},
		{"L10", "Drain buffer overflow", ComponentLogplex, SeverityWarn},
		{"L11", "Tail buffer overflow", ComponentLogplex, SeverityWarn},
		{"L12", "Local buffer overflow", ComponentLogShuttle, SeverityWarn},
		{"L13", "Local delivery error", ComponentLogShuttle, SeverityWarn},
		{"L14", "Certificate validation error", ComponentLogplex, SeverityError},
		{"L15", "Tail buffer temporarily unavailable", ComponentLogplex, SeverityWarn},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, ok := ParseErrorCode([]byte(tt.code))
			if !ok || c.info() == nil {
				t.Fatalf("ParseErrorCode(%q) = %v, %v; known=%v", tt.code, c, ok, c.info() != nil)
			}
			if c.String() != tt.code || c.Name() != tt.name || c.Component() != tt.comp || c.Severity() != tt.sev {
				t.Errorf("got %s %q %v %v, want %s %q %v %v", c, c.Name(), c.Component(), c.Severity(), tt.code, tt.name, tt.comp, tt.sev)
			}
		})
	}
	// Count the table so a missing or extra entry is noticed.
	n := 0
	for _, l := range []byte("HRL") {
		for i := 0; i < 100; i++ {
			if NewErrorCode(l, i).info() != nil {
				n++
			}
		}
	}
	if n != len(tests) {
		t.Errorf("table has %d codes, test lists %d", n, len(tests))
	}
}

func TestUnknownButWellFormedCodesAreKeptAsErrors(t *testing.T) {
	c, ok := ParseErrorCode([]byte("H42"))
	if !ok || c.info() != nil || c.String() != "H42" || c.Component() != ComponentRouter || c.Severity() != SeverityError || c.Name() != "" {
		t.Errorf("H42: %v %v known=%v %s %v %v", c, ok, c.info() != nil, c, c.Component(), c.Severity())
	}
	if c.Letter() != 'H' || c.Num() != 42 {
		t.Errorf("H42 letter/num = %c %d", c.Letter(), c.Num())
	}
}

func TestMalformedCodesAreRejected(t *testing.T) {
	for _, s := range []string{"", "H", "H1", "H123", "X12", "h12", "H1x", "12H"} {
		if c, ok := ParseErrorCode([]byte(s)); ok || c != 0 {
			t.Errorf("ParseErrorCode(%q) = %v, %v", s, c, ok)
		}
	}
	var zero ErrorCode
	if zero.String() != "" || zero.info() != nil || zero.Severity() != SeverityUnset || zero.Component() != ComponentUnknown {
		t.Error("zero code should be empty")
	}
}

func TestErrorCodeLookupDoesNotAllocate(t *testing.T) {
	b := []byte("R14")
	allocs := testing.AllocsPerRun(100, func() {
		c, _ := ParseErrorCode(b)
		_ = c.Name()
		_ = c.String()
		_ = c.Severity()
		_ = c.Component()
	})
	if allocs != 0 {
		t.Errorf("allocs = %v", allocs)
	}
}
