// Package translate turns parsed Logplex frames into pdata: one log record
// per frame and metric points for the lines that carry measurements. It knows
// what the fields mean (internal/heroku tells it) but not how they are laid
// out in bytes (internal/logplex does that).
package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

// Attribute keys that have no semantic-convention constant. Semconv ones are
// taken from go.opentelemetry.io/otel/semconv where they are used.
const (
	// Syslog header fields, named as in the OTel log data model's RFC 5424
	// appendix (syslog.procid, syslog.msgid, syslog.facility, syslog.version).
	AttrSyslogAppName        = "syslog.appname"
	AttrSyslogProcID         = "syslog.procid"
	AttrSyslogMsgID          = "syslog.msgid"
	AttrSyslogFacility       = "syslog.facility"
	AttrSyslogSeverity       = "syslog.severity"
	AttrSyslogStructuredData = "syslog.structured_data"

	// AttrParseError flags a record whose frame could not be framed or
	// parsed; its value says why. The body then holds the raw bytes.
	AttrParseError = "logplex.parse_error"
	// AttrTruncated marks a record whose frame exceeded max_frame_size.
	AttrTruncated = "logplex.frame.truncated"
	// AttrInvalidUTF8 marks a record whose message was not valid UTF-8; its
	// body is then a bytes value.
	AttrInvalidUTF8 = "logplex.invalid_utf8"
	// AttrTimestampInvalid marks a record whose header timestamp did not
	// parse; Timestamp is then unset and ObservedTimestamp holds receipt.
	AttrTimestampInvalid = "logplex.timestamp.invalid"

	// Resource attributes.
	AttrDrainToken = "heroku.drain.token"
)

// What a line means (internal/heroku.Classify), on log records and, where
// the cardinality allows, on derived metric points. Semantic-convention
// names are used where one exists (see semconv.go); the rest live under
// heroku.*. Request ids, paths, queries and users never become metric
// attributes unless the config asks for paths or users.
const (
	// AttrComponent is router, dyno, api, logplex, app, postgres or redis.
	AttrComponent = "heroku.component"
	// AttrDynoName is the formation name (web.1, run.2660); on router lines
	// the dyno= that served the request.
	AttrDynoName = "heroku.dyno.name"
	// AttrDynoType is the process type part of the dyno name (web, worker,
	// run, scheduler); bounded, so event metrics use it instead of the name.
	AttrDynoType = "heroku.dyno.type"
	AttrDynoID   = "heroku.dyno.id"

	// Heroku error codes (H12, R14, L10) and their name.
	AttrErrorCode        = "heroku.error.code"
	AttrErrorDescription = "heroku.error.description"

	// Router fields without a semconv name.
	AttrRouterAt        = "heroku.router.at"         // info | warning | error
	AttrRouterRequestID = "heroku.router.request_id" // never a metric attribute
	AttrRouterFwd       = "heroku.router.fwd"        // X-Forwarded-For as logged
	AttrRouterConnectMS = "heroku.router.connect_ms" // int, milliseconds
	AttrRouterServiceMS = "heroku.router.service_ms" // int, milliseconds
	AttrRouterTLS       = "heroku.router.tls"        // bool, Router 2.0
	AttrRouterSock      = "heroku.router.sock"       // client | backend (H27, H18)
	AttrRouterCause     = "heroku.router.cause"      // H26

	// Dyno-manager events.
	AttrStateFrom     = "heroku.dyno.state.from"
	AttrStateTo       = "heroku.dyno.state.to"
	AttrLaunch        = "heroku.dyno.launch" // successful | completed | crashed | stopped
	AttrSignal        = "heroku.dyno.signal" // SIGTERM | SIGKILL | SIGHUP
	AttrMemoryMB      = "heroku.dyno.memory.mb"
	AttrMemoryPercent = "heroku.dyno.memory.quota_percent"
	AttrRestartReason = "heroku.dyno.restart.reason" // restart | cycle

	// Platform (API) events.
	AttrReleaseVersion = "heroku.release.version" // v42
	AttrFormation      = "heroku.scale.formation" // web@2:Standard-1X worker@1:Standard-2X
	AttrBuildOutcome   = "heroku.build.outcome"   // started | succeeded | failed
	AttrBuildURL       = "heroku.build.url"
	AttrConfigVars     = "heroku.config.vars" // slice of names, never values
	AttrAddonName      = "heroku.addon.name"
	AttrAddonAttach    = "heroku.addon.attachment"
	AttrStack          = "heroku.stack"

	// Logplex loss (L10, L12, L13).
	AttrDropped      = "heroku.logplex.dropped" // int
	AttrDroppedSince = "heroku.logplex.since"

	// AttrL2metSource is the source= of an l2met line.
	AttrL2metSource = "heroku.source"
)
