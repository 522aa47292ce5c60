package heroku

import (
	"testing"
)

// dynoWant is DynoEvent with strings, so the table reads like the log.
type dynoWant struct {
	kind          DynoEventKind
	from, to      string
	command, user string
	signal        string
	all           bool
	exit          int
	hasExit       bool
	memMB, memPct float64
	hasMem        bool
	code          string
	codeName      string
	detail        string
	launch        LaunchOutcome
	severity      Severity
}

func TestParseDynoReadsEveryDynoManagerMessage(t *testing.T) {
	// Dyno-manager texts and the R error codes (docs/heroku-formats.md),
	// quoted exactly unless a comment says the documentation abbreviated them.
	tests := []struct {
		name string
		msg  string
		want dynoWant
	}{
		{"boot succeeded is a successful launch", "State changed from starting to up",
			dynoWant{kind: DynoStateChanged, from: "starting", to: "up", launch: LaunchSuccessful, severity: SeverityInfo}},
		{"R10 crash is a crashed launch", "State changed from starting to crashed",
			dynoWant{kind: DynoStateChanged, from: "starting", to: "crashed", launch: LaunchCrashed, severity: SeverityError}},
		{"running dyno crashing is a crash", "State changed from up to crashed",
			dynoWant{kind: DynoStateChanged, from: "up", to: "crashed", launch: LaunchCrashed, severity: SeverityError}},
		{"one-off dyno finishing is a completed launch", "State changed from up to complete",
			dynoWant{kind: DynoStateChanged, from: "up", to: "complete", launch: LaunchCompleted, severity: SeverityInfo}},
		{"stopping dyno is a stopped dyno", "State changed from up to down",
			dynoWant{kind: DynoStateChanged, from: "up", to: "down", launch: LaunchStopped, severity: SeverityInfo}},
		{"restart after crash is still in progress", "State changed from crashed to starting",
			dynoWant{kind: DynoStateChanged, from: "crashed", to: "starting", launch: LaunchNone, severity: SeverityInfo}},
		{"new dyno is still in progress", "State changed from created to starting",
			dynoWant{kind: DynoStateChanged, from: "created", to: "starting", severity: SeverityInfo}},
		{"provisioning is still in progress", "State changed from provisioning to starting",
			dynoWant{kind: DynoStateChanged, from: "provisioning", to: "starting", severity: SeverityInfo}},
		// The documentation abbreviates the command; `npm start` is a plausible one.
		{"command in backticks", "Starting process with command `npm start`",
			dynoWant{kind: DynoStarting, command: "npm start", severity: SeverityInfo}},
		{"command with spaces and quotes", "Starting process with command `bundle exec puma -C config/puma.rb`",
			dynoWant{kind: DynoStarting, command: "bundle exec puma -C config/puma.rb", severity: SeverityInfo}},
		{"command without backticks", "Starting process with command npm start",
			dynoWant{kind: DynoStarting, command: "npm start", severity: SeverityInfo}},
		{"old colon form", "Starting process with command: `bundle exec thin start -p $PORT`",
			dynoWant{kind: DynoStarting, command: "bundle exec thin start -p $PORT", severity: SeverityInfo}},
		{"one-off dyno names the user", "Starting process with command `bash` by user user@example.com",
			dynoWant{kind: DynoStarting, command: "bash", user: "user@example.com", severity: SeverityInfo}},
		{"SIGTERM to all processes", "Stopping all processes with SIGTERM",
			dynoWant{kind: DynoStopping, signal: "SIGTERM", all: true, severity: SeverityInfo}},
		{"SIGKILL is a warning", "Stopping process with SIGKILL",
			dynoWant{kind: DynoStopping, signal: "SIGKILL", severity: SeverityWarn}},
		{"old SIGTERM form", "Stopping process with SIGTERM",
			dynoWant{kind: DynoStopping, signal: "SIGTERM", severity: SeverityInfo}},
		{"SIGKILL after R12", "Stopping remaining processes with SIGKILL",
			dynoWant{kind: DynoStopping, signal: "SIGKILL", all: true, severity: SeverityWarn}},
		{"exit after SIGTERM is routine", "Process exited with status 143",
			dynoWant{kind: DynoExited, exit: 143, hasExit: true, severity: SeverityInfo}},
		{"exit after SIGKILL warns", "Process exited with status 137",
			dynoWant{kind: DynoExited, exit: 137, hasExit: true, severity: SeverityWarn}},
		{"clean exit", "Process exited with status 0",
			dynoWant{kind: DynoExited, exit: 0, hasExit: true, severity: SeverityInfo}},
		{"app failure exit warns", "Process exited with status 1",
			dynoWant{kind: DynoExited, exit: 1, hasExit: true, severity: SeverityWarn}},
		{"oldest bare exit has no status", "Process exited",
			dynoWant{kind: DynoExited, severity: SeverityInfo}},
		{"restart", "Restarting", dynoWant{kind: DynoRestarting, severity: SeverityInfo}},
		{"daily cycling", "Cycling", dynoWant{kind: DynoCycling, severity: SeverityInfo}},
		{"idling", "Idling", dynoWant{kind: DynoIdling, severity: SeverityInfo}},
		{"unidling", "Unidling", dynoWant{kind: DynoUnidling, severity: SeverityInfo}},
		{"memory in M", "Process running mem=590M(115.2%)",
			dynoWant{kind: DynoMemory, memMB: 590, memPct: 115.2, hasMem: true, severity: SeverityWarn}},
		{"memory in MB (doc form)", "Process running mem=1028MB(103.3%)",
			dynoWant{kind: DynoMemory, memMB: 1028, memPct: 103.3, hasMem: true, severity: SeverityWarn}},
		{"memory under quota is info", "Process running mem=200M(39.1%)",
			dynoWant{kind: DynoMemory, memMB: 200, memPct: 39.1, hasMem: true, severity: SeverityInfo}},
		{"R14 without detail warns", "Error R14 (Memory quota exceeded)",
			dynoWant{kind: DynoError, code: "R14", codeName: "Memory quota exceeded", severity: SeverityWarn}},
		{"R15 is an error", "Error R15 (Memory quota vastly exceeded)",
			dynoWant{kind: DynoError, code: "R15", codeName: "Memory quota vastly exceeded", severity: SeverityError}},
		{"R10 with detail", "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch",
			dynoWant{kind: DynoError, code: "R10", codeName: "Boot timeout", detail: "Web process failed to bind to $PORT within 60 seconds of launch", severity: SeverityError}},
		{"R12 with detail", "Error R12 (Exit timeout) -> Process failed to exit within 30 seconds of SIGTERM",
			dynoWant{kind: DynoError, code: "R12", codeName: "Exit timeout", detail: "Process failed to exit within 30 seconds of SIGTERM", severity: SeverityError}},
		{"R13 with detail", "Error R13 (Attach error) -> Failed to attach to process",
			dynoWant{kind: DynoError, code: "R13", codeName: "Attach error", detail: "Failed to attach to process", severity: SeverityError}},
		{"R16 with detail", "Error R16 (Detached) -> An attached process is not responding to SIGHUP after its external connection was closed.",
			dynoWant{kind: DynoError, code: "R16", codeName: "Detached", detail: "An attached process is not responding to SIGHUP after its external connection was closed.", severity: SeverityError}},
		// The documentation elides the hashes with "…"; kept as written.
		{"R17 with detail", "Error R17 (Checksum error) -> Checksum does match expected value. Expected: SHA256:… Actual: SHA256:…",
			dynoWant{kind: DynoError, code: "R17", codeName: "Checksum error", detail: "Checksum does match expected value. Expected: SHA256:… Actual: SHA256:…", severity: SeverityError}},
		{"R99 without a name", "Error R99 -> platform trouble",
			dynoWant{kind: DynoError, code: "R99", detail: "platform trouble", severity: SeverityError}},
		{"SIGHUP on run dynos", "Client connection closed. Sending SIGHUP to all processes",
			dynoWant{kind: DynoSIGHUP, signal: "SIGHUP", all: true, severity: SeverityInfo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := []byte(tt.msg)
			var ev DynoEvent
			if !ParseDyno(msg, &ev) {
				t.Fatalf("ParseDyno(%q) not recognised", tt.msg)
			}
			got := dynoWant{
				kind: ev.Kind, from: string(ev.From), to: string(ev.To),
				command: string(ev.Command), user: string(ev.User),
				signal: string(ev.Signal), all: ev.AllProcesses,
				exit: ev.ExitStatus, hasExit: ev.HasExitStatus,
				memMB: ev.MemoryMB, memPct: ev.MemoryPercent, hasMem: ev.HasMemory,
				code: ev.Code.String(), codeName: string(ev.CodeName), detail: string(ev.Detail),
				launch: ev.Launch(), severity: ev.Severity(),
			}
			if got != tt.want {
				t.Errorf("ParseDyno(%q)\n got %+v\nwant %+v", tt.msg, got, tt.want)
			}
		})
	}
}

