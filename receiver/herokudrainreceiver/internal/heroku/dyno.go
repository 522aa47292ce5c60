package heroku

import "bytes"

// DynoEventKind says which dyno-manager message a line is.
type DynoEventKind uint8

// Dyno-manager messages (docs/heroku-formats.md, "Dyno manager messages").
const (
	DynoUnknown      DynoEventKind = iota
	DynoStateChanged               // State changed from <a> to <b>
	DynoStarting                   // Starting process with command `<cmd>`
	DynoStopping                   // Stopping [all|remaining] process[es] with SIG…
	DynoExited                     // Process exited [with status <n>]
	DynoRestarting                 // Restarting
	DynoCycling                    // Cycling (the daily restart)
	DynoIdling                     // Idling
	DynoUnidling                   // Unidling
	DynoMemory                     // Process running mem=590M(115.2%)
	DynoError                      // Error R14 (Memory quota exceeded) [-> detail]
	DynoSIGHUP                     // Client connection closed. Sending SIGHUP to all processes
)

var dynoKindNames = [...]string{"unknown", "state_changed", "starting", "stopping", "exited", "restarting", "cycling", "idling", "unidling", "memory", "error", "sighup"}

// String returns a snake_case name for the kind, usable as an event name.
func (k DynoEventKind) String() string {
	if int(k) < len(dynoKindNames) {
		return dynoKindNames[k]
	}
	return "unknown"
}

// DynoEvent is a parsed dyno-manager line. Byte fields are subslices of the
// message; the zero value of a field means it was not present.
type DynoEvent struct {
	Kind DynoEventKind

	// From and To are the states of a DynoStateChanged
	// (created, starting, up, down, crashed, complete, provisioning).
	From, To []byte

	// Command is the process command of DynoStarting, without backticks.
	// User is set when a one-off dyno names who started it ("… by user x").
	Command []byte
	User    []byte

	// Signal is "SIGTERM", "SIGKILL" or "SIGHUP". AllProcesses is true for
	// "Stopping all processes" / "Stopping remaining processes" and SIGHUP.
	Signal       []byte
	AllProcesses bool

	// ExitStatus is set for "Process exited with status <n>" only.
	ExitStatus    int
	HasExitStatus bool

	// MemoryMB and MemoryPercent come from "Process running mem=…(…%)";
	// the percent is of the dyno's memory quota and may exceed 100.
	MemoryMB      float64
	MemoryPercent float64
	HasMemory     bool

	// Code, CodeName and Detail come from "Error R14 (Name) -> detail".
	Code     ErrorCode
	CodeName []byte
	Detail   []byte
}

// ParseDyno parses a dyno-manager message into ev (which it resets) and
// reports whether the message was recognised. Unrecognised text leaves
// ev.Kind == DynoUnknown; the caller should treat the line as plain text.
func ParseDyno(msg []byte, ev *DynoEvent) bool {
	*ev = DynoEvent{}
	switch {
	case bytes.HasPrefix(msg, []byte("State changed from ")):
		rest := msg[len("State changed from "):]
		i := bytes.Index(rest, []byte(" to "))
		if i <= 0 {
			return false
		}
		ev.Kind = DynoStateChanged
		ev.From = rest[:i]
		ev.To = firstWord(rest[i+len(" to "):])
	case bytes.HasPrefix(msg, []byte("Starting process with command")):
		ev.Kind = DynoStarting
		parseCommand(msg[len("Starting process with command"):], ev)
	case bytes.HasPrefix(msg, []byte("Stopping ")):
		rest := msg[len("Stopping "):]
		i := bytes.Index(rest, []byte("with SIG"))
		if i < 0 {
			return false
		}
		ev.Kind = DynoStopping
		ev.Signal = firstWord(rest[i+len("with "):])
		scope := rest[:i]
		ev.AllProcesses = bytes.HasPrefix(scope, []byte("all ")) || bytes.HasPrefix(scope, []byte("remaining "))
	case bytes.HasPrefix(msg, []byte("Process exited")):
		ev.Kind = DynoExited
		rest := msg[len("Process exited"):]
		if bytes.HasPrefix(rest, []byte(" with status ")) {
			ev.ExitStatus, _, ev.HasExitStatus = leadingUint(rest[len(" with status "):])
		}
	case bytes.HasPrefix(msg, []byte("Process running mem=")):
		ev.Kind = DynoMemory
		parseMemory(msg[len("Process running mem="):], ev)
	case bytes.HasPrefix(msg, []byte("Error R")):
		code, name, detail, ok := parseCodedError(msg)
		if !ok {
			return false
		}
		ev.Kind = DynoError
		ev.Code, ev.CodeName, ev.Detail = code, name, detail
	case bytes.HasPrefix(msg, []byte("Client connection closed. Sending SIGHUP")):
		ev.Kind = DynoSIGHUP
		ev.Signal = msg[len("Client connection closed. Sending ") : len("Client connection closed. Sending ")+len("SIGHUP")]
		ev.AllProcesses = true
	default:
		switch string(bytes.Trim(msg, " \t\r\n")) {
		case "Restarting":
			ev.Kind = DynoRestarting
		case "Cycling":
			ev.Kind = DynoCycling
		case "Idling":
			ev.Kind = DynoIdling
		case "Unidling":
			ev.Kind = DynoUnidling
		default:
			return false
		}
	}
	return true
}

