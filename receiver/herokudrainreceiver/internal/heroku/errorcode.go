package heroku

// Component names the Heroku subsystem that emitted a line or owns an error
// code. Its String is the label the receiver puts on records and metrics.
type Component uint8

// Components. ComponentLogShuttle owns L12/L13 (the dyno-side forwarder,
// whose lines arrive as "app log-shuttle").
const (
	ComponentUnknown Component = iota
	ComponentRouter
	ComponentDyno
	ComponentAPI
	ComponentLogplex
	ComponentLogShuttle
	ComponentApp
	ComponentPostgres
	ComponentRedis
)

var componentNames = [...]string{"", "router", "dyno", "api", "logplex", "log-shuttle", "app", "postgres", "redis"}

// String returns the component label ("router", "log-shuttle", …), or "" if unknown.
func (c Component) String() string {
	if int(c) < len(componentNames) {
		return componentNames[c]
	}
	return ""
}

// ErrorCode is a Heroku error code such as H12, R14 or L10, packed as
// letter<<8 | number so it is comparable, switchable and free to copy.
// The zero value means "no code".
type ErrorCode uint16

// NewErrorCode packs a letter ('H', 'R' or 'L') and a number 0–99.
func NewErrorCode(letter byte, num int) ErrorCode {
	if num < 0 || num > 99 || (letter != 'H' && letter != 'R' && letter != 'L') {
		return 0
	}
	return ErrorCode(uint16(letter)<<8 | uint16(num))
}

// ParseErrorCode reads a code of the form letter + two digits ("H12").
// It accepts any H/R/L code with two digits, known or not, so a code Heroku
// adds later still reaches the receiver; Known tells them apart.
func ParseErrorCode(b []byte) (ErrorCode, bool) {
	if len(b) != 3 || b[1] < '0' || b[1] > '9' || b[2] < '0' || b[2] > '9' {
		return 0, false
	}
	c := NewErrorCode(b[0], int(b[1]-'0')*10+int(b[2]-'0'))
	return c, c != 0
}

// Letter returns 'H', 'R', 'L', or 0 for the zero code.
func (c ErrorCode) Letter() byte { return byte(c >> 8) }

// Num returns the numeric part (12 for H12).
func (c ErrorCode) Num() int { return int(c & 0xff) }

// String returns the code as written in logs ("H12"), or "" for the zero code.
// Known codes return a constant string, so the common path does not allocate.
func (c ErrorCode) String() string {
	if info := c.info(); info != nil {
		return info.code
	}
	if c == 0 {
		return ""
	}
	n := c.Num()
	return string([]byte{c.Letter(), byte('0' + n/10), byte('0' + n%10)})
}

// Known reports whether the code is in Heroku's published table.
func (c ErrorCode) Known() bool { return c.info() != nil }

// Name returns Heroku's title for the code ("Request timeout"), or "".
func (c ErrorCode) Name() string {
	if info := c.info(); info != nil {
		return info.name
	}
	return ""
}

// Component returns who emits the code: router for H, dyno for R, logplex or
// log-shuttle for L. Unknown codes fall back to their letter's emitter.
func (c ErrorCode) Component() Component {
	if info := c.info(); info != nil {
		return info.comp
	}
	switch c.Letter() {
	case 'H':
		return ComponentRouter
	case 'R':
		return ComponentDyno
	case 'L':
		return ComponentLogplex
	}
	return ComponentUnknown
}

// Severity returns the code's default severity: what the emitter's own level
// says (router at=, Heroku's docs). Unknown codes default to error because
// Heroku only assigns codes to failures.
func (c ErrorCode) Severity() Severity {
	if info := c.info(); info != nil {
		return info.sev
	}
	if c == 0 {
		return SeverityUnset
	}
	return SeverityError
}

type codeInfo struct {
	code string
	name string
	comp Component
	sev  Severity
}

func (c ErrorCode) info() *codeInfo {
	n := c.Num()
	if n > 99 {
		return nil
	}
	var info *codeInfo
	switch c.Letter() {
	case 'H':
		info = &hCodes[n]
	case 'R':
		info = &rCodes[n]
	case 'L':
		info = &lCodes[n]
	default:
		return nil
	}
	if info.code == "" {
		return nil
	}
	return info
}

