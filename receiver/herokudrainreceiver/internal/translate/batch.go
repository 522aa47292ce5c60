package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// Resource identifies where a request came from.
type Resource struct {
	DrainToken string // Logplex-Drain-Token header
	AppName    string // ?app= on the drain URL; empty when absent
}

// Settings says what a Batch builds.
type Settings struct {
	Logs    bool // build log records (a logs pipeline exists)
	Metrics bool // build metrics (a metrics pipeline exists)
	// Builder records the metrics declared in metadata.yaml; required when
	// Metrics is set. A Batch emits from it, which also resets it.
	Builder *metadata.MetricsBuilder
	// ResourceAttributes says which resource attributes are enabled.
	ResourceAttributes metadata.ResourceAttributesConfig
	// ScopeVersion is the collector build version.
	ScopeVersion string
	// RouterMetricsURLPath adds url.path to the router histograms. Off by
	// default: paths are unbounded.
	RouterMetricsURLPath bool
	// Dynos, when set, counts the dynos reporting runtime metrics across
	// requests (heroku.dynos.reporting).
	Dynos *DynoTracker
	// RequestIDs, when set, makes heroku.router.requests count each router
	// request id once across requests.
	RequestIDs *RequestIDs
	// URLPaths, when set, caps the url.path values RouterMetricsURLPath adds.
	URLPaths *URLPaths
	// ExponentialMeasures gives app measure# metrics exponential histograms
	// instead of explicit buckets.
	ExponentialMeasures bool
	// DisabledHistograms names declared histograms (Histograms) not to emit.
	DisabledHistograms map[string]bool
}

// Counts summarises what a Batch saw.
type Counts struct {
	Frames    int // frames read, malformed ones included
	Malformed int // frames flagged with a parse error
	// LogplexDropped sums the "N messages dropped" reported by L10/L12/L13
	// lines in this batch.
	LogplexDropped int64
	// URLPathsOverflow counts router observations whose url.path became
	// OtherPath because of the URLPaths cap.
	URLPathsOverflow int64
}

// Batch accumulates the pdata for one request body.
type Batch struct {
	set      Settings
	observed pcommon.Timestamp
	res      pcommon.Resource
	appKey   string // drain token and app name: whose dynos these are

	// start is the earliest line timestamp seen, the start of this batch's
	// points (the aggregator gives the series it emits their own).
	start pcommon.Timestamp

	logs    plog.Logs
	records plog.LogRecordSlice

	extra     extraMetrics
	hist      histograms
	dynosSeen []string
	nameBuf   []byte
	logCounts map[recordKey]int64
	requests  []routerRequest

	// line is what the current frame means; reused across frames so that
	// classification does not allocate.
	line heroku.Line

	counts Counts
}

// NewBatch starts a batch for a request received at observed.
func NewBatch(set Settings, r Resource, observed pcommon.Timestamp, sizeHint int) *Batch {
	b := &Batch{set: set, observed: observed}
	rb := metadata.NewResourceBuilder(set.ResourceAttributes)
	rb.SetCloudProvider("heroku")
	if r.DrainToken != "" {
		rb.SetHerokuDrainToken(r.DrainToken)
	}
	rb.SetServiceName(r.serviceName())
	b.res = rb.Emit()
	if set.Logs {
		b.logs = plog.NewLogs()
		rl := b.logs.ResourceLogs().AppendEmpty()
		b.res.CopyTo(rl.Resource())
		sl := rl.ScopeLogs().AppendEmpty()
		sl.Scope().SetName(metadata.ScopeName)
		sl.Scope().SetVersion(set.ScopeVersion)
		b.records = sl.LogRecords()
		if sizeHint > 0 {
			b.records.EnsureCapacity(sizeHint)
		}
	}
	if set.Metrics {
		b.extra.init()
		b.logCounts = map[recordKey]int64{}
		b.hist.init()
		b.appKey = r.DrainToken + "\x00" + r.AppName
	}
	return b
}

// Counts reports what the batch has seen so far.
func (b *Batch) Counts() Counts { return b.counts }

// Add translates one frame. f and its slices are only read during the call.
func (b *Batch) Add(f *logplex.Frame) {
	b.counts.Frames++
	if f.Err != nil {
		b.counts.Malformed++
	}
	// Only a header that parsed says which app-name and procid the message
	// came from, and so what it means.
	var line *heroku.Line
	if f.HeaderErr == nil {
		heroku.Classify(f.AppName, f.ProcID, f.Message, &b.line)
		line = &b.line
		if line.Kind == heroku.KindLogplexError && line.Logplex.HasCount {
			b.counts.LogplexDropped += line.Logplex.Count
		}
	}
	if b.set.Logs {
		b.addRecord(f, line)
	}
	if b.set.Metrics {
		b.countRecord(f, line)
	}
	// Measurements come only from frames that were framed and parsed
	// cleanly: a frame whose extent was guessed may hold two lines.
	if b.set.Metrics && f.Err == nil {
		b.addMetrics(f, line)
	}
}

// AddUnreadable records bytes that could not be read as frames at all (for
// example a body cut off at max_request_body_size) as one flagged record.
func (b *Batch) AddUnreadable(raw []byte, reason string) {
	b.counts.Frames++
	b.counts.Malformed++
	if b.set.Metrics {
		b.countRecord(nil, nil)
	}
	if !b.set.Logs {
		return
	}
	lr := b.records.AppendEmpty()
	lr.SetObservedTimestamp(b.observed)
	setBody(lr.Body(), raw)
	lr.Attributes().PutStr(AttrParseError, reason)
}