// parseCommand handles “ `cmd` “, `: `cmd“, a bare command, and a
// trailing " by user <email>" after a backticked command (one-off dynos).
func parseCommand(rest []byte, ev *DynoEvent) {
	if len(rest) > 0 && rest[0] == ':' {
		rest = rest[1:]
	}
	rest = bytes.Trim(rest, " \t\r\n")
	if len(rest) > 0 && rest[0] == '`' {
		if end := bytes.LastIndexByte(rest, '`'); end > 0 {
			ev.Command = rest[1:end]
			if tail := rest[end+1:]; bytes.HasPrefix(tail, []byte(" by user ")) {
				ev.User = bytes.Trim(tail[len(" by user "):], " \t\r\n")
			}
			return
		}
		rest = rest[1:] // unbalanced: keep what follows the backtick
	}
	ev.Command = rest
}

// parseMemory reads "590M(115.2%)" or "1028MB(103.3%)"; G/GB are scaled to MB.
func parseMemory(b []byte, ev *DynoEvent) {
	v, n, ok := leadingDecimal(b)
	if !ok {
		return
	}
	unit := b[n:]
	switch {
	case bytes.HasPrefix(unit, []byte("MB")):
		unit = unit[2:]
	case bytes.HasPrefix(unit, []byte("M")):
		unit = unit[1:]
	case bytes.HasPrefix(unit, []byte("GB")):
		v, unit = v*1024, unit[2:]
	case bytes.HasPrefix(unit, []byte("G")):
		v, unit = v*1024, unit[1:]
	default:
		return
	}
	ev.MemoryMB, ev.HasMemory = v, true
	if len(unit) > 0 && unit[0] == '(' {
		if p, m, ok := leadingDecimal(unit[1:]); ok && m+1 < len(unit) && unit[m+1] == '%' {
			ev.MemoryPercent = p
		}
	}
}

// parseCodedError reads "Error X99 (Name)[ -> detail]", "Error X99 (Name): detail"
// and "Error X99: detail": the form shared by R codes, L codes and the
// legacy router. msg must start with "Error ".
func parseCodedError(msg []byte) (code ErrorCode, name, detail []byte, ok bool) {
	rest := msg[len("Error "):]
	if len(rest) < 3 {
		return 0, nil, nil, false
	}
	code, ok = ParseErrorCode(rest[:3])
	if !ok || (len(rest) > 3 && rest[3] != ' ' && rest[3] != ':') {
		return 0, nil, nil, false
	}
	rest = bytes.Trim(rest[3:], " \t\r\n")
	if len(rest) > 0 && rest[0] == '(' {
		end := bytes.IndexByte(rest, ')')
		if end < 0 {
			return code, rest[1:], nil, true
		}
		name = rest[1:end]
		rest = bytes.Trim(rest[end+1:], " \t\r\n")
	}
	switch {
	case bytes.HasPrefix(rest, []byte("->")):
		rest = rest[2:]
	case bytes.HasPrefix(rest, []byte(":")):
		rest = rest[1:]
	}
	if rest = bytes.Trim(rest, " \t\r\n"); len(rest) > 0 {
		detail = rest
	}
	return code, name, detail, true
}

// LaunchOutcome buckets a state change for Sumo's Dyno dashboard panels.
type LaunchOutcome uint8

// Launch outcomes. The rule looks only at the target state: the panels count
// where a dyno ended up, and the predecessor varies (starting→up on a boot,
// up→complete for a one-off dyno, starting→crashed or up→crashed on a crash):
//
//	→ up       LaunchSuccessful  ("Successful Dyno Launches")
//	→ complete LaunchCompleted   (one-off/release dyno finished: "Completed")
//	→ crashed  LaunchCrashed     ("Crashed Dyno Launches")
//	→ down     LaunchStopped     ("Stopped Dynos")
//	anything else (created, starting, provisioning) LaunchNone: in progress.
const (
	LaunchNone LaunchOutcome = iota
	LaunchSuccessful
	LaunchCompleted
	LaunchCrashed
	LaunchStopped
)

var launchNames = [...]string{"", "successful", "completed", "crashed", "stopped"}

// String returns "successful", "completed", "crashed", "stopped" or "".
func (o LaunchOutcome) String() string {
	if int(o) < len(launchNames) {
		return launchNames[o]
	}
	return ""
}

// Launch classifies a state change; any other event gives LaunchNone.
func (ev *DynoEvent) Launch() LaunchOutcome {
	if ev.Kind != DynoStateChanged {
		return LaunchNone
	}
	return LaunchOutcomeOf(ev.From, ev.To)
}

// LaunchOutcomeOf applies the launch rule to a transition. An up→up
// "change" is not a launch.
func LaunchOutcomeOf(from, to []byte) LaunchOutcome {
	switch string(to) {
	case "up":
		if string(from) == "up" {
			return LaunchNone
		}
		return LaunchSuccessful
	case "complete":
		return LaunchCompleted
	case "crashed":
		return LaunchCrashed
	case "down":
		return LaunchStopped
	}
	return LaunchNone
}