// The tables follow Heroku's error-code article (reference §2.2). Index = number.
var hCodes = [100]codeInfo{
	10: {"H10", "App crashed", ComponentRouter, SeverityError},
	11: {"H11", "Backlog too deep", ComponentRouter, SeverityError},
	12: {"H12", "Request timeout", ComponentRouter, SeverityError},
	13: {"H13", "Connection closed without response", ComponentRouter, SeverityError},
	14: {"H14", "No web dynos running", ComponentRouter, SeverityError},
	15: {"H15", "Idle connection", ComponentRouter, SeverityError},
	16: {"H16", "Redirect to herokuapp.com (no longer in use)", ComponentRouter, SeverityError},
	17: {"H17", "Poorly formatted HTTP response", ComponentRouter, SeverityError},
	18: {"H18", "Server Request Interrupted", ComponentRouter, SeverityError},
	19: {"H19", "Backend connection timeout", ComponentRouter, SeverityError},
	20: {"H20", "App boot timeout", ComponentRouter, SeverityError},
	21: {"H21", "Backend connection refused", ComponentRouter, SeverityError},
	22: {"H22", "Connection limit reached", ComponentRouter, SeverityError},
	23: {"H23", "Endpoint misconfigured", ComponentRouter, SeverityError},
	24: {"H24", "Forced close", ComponentRouter, SeverityError},
	25: {"H25", "HTTP Restriction", ComponentRouter, SeverityError},
	26: {"H26", "Request Error", ComponentRouter, SeverityError},
	27: {"H27", "Client Request Interrupted", ComponentRouter, SeverityWarn},
	28: {"H28", "Client Connection Idle", ComponentRouter, SeverityWarn},
	31: {"H31", "Misdirected Request", ComponentRouter, SeverityError},
	32: {"H32", "TLS Certificate Mismatch", ComponentRouter, SeverityError},
	80: {"H80", "Maintenance mode", ComponentRouter, SeverityInfo},
	81: {"H81", "Blank app", ComponentRouter, SeverityInfo},
	82: {"H82", "Free dyno quota exhausted", ComponentRouter, SeverityInfo},
	// H83's line format is unverified; it is grouped with the at=info
	// platform-state codes H80–H82, which Sumo also lists next to it.
	83: {"H83", "Planned Service Degradation", ComponentRouter, SeverityInfo},
	99: {"H99", "Platform error", ComponentRouter, SeverityError},
}

var rCodes = [100]codeInfo{
	10: {"R10", "Boot timeout", ComponentDyno, SeverityError},
	11: {"R11", "Bad bind", ComponentDyno, SeverityError},
	12: {"R12", "Exit timeout", ComponentDyno, SeverityError},
	13: {"R13", "Attach error", ComponentDyno, SeverityError},
	// R14 only reports that the dyno swaps; nothing is killed, so it warns.
	// R15 means the dyno is being killed.
	14: {"R14", "Memory quota exceeded", ComponentDyno, SeverityWarn},
	15: {"R15", "Memory quota vastly exceeded", ComponentDyno, SeverityError},
	16: {"R16", "Detached", ComponentDyno, SeverityError},
	17: {"R17", "Checksum error", ComponentDyno, SeverityError},
	99: {"R99", "Platform error", ComponentDyno, SeverityError},
}

// L codes mean lost or delayed log lines, not a broken app: warn, except
// L14 which stops a syslog+tls drain entirely.
var lCodes = [100]codeInfo{
	10: {"L10", "Drain buffer overflow", ComponentLogplex, SeverityWarn},
	11: {"L11", "Tail buffer overflow", ComponentLogplex, SeverityWarn},
	12: {"L12", "Local buffer overflow", ComponentLogShuttle, SeverityWarn},
	13: {"L13", "Local delivery error", ComponentLogShuttle, SeverityWarn},
	14: {"L14", "Certificate validation error", ComponentLogplex, SeverityError},
	15: {"L15", "Tail buffer temporarily unavailable", ComponentLogplex, SeverityWarn},
}