// Logs returns the log records built so far (empty when Settings.Logs is
// false).
func (b *Batch) Logs() plog.Logs {
	if !b.set.Logs {
		return plog.NewLogs()
	}
	return b.logs
}

// Metrics returns the metrics built from the batch, with the request's
// resource. It resets the Settings.Builder.
func (b *Batch) Metrics() pmetric.Metrics {
	if !b.set.Metrics {
		return pmetric.NewMetrics()
	}
	start := b.start
	if start == 0 || start > b.observed {
		start = b.observed
	}
	mb := b.set.Builder
	b.recordLogCounts()
	b.recordRouterRequests()
	if len(b.dynosSeen) > 0 && b.set.Dynos != nil {
		counts := map[string]int64{}
		now := b.observed.AsTime()
		b.set.Dynos.Observe(b.appKey, b.dynosSeen, now, now, counts)
		for typ, n := range counts {
			mb.RecordHerokuDynosReportingDataPoint(b.observed, n, typ)
		}
	}
	md := mb.Emit(metadata.WithResource(b.res), metadata.WithStartTimeOverride(start))
	markCountersDelta(md)
	if b.extra.len() == 0 && b.hist.len() == 0 {
		return md
	}
	var sm pmetric.ScopeMetrics
	if md.ResourceMetrics().Len() == 0 {
		rm := md.ResourceMetrics().AppendEmpty()
		b.res.CopyTo(rm.Resource())
		sm = rm.ScopeMetrics().AppendEmpty()
		sm.Scope().SetName(metadata.ScopeName)
		sm.Scope().SetVersion(b.set.ScopeVersion)
	} else {
		sm = md.ResourceMetrics().At(0).ScopeMetrics().At(0)
	}
	b.extra.moveTo(sm.Metrics(), start, b.observed)
	b.hist.moveTo(sm.Metrics(), start, b.observed)
	return md
}

func (b *Batch) addRecord(f *logplex.Frame, line *heroku.Line) {
	lr := b.records.AppendEmpty()
	lr.SetObservedTimestamp(b.observed)
	attrs := lr.Attributes()
	// When the header did not parse cleanly, where the message starts is a
	// guess: keep the whole frame as the body so nothing is lost.
	body := f.Message
	if f.HeaderErr != nil {
		body = bytes.TrimSuffix(f.Raw, newline)
	}
	if !setBody(lr.Body(), body) {
		attrs.PutBool(AttrInvalidUTF8, true)
	}
	if f.Err != nil {
		attrs.PutStr(AttrParseError, f.Err.Error())
	}
	if f.TimestampValid {
		lr.SetTimestamp(pcommon.NewTimestampFromTime(f.Timestamp))
	} else if f.HeaderErr == nil || errors.Is(f.HeaderErr, logplex.ErrBadTimestamp) {
		// The header parsed (or only its timestamp did not): say so, and
		// let backends fall back to ObservedTimestamp.
		attrs.PutBool(AttrTimestampInvalid, true)
	}
	if f.Truncated {
		attrs.PutBool(AttrTruncated, true)
	}
	b.putHeader(lr, f)
	setSeverityFromPRI(lr, f.Priority)
	if line != nil {
		b.putLine(lr, line)
	}
}

var newline = []byte{'\n'}

// putHeader copies the syslog header fields that were parsed.
func (b *Batch) putHeader(lr plog.LogRecord, f *logplex.Frame) {
	attrs := lr.Attributes()
	if len(f.AppName) > 0 {
		attrs.PutStr(AttrSyslogAppName, intern(f.AppName))
	}
	if len(f.ProcID) > 0 {
		attrs.PutStr(AttrSyslogProcID, intern(f.ProcID))
	}
	if len(f.MsgID) > 0 {
		attrs.PutStr(AttrSyslogMsgID, string(f.MsgID))
	}
	if f.Priority >= 0 {
		attrs.PutInt(AttrSyslogFacility, int64(f.Priority>>3))
		attrs.PutInt(AttrSyslogSeverity, int64(f.Priority&7))
	}
	if len(f.SD) > 0 {
		putStructuredData(attrs, f)
	}
}

// setBody sets a string body when b is valid UTF-8 and a bytes body
// otherwise (OTLP strings must be UTF-8). It reports whether b was valid.
func setBody(v pcommon.Value, b []byte) bool {
	if utf8.Valid(b) {
		v.SetStr(string(b))
		return true
	}
	v.SetEmptyBytes().FromRaw(b)
	return false
}

// syslogSeverity maps RFC 5424 severities 0..7 to OTel, as the log data
// model's syslog appendix does.
var syslogSeverity = [8]struct {
	num  plog.SeverityNumber
	text string
}{
	{plog.SeverityNumberFatal, "emerg"},
	{plog.SeverityNumberError3, "alert"},
	{plog.SeverityNumberError2, "crit"},
	{plog.SeverityNumberError, "err"},
	{plog.SeverityNumberWarn, "warning"},
	{plog.SeverityNumberInfo2, "notice"},
	{plog.SeverityNumberInfo, "info"},
	{plog.SeverityNumberDebug, "debug"},
}

func setSeverityFromPRI(lr plog.LogRecord, pri int) {
	if pri < 0 || pri > 191 {
		return
	}
	s := syslogSeverity[pri&7]
	lr.SetSeverityNumber(s.num)
	lr.SetSeverityText(s.text)
}
