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
	AttrSyslogVersion        = "syslog.version"
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

	// AttrSource is the source= of a sample# line (an add-on attachment
	// such as DATABASE, or whatever an app logs).
	AttrSource = "heroku.source"

	// Resource attributes.
	AttrDrainToken = "heroku.drain.token"
)
