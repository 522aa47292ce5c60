package heroku

import "bytes"

// APIEventKind says which platform API event (`app api`) a line is.
type APIEventKind uint8

// API events (docs/heroku-formats.md, "Platform API events"). APIOther is an "… by user <email>" line whose
// wording is not known here: the actor is still worth keeping.
const (
	APIUnknown          APIEventKind = iota
	APIBuildStarted                  // Build started by user <email>
	APIBuildSucceeded                // Build succeeded
	APIBuildFailed                   // Build failed -- check your build output: <url>
	APIDeploy                        // Deploy <sha> by user <email>
	APIRelease                       // Release v<N> created by user <email>
	APIScale                         // Scaled to web@2:Standard-1X … by user <email>
	APIConfigSet                     // Set A, B config vars by user <email>
	APIConfigRemove                  // Remove A config vars by user <email>
	APIAddonAttach                   // Attach DATABASE (@ref:postgresql-flat-02648) by user <email>
	APIAddonDetach                   // Detach DATABASE (@ref:…) by user <email>
	APIAddonUpdate                   // Update DATABASE by user <email>
	APIAddonProvisioned              // @ref:… completed provisioning[, setting X_URL.] by user <email>
	APIReleaseCommands               // Running release v5 commands by user <email>
	APIRollback                      // Rollback to v7 by user <email>
	APIInitialRelease                // Initial release by user <email>
	APIEnableLogplex                 // Enable Logplex by user <email>
	APIStackUpgrade                  // Upgrade stack to heroku-20 by user <email>
	APIOther                         // anything else "… by user <email>"
)

var apiKindNames = [...]string{"unknown", "build_started", "build_succeeded", "build_failed", "deploy", "release", "scale",
	"config_set", "config_remove", "addon_attach", "addon_detach", "addon_update", "addon_provisioned",
	"release_commands", "rollback", "initial_release", "enable_logplex", "stack_upgrade", "other"}

// String returns a snake_case name for the kind, usable as an event name.
func (k APIEventKind) String() string {
	if int(k) < len(apiKindNames) {
		return apiKindNames[k]
	}
	return "unknown"
}

// APIEvent is a parsed `app api` line. Byte fields are subslices of the
// message; empty means absent.
type APIEvent struct {
	Kind APIEventKind

	// User is the actor after "by user" (an email, or an add-on's address
	// such as heroku.hirefire.api@…).
	User []byte

	// Version is the release as written ("v7"); VersionNum its number.
	Version    []byte
	VersionNum int
	HasVersion bool

	// Commit is the short SHA of a Deploy.
	Commit []byte

	// Formation is the raw "web@2:Standard-1X worker@1:Standard-2X" of a
	// Scale; iterate it with FormationEntries.
	Formation []byte

	// BuildURL is the dashboard link of a failed build.
	BuildURL []byte

	// ConfigVars is the raw comma list of a Set/Remove, or the variables an
	// add-on set when it finished provisioning; iterate with ConfigVarNames.
	ConfigVars []byte

	// Attachment is the add-on's attachment name (DATABASE), Addon the
	// add-on's name from "@ref:" (postgresql-flat-02648).
	Attachment []byte
	Addon      []byte

	// Stack is the target of a stack upgrade (heroku-20).
	Stack []byte

	// Detail is the action text of APIOther (everything before " by user ").
	Detail []byte
}

// ParseAPI parses an API event into ev (which it resets) and reports whether
// it was recognised (ev.Kind != APIUnknown).
func ParseAPI(msg []byte, ev *APIEvent) bool {
	*ev = APIEvent{}
	body := ev.splitUser(bytes.Trim(msg, " \t\r\n"))
	switch {
	case ev.parseBuildOrRelease(body), ev.parseAppChange(body):
	case len(ev.User) > 0:
		ev.Kind = APIOther
		ev.Detail = body
	default:
		ev.User = nil
		return false
	}
	return true
}

// splitUser takes the trailing " by user <email>" off msg into ev.User and
// returns the action before it.
func (ev *APIEvent) splitUser(msg []byte) []byte {
	i := bytes.LastIndex(msg, []byte(" by user "))
	if i < 0 {
		return msg
	}
	ev.User = bytes.Trim(msg[i+len(" by user "):], " \t\r\n")
	return msg[:i]
}

// parseBuildOrRelease recognises builds, deploys, releases and rollbacks.
func (ev *APIEvent) parseBuildOrRelease(body []byte) bool {
	switch {
	case bytes.HasPrefix(body, []byte("Build started")):
		ev.Kind = APIBuildStarted
	case string(body) == "Build succeeded":
		ev.Kind = APIBuildSucceeded
	case bytes.HasPrefix(body, []byte("Build failed")):
		ev.Kind = APIBuildFailed
		if i := bytes.Index(body, []byte("http")); i >= 0 {
			ev.BuildURL = firstWord(body[i:])
		}
	case bytes.HasPrefix(body, []byte("Deploy ")):
		ev.Kind = APIDeploy
		ev.Commit = firstWord(body[len("Deploy "):])
	case bytes.HasPrefix(body, []byte("Release v")) && bytes.HasSuffix(body, []byte(" created")):
		ev.Kind = APIRelease
		ev.setVersion(body[len("Release "):])
	case bytes.HasPrefix(body, []byte("Running release v")) && bytes.HasSuffix(body, []byte(" commands")):
		ev.Kind = APIReleaseCommands
		ev.setVersion(body[len("Running release "):])
	case bytes.HasPrefix(body, []byte("Rollback to v")):
		ev.Kind = APIRollback
		ev.setVersion(body[len("Rollback to "):])
	case string(body) == "Initial release":
		ev.Kind = APIInitialRelease
	default:
		return false
	}
	return true
}

