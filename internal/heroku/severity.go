package heroku

// Severity is a log level derived from what a line says. Heroku's PRI is not
// used: router errors arrive as local3.info and routine dyno events as emerg
// (reference §1.4), so only the content is trustworthy.
type Severity uint8

// Severity levels, ordered from "don't know" to worst.
const (
	// SeverityUnset means the content carries no level; the receiver falls
	// back to PRI or INFO.
	SeverityUnset Severity = iota
	SeverityDebug
	SeverityInfo
	SeverityWarn
	SeverityError
	SeverityFatal
)

var severityNames = [...]string{"", "debug", "info", "warn", "error", "fatal"}

// String returns the lower-case level name, or "" for SeverityUnset.
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return ""
}

// Severity of a dyno-manager event:
//   - Error Rxx: the code's default (R14 warn: the dyno only swaps; others error).
//   - → crashed: error.
//   - Process exited with a non-zero status: warn, except 143 (= SIGTERM),
//     which is how every dyno answers Heroku's own restarts and daily
//     cycling; flagging it would turn routine restarts into warnings.
//   - Stopping with SIGKILL: warn (it follows R10/R12/R15).
//   - Process running mem= above 100% of quota: warn (R14 follows).
//   - everything else: info.
func (ev *DynoEvent) Severity() Severity {
	switch ev.Kind {
	case DynoUnknown:
		return SeverityUnset
	case DynoError:
		return ev.Code.Severity()
	case DynoStateChanged:
		if string(ev.To) == "crashed" {
			return SeverityError
		}
	case DynoExited:
		if ev.HasExitStatus && ev.ExitStatus != 0 && ev.ExitStatus != 143 {
			return SeverityWarn
		}
	case DynoStopping:
		if string(ev.Signal) == "SIGKILL" {
			return SeverityWarn
		}
	case DynoMemory:
		if ev.MemoryPercent > 100 {
			return SeverityWarn
		}
	}
	return SeverityInfo
}

// Severity of an API event: a failed build is an error, every other event
// is a routine change (info). Unrecognised text is Unset.
func (ev *APIEvent) Severity() Severity {
	switch ev.Kind {
	case APIUnknown:
		return SeverityUnset
	case APIBuildFailed:
		return SeverityError
	}
	return SeverityInfo
}

// Severity of a router line:
//   - at=error → error, at=warning → warn (H27/H28).
//   - at=info with a code (H80–H83: maintenance, blank app, quota, planned
//     degradation) → warn: the router refused the request, which is worth
//     seeing even though Heroku logs it as info (Sumo counts these as errors).
//   - at=info without a code → info, whatever the status. A 5xx from the app
//     is the app's answer, already visible in Status; the router line is not
//     where the app's error is logged.
//   - no at= (legacy lines): the code's default, else info.
func (r *Router) Severity() Severity {
	switch string(r.At) {
	case "error":
		return SeverityError
	case "warning", "warn":
		return SeverityWarn
	case "info":
		if r.Code != 0 {
			return SeverityWarn
		}
		return SeverityInfo
	}
	if r.Code != 0 {
		return r.Code.Severity()
	}
	return SeverityInfo
}
