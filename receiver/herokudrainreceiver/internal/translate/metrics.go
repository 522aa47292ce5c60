package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"math"
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
)

// A batch measures what its lines say: counters and histograms hold this
// batch's counts, gauges carry the line's own timestamp (so that a late line
// can be told from a newer one). The receiver's aggregator adds batches up
// and emits every series on its flush interval (docs/metrics.md).

// addMetrics records the measurements a good, classified frame carries.
func (b *Batch) addMetrics(f *logplex.Frame, l *heroku.Line) {
	if l == nil {
		return
	}
	ts := b.observed
	if f.TimestampValid {
		ts = pcommon.NewTimestampFromTime(f.Timestamp)
		if b.start == 0 || ts < b.start {
			b.start = ts
		}
	}
	mb := b.set.Builder
	if l.Code != 0 {
		if comp, ok := metadata.MapAttributeHerokuComponent[l.Component.String()]; ok {
			mb.RecordHerokuErrorsDataPoint(b.observed, 1, l.Code.String(), comp)
		}
	}
	switch l.Kind {
	case heroku.KindRouter:
		b.addRouter(&l.Router)
	case heroku.KindDynoEvent:
		b.addDynoEvent(f.ProcID, &l.Dyno)
	case heroku.KindAPIEvent:
		b.addAPIEvent(&l.API, ts)
	case heroku.KindRuntimeMetrics:
		b.addRuntime(f, &l.Runtime, ts)
	case heroku.KindAddonMetrics:
		b.addAddon(&l.Addon, ts)
	case heroku.KindLogplexError:
		if l.Logplex.HasCount {
			mb.RecordHerokuLogplexMessagesDroppedDataPoint(b.observed, l.Logplex.Count, l.Code.String())
		}
	case heroku.KindAppLine:
		b.addL2met(l.Measurements, l.MetricSource, ts)
	}
}

// addRuntime records a log-runtime-metrics line through the builder
// generated from metadata.yaml.
func (b *Batch) addRuntime(f *logplex.Frame, s *heroku.RuntimeSample, ts pcommon.Timestamp) {
	dyno := s.Source
	if len(dyno) == 0 {
		dyno = f.ProcID // old lines lack source=; the procid is the dyno
	}
	name, id := intern(dyno), wireString(s.DynoID)
	b.dynosSeen = append(b.dynosSeen, name)
	mb := b.set.Builder
	for m := heroku.RuntimeMetric(0); m < heroku.NumRuntimeMetrics; m++ {
		v, ok := s.Get(m)
		if !ok {
			continue
		}
		switch m {
		case heroku.RuntimeMemoryTotal:
			mb.RecordHerokuDynoMemoryTotalDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryRSS:
			mb.RecordHerokuDynoMemoryRssDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryCache:
			mb.RecordHerokuDynoMemoryCacheDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemorySwap:
			mb.RecordHerokuDynoMemorySwapDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryQuota:
			mb.RecordHerokuDynoMemoryQuotaDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryPgpgin:
			mb.RecordHerokuDynoMemoryPgpginDataPoint(ts, round(v), name, id)
		case heroku.RuntimeMemoryPgpgout:
			mb.RecordHerokuDynoMemoryPgpgoutDataPoint(ts, round(v), name, id)
		case heroku.RuntimeLoadAvg1m:
			mb.RecordHerokuDynoLoadAverage1mDataPoint(ts, v, name, id)
		case heroku.RuntimeLoadAvg5m:
			mb.RecordHerokuDynoLoadAverage5mDataPoint(ts, v, name, id)
		case heroku.RuntimeLoadAvg15m:
			mb.RecordHerokuDynoLoadAverage15mDataPoint(ts, v, name, id)
		}
	}
}

// addRouter observes one request in the router histograms. Request ids
// never become attributes here; the path only when the config asks.
func (b *Batch) addRouter(r *heroku.Router) {
	rs := b.routerSeriesOf(r)
	// The id is only kept when there is a RequestIDs to count it once
	// against; without one, every line counts and the copy would be waste.
	var id string
	if b.set.RequestIDs != nil {
		id = wireString(r.RequestID)
	}
	b.requests = append(b.requests, routerRequest{id: id, method: rs.method, dyno: rs.dyno,
		scheme: rs.scheme, errType: rs.errType, status: int64(r.Status), hasStatus: r.HasStatus})
	b.hist.key = rs.appendKey(b.hist.key[:0])
	if r.HasService {
		b.observeRouter(&rs, &histRequestDuration, float64(r.Service)/1000)
	}
	if r.HasConnect {
		b.observeRouter(&rs, &histConnectDuration, float64(r.Connect)/1000)
	}
	if r.HasBytes {
		b.observeRouter(&rs, &histResponseBodySize, float64(r.Bytes))
	}
}