// parseAppChange recognises changes to the app: formation, config vars,
// add-ons, stack and log settings.
func (ev *APIEvent) parseAppChange(body []byte) bool {
	switch {
	case bytes.HasPrefix(body, []byte("Scaled to ")):
		ev.Kind = APIScale
		ev.Formation = bytes.Trim(body[len("Scaled to "):], " \t\r\n")
	case ev.setConfigVars(body, "Set ", APIConfigSet), ev.setConfigVars(body, "Remove ", APIConfigRemove):
	case bytes.HasPrefix(body, []byte("Attach ")):
		ev.Kind = APIAddonAttach
		ev.parseAttachment(body[len("Attach "):])
	case bytes.HasPrefix(body, []byte("Detach ")):
		ev.Kind = APIAddonDetach
		ev.parseAttachment(body[len("Detach "):])
	case bytes.HasPrefix(body, []byte("Update ")):
		ev.Kind = APIAddonUpdate
		ev.parseAttachment(body[len("Update "):])
	case bytes.HasPrefix(body, []byte("@ref:")) && bytes.Index(body, []byte(" completed provisioning")) > 0:
		ev.Kind = APIAddonProvisioned
		ev.parseProvisioned(body[len("@ref:"):])
	case string(body) == "Enable Logplex":
		ev.Kind = APIEnableLogplex
	case bytes.HasPrefix(body, []byte("Upgrade stack to ")):
		ev.Kind = APIStackUpgrade
		ev.Stack = firstWord(body[len("Upgrade stack to "):])
	default:
		return false
	}
	return true
}

// parseProvisioned reads "<addon> completed provisioning[, setting A, B.]"
// (after "@ref:").
func (ev *APIEvent) parseProvisioned(rest []byte) {
	ev.Addon = firstWord(rest)
	if i := bytes.Index(rest, []byte("setting ")); i >= 0 {
		vars := bytes.Trim(rest[i+len("setting "):], " \t\r\n")
		if n := len(vars); n > 0 && vars[n-1] == '.' {
			vars = vars[:n-1]
		}
		ev.ConfigVars = vars
	}
}

// setConfigVars sets kind and the names as ConfigVars when b is "<verb>A,
// B config vars", and reports whether it was.
func (ev *APIEvent) setConfigVars(b []byte, verb string, kind APIEventKind) bool {
	if !bytes.HasPrefix(b, []byte(verb)) {
		return false
	}
	end := -1
	switch {
	case bytes.HasSuffix(b, []byte(" config vars")):
		end = len(b) - len(" config vars")
	case bytes.HasSuffix(b, []byte(" config var")):
		end = len(b) - len(" config var")
	}
	if end <= len(verb) {
		return false
	}
	ev.Kind, ev.ConfigVars = kind, b[len(verb):end]
	return true
}

// setVersion reads "v7" (and whatever word follows it is ignored).
func (ev *APIEvent) setVersion(b []byte) {
	v := firstWord(b)
	if len(v) < 2 || v[0] != 'v' {
		return
	}
	if n, ok := wholeUint(v[1:]); ok {
		ev.Version, ev.VersionNum, ev.HasVersion = v, n, true
	}
}

// parseAttachment reads "DATABASE (@ref:postgresql-flat-02648)"; the
// parenthesised add-on is optional.
func (ev *APIEvent) parseAttachment(b []byte) {
	ev.Attachment = firstWord(b)
	if i := bytes.Index(b, []byte("(@ref:")); i >= 0 {
		ref := b[i+len("(@ref:"):]
		if j := bytes.IndexByte(ref, ')'); j >= 0 {
			ref = ref[:j]
		}
		ev.Addon = ref
	}
}

// FormationEntry is one "type@quantity:size" item of a Scale event.
// Size is empty when the entry has no ":size" part.
type FormationEntry struct {
	Type     []byte
	Quantity int
	Size     []byte
}

// FormationIter walks a raw formation without allocating.
type FormationIter struct{ rest []byte }

// FormationEntries iterates over the Scale event's formation.
func (ev *APIEvent) FormationEntries() FormationIter { return FormationIter{rest: ev.Formation} }

// Next returns the next well-formed entry; tokens without "@<digits>" are
// skipped rather than guessed at.
func (it *FormationIter) Next() (FormationEntry, bool) {
	for len(it.rest) > 0 {
		it.rest = bytes.Trim(it.rest, " \t\r\n")
		tok := firstWord(it.rest)
		it.rest = it.rest[len(tok):]
		at := bytes.IndexByte(tok, '@')
		if at <= 0 {
			continue
		}
		q, n, ok := leadingUint(tok[at+1:])
		if !ok {
			continue
		}
		e := FormationEntry{Type: tok[:at], Quantity: q}
		if tail := tok[at+1+n:]; len(tail) > 1 && tail[0] == ':' {
			e.Size = tail[1:]
		} else if len(tail) > 0 {
			continue
		}
		return e, true
	}
	return FormationEntry{}, false
}

// NameIter walks a comma-separated name list ("A, B, C") without allocating.
type NameIter struct{ rest []byte }

// ConfigVarNames iterates over ev.ConfigVars.
func (ev *APIEvent) ConfigVarNames() NameIter { return NameIter{rest: ev.ConfigVars} }

// Next returns the next non-empty name.
func (it *NameIter) Next() ([]byte, bool) {
	for len(it.rest) > 0 {
		name := it.rest
		if i := bytes.IndexByte(it.rest, ','); i >= 0 {
			name, it.rest = it.rest[:i], it.rest[i+1:]
		} else {
			it.rest = nil
		}
		if name = bytes.Trim(name, " \t\r\n"); len(name) > 0 {
			return name, true
		}
	}
	return nil, false
}
