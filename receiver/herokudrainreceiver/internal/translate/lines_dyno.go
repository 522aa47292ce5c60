package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// putDynoEvent adds a dyno-manager event and the R codes
// (docs/heroku-formats.md, "Dyno manager messages"): event name heroku.dyno.<kind>, the dyno, and what the message
// says. The dyno is the PROCID (web.1, run.2660).
func putDynoEvent(lr plog.LogRecord, s *lineStrings, ev *heroku.DynoEvent) {
	setEventName(lr, dynoEventName(ev.Kind))
	attrs := lr.Attributes()
	putDynoName(attrs, s.procID)
	if ev.Code != 0 {
		desc := ev.Code.Name()
		if desc == "" {
			desc = s.str(ev.CodeName)
		}
		if desc == "" {
			desc = s.str(ev.Detail)
		}
		putError(attrs, ev.Code, desc)
	}
	if len(ev.From) > 0 {
		attrs.PutStr(AttrStateFrom, s.internIn(dynoStates, ev.From))
	}
	if len(ev.To) > 0 {
		attrs.PutStr(AttrStateTo, s.internIn(dynoStates, ev.To))
	}
	if o := ev.Launch(); o != heroku.LaunchNone {
		attrs.PutStr(AttrLaunch, o.String())
	}
	if ev.HasExitStatus {
		attrs.PutInt(attrProcessExitCode, int64(ev.ExitStatus))
	}
	if len(ev.Signal) > 0 {
		attrs.PutStr(AttrSignal, s.internIn(dynoSignals, ev.Signal))
	}
	s.putStr(attrs, attrProcessCommand, ev.Command)
	s.putStr(attrs, attrUserEmail, ev.User)
	if ev.HasMemory {
		attrs.PutDouble(AttrMemoryMB, ev.MemoryMB)
		if ev.MemoryPercent > 0 {
			attrs.PutDouble(AttrMemoryPercent, ev.MemoryPercent)
		}
	}
	switch ev.Kind {
	case heroku.DynoRestarting:
		attrs.PutStr(AttrRestartReason, "restart")
	case heroku.DynoCycling:
		attrs.PutStr(AttrRestartReason, "cycle")
	}
}

// dynoEventNames holds "heroku.dyno." + kind for every kind, built once so
// that naming an event does not allocate.
var dynoEventNames = func() []string {
	var names []string
	for k := heroku.DynoEventKind(0); ; k++ {
		name := k.String()
		if k > 0 && name == heroku.DynoUnknown.String() {
			return names
		}
		names = append(names, "heroku.dyno."+name)
	}
}()

func dynoEventName(k heroku.DynoEventKind) string {
	if int(k) < len(dynoEventNames) {
		return dynoEventNames[k]
	}
	return dynoEventNames[heroku.DynoUnknown]
}

var (
	dynoStates  = internTable("created", "starting", "up", "down", "crashed", "complete", "provisioning", "idle")
	dynoSignals = internTable("SIGTERM", "SIGKILL", "SIGHUP", "SIGINT", "SIGQUIT")
	// dynoTypes are the process types common enough to share one string.
	dynoTypes = internTable("web", "worker", "clock", "run", "scheduler", "release",
		"console", "rake", "job", "jobs", "sidekiq", "urgentworker", "detached")
)

// putDynoName adds heroku.dyno.name and, when the name has one,
// heroku.dyno.type. name is already a string (the record's procid).
func putDynoName(attrs pcommon.Map, name string) {
	if name == "" {
		return
	}
	attrs.PutStr(AttrDynoName, name)
	if t := dynoTypeOfName(name); t != "" {
		attrs.PutStr(AttrDynoType, t)
	}
}

// dynoType returns the process type of a dyno name: the part before the
// first '.' ("web" for web.1, "run" for run.2660); "" when there is no
// '.' or nothing before it. Common types are returned without allocating.
func dynoType(name []byte) string {
	i := 0
	for i < len(name) && name[i] != '.' {
		i++
	}
	if i == 0 || i == len(name) {
		return ""
	}
	if t, ok := dynoTypes[string(name[:i])]; ok {
		return t
	}
	return wireString(name[:i])
}

// dynoTypeOfName is dynoType for a name that is already a string: an
// uncommon type is a substring of it, so this never allocates.
func dynoTypeOfName(name string) string {
	i := strings.IndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	if t, ok := dynoTypes[name[:i]]; ok {
		return t
	}
	return name[:i]
}

// internDynoName returns a dyno name such as web.1 as a string, shared for
// the common ones (see intern).
func internDynoName(s *lineStrings, b []byte) string {
	if name, ok := common[string(b)]; ok {
		return name
	}
	return s.str(b)
}

// looksLikeDyno reports whether a PROCID names a dyno: a process type of
// letters, digits, '_' or '-', a '.', and a number (web.1, run.2660,
// scheduler.2077, release.4821). Add-on procids (heroku-postgres,
// postgres.N) never reach the callers that ask.
func looksLikeDyno(procID string) bool {
	i := strings.IndexByte(procID, '.')
	if i <= 0 || i == len(procID)-1 {
		return false
	}
	for j := 0; j < i; j++ {
		c := procID[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	for j := i + 1; j < len(procID); j++ {
		if c := procID[j]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}