// routerSeries is what identifies a router line's histogram series: the
// attribute values, and the raw bytes the series key is built from.
type routerSeries struct {
	r            *heroku.Router
	method       string // known method, or "_OTHER"
	methodKnown  bool
	dyno         string
	errType      string // H code, or a 5xx status
	scheme       string
	protoVersion string
	path         string // only when withPath
	withPath     bool
	keyLen       int // length of the series key before the histogram name
}

func (b *Batch) routerSeriesOf(r *heroku.Router) routerSeries {
	rs := routerSeries{r: r, scheme: r.Scheme(), dyno: intern(r.Dyno)}
	rs.method, _ = httpMethod(r.Method)
	rs.methodKnown = rs.method != ""
	if !rs.methodKnown {
		rs.method = "_OTHER"
	}
	switch {
	case r.Code != 0:
		rs.errType = r.Code.String()
	case r.HasStatus && r.Status >= 500:
		rs.errType = strconv.Itoa(r.Status)
	}
	_, rs.protoVersion = r.NetworkProtocol()
	rs.path, rs.withPath = b.routerPath(r)
	return rs
}

// routerPath is the url.path attribute of a router line's series, when the
// config asks for one: the path, or _OTHER past the distinct-path cap.
func (b *Batch) routerPath(r *heroku.Router) (string, bool) {
	if !b.set.RouterMetricsURLPath || len(r.Path) == 0 {
		return "", false
	}
	if b.set.URLPaths == nil {
		return wireString(r.Path), true
	}
	path, over := b.set.URLPaths.Get(r.Path)
	if over {
		b.counts.URLPathsOverflow++
	}
	return path, true
}

// appendKey appends the series key (NUL-separated fields; the raw method
// for an unknown one, so that two unknown methods stay apart) and records
// its length.
func (rs *routerSeries) appendKey(key []byte) []byte {
	r := rs.r
	key = append(key, rs.method...)
	if !rs.methodKnown {
		key = append(key, r.Method...)
	}
	key = append(key, 0)
	if r.HasStatus {
		key = strconv.AppendInt(key, int64(r.Status), 10)
	}
	key = append(key, 0)
	key = append(key, r.Dyno...)
	key = append(key, 0)
	key = append(key, rs.errType...)
	key = append(key, 0)
	key = append(key, rs.scheme...)
	key = append(key, 0)
	key = append(key, rs.protoVersion...)
	if rs.withPath {
		key = append(key, 0)
		key = append(key, rs.path...)
	}
	rs.keyLen = len(key)
	return key
}

// observeRouter adds v to the series of histogram def, creating it with
// its attributes on first use.
func (b *Batch) observeRouter(rs *routerSeries, def *histogramDef, v float64) {
	if b.set.DisabledHistograms[def.name] {
		return
	}
	b.hist.key = append(b.hist.key[:rs.keyLen], def.name...)
	s, ok := b.hist.lookup()
	if !ok {
		s = b.hist.create(def, "")
		rs.putAttributes(s.attrs)
	}
	s.observe(v)
}

// putAttributes sets a new router series' attributes.
func (rs *routerSeries) putAttributes(a pcommon.Map) {
	r := rs.r
	a.PutStr(attrHTTPMethod, rs.method)
	if !rs.methodKnown {
		a.PutStr(attrHTTPMethodOrig, wireString(r.Method))
	}
	if r.HasStatus {
		a.PutInt(attrHTTPStatus, int64(r.Status))
	}
	putDynoName(a, rs.dyno)
	if rs.errType != "" {
		a.PutStr(attrErrorType, rs.errType)
	}
	if rs.scheme != "" {
		a.PutStr(attrURLScheme, rs.scheme)
	}
	if rs.protoVersion != "" {
		a.PutStr(attrNetProtoVersion, rs.protoVersion)
	}
	if rs.withPath {
		a.PutStr(attrURLPath, rs.path)
	}
}

func (b *Batch) addDynoEvent(procID []byte, ev *heroku.DynoEvent) {
	mb := b.set.Builder
	typ := dynoType(procID)
	switch ev.Kind {
	case heroku.DynoStateChanged:
		launch := metadata.AttributeHerokuDynoLaunchNone
		if l, ok := metadata.MapAttributeHerokuDynoLaunch[ev.Launch().String()]; ok {
			launch = l
		}
		mb.RecordHerokuDynoStateChangesDataPoint(b.observed, 1, typ, intern(ev.From), intern(ev.To), launch)
	case heroku.DynoExited:
		if ev.HasExitStatus {
			mb.RecordHerokuDynoExitsDataPoint(b.observed, 1, typ, int64(ev.ExitStatus))
		}
	case heroku.DynoRestarting:
		mb.RecordHerokuDynoRestartsDataPoint(b.observed, 1, typ, metadata.AttributeHerokuDynoRestartReasonRestart)
	case heroku.DynoCycling:
		mb.RecordHerokuDynoRestartsDataPoint(b.observed, 1, typ, metadata.AttributeHerokuDynoRestartReasonCycle)
	}
}