func TestParseDynoLeavesOtherTextUnrecognised(t *testing.T) {
	for _, msg := range []string{
		"",
		"Listening on port 5000",
		"State changed from",
		"State changed from  to up x",
		"Stopping the world",
		"Error: something broke",
		"Error H12 (Request timeout)", // an H code is not a dyno error
		"Restarting now please",
		"Error R1x (bad)",
	} {
		var ev DynoEvent
		if ParseDyno([]byte(msg), &ev) {
			t.Errorf("ParseDyno(%q) recognised as %v", msg, ev.Kind)
		}
	}
}

func TestParseDynoToleratesTrailingText(t *testing.T) {
	var ev DynoEvent
	if !ParseDyno([]byte("State changed from up to down — extra"), &ev) || string(ev.To) != "down" {
		t.Errorf("to = %q", ev.To)
	}
	if !ParseDyno([]byte("Restarting  "), &ev) || ev.Kind != DynoRestarting {
		t.Errorf("kind = %v", ev.Kind)
	}
}

func TestParseDynoDoesNotAllocate(t *testing.T) {
	msg := []byte("Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch")
	var ev DynoEvent
	if n := testing.AllocsPerRun(100, func() { ParseDyno(msg, &ev) }); n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func FuzzDyno(f *testing.F) {
	for _, s := range []string{
		"State changed from starting to up", "Starting process with command `npm start` by user a@b",
		"Stopping all processes with SIGTERM", "Process exited with status 143", "Process running mem=590M(115.2%)",
		"Error R10 (Boot timeout) -> Web process failed", "Error R14 (", "Starting process with command `",
		"Process running mem=1.5GB(", "Client connection closed. Sending SIGHUP to all processes",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		var ev DynoEvent
		ok := ParseDyno(msg, &ev)
		if ok != (ev.Kind != DynoUnknown) {
			t.Fatalf("ok=%v kind=%v", ok, ev.Kind)
		}
		for _, b := range [][]byte{ev.From, ev.To, ev.Command, ev.User, ev.Signal, ev.CodeName, ev.Detail} {
			if !within(b, msg) {
				t.Fatalf("field %q not within input %q", b, msg)
			}
		}
		if ev.HasExitStatus && ev.ExitStatus < 0 {
			t.Fatalf("negative exit status %d", ev.ExitStatus)
		}
		_ = ev.Launch()
		_ = ev.Severity()
	})
}
