package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// putAPIEvent adds a platform event of the app's api channel
// (docs/heroku-formats.md, "Platform API events"): event name heroku.api.<kind>, the actor and what changed. Config
// var values never appear in these lines; only their names are kept.
func putAPIEvent(lr plog.LogRecord, s *lineStrings, ev *heroku.APIEvent) {
	setEventName(lr, apiEventName(ev.Kind))
	attrs := lr.Attributes()
	s.putStr(attrs, attrUserEmail, ev.User)
	if ev.HasVersion {
		s.putStr(attrs, AttrReleaseVersion, ev.Version)
	}
	s.putStr(attrs, attrReleaseCommit, ev.Commit)
	s.putStr(attrs, AttrFormation, ev.Formation)
	switch ev.Kind {
	case heroku.APIBuildStarted:
		attrs.PutStr(AttrBuildOutcome, "started")
	case heroku.APIBuildSucceeded:
		attrs.PutStr(AttrBuildOutcome, "succeeded")
	case heroku.APIBuildFailed:
		attrs.PutStr(AttrBuildOutcome, "failed")
	}
	s.putStr(attrs, AttrBuildURL, ev.BuildURL)
	if len(ev.ConfigVars) > 0 {
		it := ev.ConfigVarNames()
		var vars pcommon.Slice
		for name, ok := it.Next(); ok; name, ok = it.Next() {
			if vars == (pcommon.Slice{}) {
				vars = attrs.PutEmptySlice(AttrConfigVars)
			}
			vars.AppendEmpty().SetStr(s.str(name))
		}
	}
	s.putStr(attrs, AttrAddonName, ev.Addon)
	s.putStr(attrs, AttrAddonAttach, ev.Attachment)
	s.putStr(attrs, AttrStack, ev.Stack)
}

// apiEventNames holds "heroku.api." + kind for every kind.
var apiEventNames = func() []string {
	var names []string
	for k := heroku.APIEventKind(0); ; k++ {
		name := k.String()
		if k > 0 && name == heroku.APIUnknown.String() {
			return names
		}
		names = append(names, "heroku.api."+name)
	}
}()

func apiEventName(k heroku.APIEventKind) string {
	if int(k) < len(apiEventNames) {
		return apiEventNames[k]
	}
	return apiEventNames[heroku.APIUnknown]
}