func (b *Batch) addAPIEvent(ev *heroku.APIEvent, ts pcommon.Timestamp) {
	mb := b.set.Builder
	user := wireString(ev.User)
	switch ev.Kind {
	case heroku.APIBuildStarted:
		mb.RecordHerokuBuildsDataPoint(b.observed, 1, metadata.AttributeHerokuBuildOutcomeStarted, user)
	case heroku.APIBuildSucceeded:
		mb.RecordHerokuBuildsDataPoint(b.observed, 1, metadata.AttributeHerokuBuildOutcomeSucceeded, user)
	case heroku.APIBuildFailed:
		mb.RecordHerokuBuildsDataPoint(b.observed, 1, metadata.AttributeHerokuBuildOutcomeFailed, user)
	case heroku.APIRelease:
		mb.RecordHerokuReleasesDataPoint(b.observed, 1, user)
	case heroku.APIDeploy:
		mb.RecordHerokuDeploysDataPoint(b.observed, 1, user)
	case heroku.APIScale:
		mb.RecordHerokuScaleOperationsDataPoint(b.observed, 1, user)
		it := ev.FormationEntries()
		for e, ok := it.Next(); ok; e, ok = it.Next() {
			mb.RecordHerokuDynoFormationDataPoint(ts, int64(e.Quantity), intern(e.Type), wireString(e.Size))
		}
	}
}

// addAddon records a Heroku Postgres or Redis metric line: known keys
// through the metrics declared in metadata.yaml (heroku.AddonTable says
// which), unknown keys as gauges named after the key.
func (b *Batch) addAddon(a *heroku.AddonMetrics, ts pcommon.Timestamp) {
	attach, addon := wireString(a.Source), wireString(a.Addon)
	for i := range a.Samples {
		s := &a.Samples[i]
		if s.Info != nil {
			if rec, ok := addonRecorders[s.Info.Name]; ok {
				if s.Info.AttrKey != "" {
					rec(b.set.Builder, ts, s.Value, attach, addon, s.Info.AttrValue)
				} else {
					rec(b.set.Builder, ts, s.Value, attach, addon)
				}
				continue
			}
		}
		b.nameBuf = s.AppendName(b.nameBuf[:0], a.Service)
		attrs := b.extra.gauge(wireString(b.nameBuf), sampleUnit(s.Unit, s.RawUnit), "", ts, s.Value)
		if attach != "" {
			attrs.PutStr(AttrAddonAttach, attach)
		}
		if addon != "" {
			attrs.PutStr(AttrAddonName, addon)
		}
	}
}

// addL2met records an app's l2met measurements: count# as sums, sample# as
// gauges and measure# as histograms (explicit buckets that suit the unit, or
// exponential ones when configured), named as the app logged them. unique# counts distinct values over an interval, which
// needs state across requests that a drain receiver should not keep; those
// stay in the log record only.
func (b *Batch) addL2met(ms []heroku.Measurement, source []byte, ts pcommon.Timestamp) {
	for i := range ms {
		m := &ms[i]
		if m.Kind == heroku.L2metUnique || len(m.Name) == 0 {
			continue
		}
		v, unit, ok := m.Normalized()
		switch {
		case !ok:
			v, unit = m.Value, sampleUnit("", m.Unit)
		case len(m.Unit) == 0:
			// A bare number: no unit rather than "1", which Prometheus
			// exporters would turn into a misleading _ratio suffix.
			unit = ""
		}
		switch m.Kind {
		case heroku.L2metCount:
			b.extra.deltaSum(m.Name, source, unit, v)
		case heroku.L2metSample:
			attrs := b.extra.gauge(b.extra.name(m.Name), unit, "", ts, v)
			if len(source) > 0 {
				attrs.PutStr(AttrL2metSource, wireString(source))
			}
		case heroku.L2metMeasure:
			b.hist.key = append(append(append(b.hist.key[:0], m.Name...), 0), source...)
			s, ok := b.hist.lookup()
			if !ok {
				def := &histogramDef{name: wireString(m.Name)}
				if !b.set.ExponentialMeasures {
					def.bounds = measureBounds(unit)
				}
				s = b.hist.create(def, unit)
				if len(source) > 0 {
					s.attrs.PutStr(AttrL2metSource, wireString(source))
				}
			}
			s.observe(v)
		}
	}
}

// sampleUnit is the unit of a value whose suffix is not in the unit table:
// the suffix as a UCUM annotation ({req}), or none when there was none (not
// "1", which Prometheus exporters turn into a misleading _ratio suffix).
func sampleUnit(ucum string, raw []byte) string {
	switch {
	case ucum != "":
		return ucum
	case len(raw) == 0:
		return ""
	}
	return "{" + wireString(raw) + "}"
}

func round(v float64) int64 { return int64(math.Round(v)) }
