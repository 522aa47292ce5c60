package heroku

// LineKind says what a drain line is.
type LineKind uint8

// Line kinds. KindAppLine is the default: anything not recognised as one of
// Heroku's own formats is the app's (or the platform's) free text.
const (
	KindAppLine        LineKind = iota // app output, incl. l2met measurements, and unrecognised platform text
	KindRouter                         // heroku router
	KindDynoEvent                      // heroku <dyno>: state changes, R codes, …
	KindAPIEvent                       // app api: builds, deploys, releases, scaling
	KindRuntimeMetrics                 // heroku <dyno>: log-runtime-metrics samples
	KindAddonMetrics                   // app heroku-postgres / heroku-redis samples
	KindLogplexError                   // heroku logplex (L10, L14) and app log-shuttle (L12, L13)
	KindAddonLog                       // app postgres.N: database server logs
)

var lineKindNames = [...]string{"app", "router", "dyno_event", "api_event", "runtime_metrics", "addon_metrics", "logplex_error", "addon_log"}

// String returns a snake_case name for the kind.
func (k LineKind) String() string {
	if int(k) < len(lineKindNames) {
		return lineKindNames[k]
	}
	return "unknown"
}

// Line is what Classify found. Only the struct that matches Kind is filled
// in; the others keep whatever an earlier line left in them, because
// clearing ~1 KB per line for fields nobody reads would cost more than the
// parse. Reuse one Line across lines: AddonMetrics keeps its sample storage.
type Line struct {
	Kind LineKind
	// Component is the subsystem label: router, dyno, api, logplex, app,
	// postgres or redis.
	Component Component
	// Code is the line's Heroku error code (router code=, Error Rxx, Lxx);
	// zero if none.
	Code ErrorCode
	// Severity comes from the content (see the Severity methods and
	// AppLineSeverity); SeverityUnset means "use PRI".
	Severity Severity
	// Msg is the message as given.
	Msg []byte

	Router  Router        // KindRouter
	Dyno    DynoEvent     // KindDynoEvent
	API     APIEvent      // KindAPIEvent (also add-on "Update X by user" lines)
	Runtime RuntimeSample // KindRuntimeMetrics
	Addon   AddonMetrics  // KindAddonMetrics
	Logplex LogplexError  // KindLogplexError

	// Measurements and MetricSource are the l2met measurements of a
	// KindAppLine from an app process (empty for most lines); the slice's
	// storage is reused across calls.
	Measurements []Measurement
	MetricSource []byte
}

// Classify says what one drain line means and fills l. appName and procID
// are the syslog APP-NAME and PROCID; msg is the message without its
// trailing LF. Dispatch is on appName/procID first (byte compares), then
// on the message prefix, so most lines try exactly one parser.
func Classify(appName, procID, msg []byte, l *Line) {
	l.Kind, l.Code, l.Severity, l.Msg = KindAppLine, 0, SeverityUnset, msg
	l.Measurements, l.MetricSource = l.Measurements[:0], nil
	switch string(appName) {
	case "heroku":
		classifyPlatform(procID, msg, l)
	default: // "app", and anything unexpected is treated as app output
		classifyApp(procID, msg, l)
	}
}

func classifyPlatform(procID, msg []byte, l *Line) {
	switch string(procID) {
	case "router":
		l.Component = ComponentRouter
		if ParseRouter(msg, &l.Router) {
			l.Kind, l.Code, l.Severity = KindRouter, l.Router.Code, l.Router.Severity()
			return
		}
	case "logplex":
		l.Component = ComponentLogplex
		if classifyLogplexError(msg, l) {
			return
		}
	default: // a dyno: web.1, run.2660, scheduler.2077, web-abc-123 (Fir)
		l.Component = ComponentDyno
		if hasPrefixStr(msg, "source=") || indexStr(msg, "sample#") >= 0 {
			if ParseRuntime(msg, &l.Runtime) {
				l.Kind, l.Severity = KindRuntimeMetrics, SeverityInfo
				return
			}
		}
		if ParseDyno(msg, &l.Dyno) {
			l.Kind, l.Code, l.Severity = KindDynoEvent, l.Dyno.Code, l.Dyno.Severity()
			return
		}
	}
	// Unrecognised platform text: PRI is known to be wrong for heroku lines
	// (40 = emerg on routine events), so take a level from the text or say info.
	if l.Severity = AppLineSeverity(msg); l.Severity == SeverityUnset {
		l.Severity = SeverityInfo
	}
}

func classifyApp(procID, msg []byte, l *Line) {
	switch {
	case string(procID) == "api":
		l.Component = ComponentAPI
		if ParseAPI(msg, &l.API) {
			l.Kind, l.Severity = KindAPIEvent, l.API.Severity()
			return
		}
	case string(procID) == "heroku-postgres" || string(procID) == "heroku-redis":
		l.Component = ComponentPostgres
		if procID[len("heroku-")] == 'r' {
			l.Component = ComponentRedis
		}
		if indexStr(msg, "sample#") >= 0 && ParseAddon(procID, msg, &l.Addon) {
			l.Kind, l.Severity = KindAddonMetrics, SeverityInfo
			return
		}
		// The add-on also reports attachment changes ("Update DATABASE by user …").
		if ParseAPI(msg, &l.API) {
			l.Kind, l.Severity = KindAPIEvent, l.API.Severity()
			return
		}
		l.Kind = KindAddonLog
	case string(procID) == "log-shuttle":
		l.Component = ComponentLogShuttle
		if classifyLogplexError(msg, l) {
			return
		}
	case hasPrefixStr(procID, "postgres."):
		l.Kind, l.Component = KindAddonLog, ComponentPostgres
		l.Severity = PostgresLogSeverity(msg)
		return
	case hasPrefixStr(procID, "redis."):
		l.Kind, l.Component = KindAddonLog, ComponentRedis
	default:
		l.Component = ComponentApp
		// R13 is written into the app's own channel (app[run.N]).
		if hasPrefixStr(msg, "Error R") && ParseDyno(msg, &l.Dyno) {
			l.Kind, l.Component, l.Code, l.Severity = KindDynoEvent, ComponentDyno, l.Dyno.Code, l.Dyno.Severity()
			return
		}
		l.Measurements, l.MetricSource = ParseL2met(msg, l.Measurements[:0])
	}
	l.Severity = AppLineSeverity(msg)
}

// classifyLogplexError reads the L-code lines of Logplex and log-shuttle
// ("Error L10 (output buffer overflow): N messages dropped since T.").
func classifyLogplexError(msg []byte, l *Line) bool {
	if !ParseLogplexError(msg, &l.Logplex) {
		return false
	}
	l.Kind, l.Code, l.Severity = KindLogplexError, l.Logplex.Code, l.Logplex.Code.Severity()
	return true
}
