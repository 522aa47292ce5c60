package translate

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// dyno frames a dyno-manager message for procid, with PRI 40 (emerg), as
// Heroku's own docs show it: the severity must come from the content.
func dyno(procID, msg string) string {
	return "<40>1 2024-03-15T09:26:53.589793+00:00 host heroku " + procID + " - " + msg
}

func dynoAttrs(name, typ string, kv ...any) map[string]any {
	return with(map[string]any{AttrComponent: "dyno", AttrDynoName: name, AttrDynoType: typ}, kv...)
}

func rErr(code, desc string, kv ...any) []any {
	return append([]any{AttrErrorCode, code, attrErrorType, code, AttrErrorDescription, desc}, kv...)
}

func TestDynoEvents(t *testing.T) {
	runLineCases(t, []lineCase{
		{
			name:     "starting→up is a successful launch, at info despite PRI emerg",
			line:     dyno("web.1", "State changed from starting to up"),
			want:     dynoAttrs("web.1", "web", AttrStateFrom, "starting", AttrStateTo, "up", AttrLaunch, "successful"),
			absent:   noErr,
			event:    "heroku.dyno.state_changed",
			severity: plog.SeverityNumberInfo,
		},
		{
			name:     "→crashed is a crashed launch and an error",
			line:     dyno("web.1", "State changed from starting to crashed"),
			want:     dynoAttrs("web.1", "web", AttrStateFrom, "starting", AttrStateTo, "crashed", AttrLaunch, "crashed"),
			event:    "heroku.dyno.state_changed",
			severity: plog.SeverityNumberError,
		},
		{
			name:  "up→complete of a one-off dyno is a completed launch",
			line:  dyno("run.2660", "State changed from up to complete"),
			want:  dynoAttrs("run.2660", "run", AttrStateTo, "complete", AttrLaunch, "completed"),
			event: "heroku.dyno.state_changed",
		},
		{
			name:  "up→down is a stopped dyno",
			line:  dyno("worker.3", "State changed from up to down"),
			want:  dynoAttrs("worker.3", "worker", AttrStateFrom, "up", AttrStateTo, "down", AttrLaunch, "stopped"),
			event: "heroku.dyno.state_changed",
		},
		{
			name:   "created→starting is in progress: no launch outcome",
			line:   dyno("scheduler.2077", "State changed from created to starting"),
			want:   dynoAttrs("scheduler.2077", "scheduler", AttrStateFrom, "created", AttrStateTo, "starting"),
			absent: []string{AttrLaunch},
			event:  "heroku.dyno.state_changed",
		},
		{
			name:  "provisioning→starting keeps both states",
			line:  dyno("release.4821", "State changed from provisioning to starting"),
			want:  dynoAttrs("release.4821", "release", AttrStateFrom, "provisioning", AttrStateTo, "starting"),
			event: "heroku.dyno.state_changed",
		},
		{
			name:   "Starting process keeps the command without backticks",
			line:   dyno("web.1", "Starting process with command `bundle exec puma -C config/puma.rb`"),
			want:   dynoAttrs("web.1", "web", attrProcessCommand, "bundle exec puma -C config/puma.rb"),
			absent: []string{attrUserEmail},
			event:  "heroku.dyno.starting",
		},
		{
			name:  "a one-off dyno's Starting process names its user",
			line:  dyno("run.7219", "Starting process with command `bin/rails console` by user jane@example.com"),
			want:  dynoAttrs("run.7219", "run", attrProcessCommand, "bin/rails console", attrUserEmail, "jane@example.com"),
			event: "heroku.dyno.starting",
		},
		{
			name:  "the old colon form of Starting process is read too",
			line:  dyno("web.2", "Starting process with command: `node server.js`"),
			want:  dynoAttrs("web.2", "web", attrProcessCommand, "node server.js"),
			event: "heroku.dyno.starting",
		},
		{
			name:     "Stopping all processes with SIGTERM is routine",
			line:     dyno("web.1", "Stopping all processes with SIGTERM"),
			want:     dynoAttrs("web.1", "web", AttrSignal, "SIGTERM"),
			event:    "heroku.dyno.stopping",
			severity: plog.SeverityNumberInfo,
		},
		{
			name:     "Stopping process with SIGKILL warns",
			line:     dyno("web.1", "Stopping process with SIGKILL"),
			want:     dynoAttrs("web.1", "web", AttrSignal, "SIGKILL"),
			event:    "heroku.dyno.stopping",
			severity: plog.SeverityNumberWarn,
		},
		{
			name:  "the older Stopping process with SIGTERM",
			line:  dyno("worker.1", "Stopping process with SIGTERM"),
			want:  dynoAttrs("worker.1", "worker", AttrSignal, "SIGTERM"),
			event: "heroku.dyno.stopping",
		},
		{
			name:     "exit status 143 (SIGTERM) is routine",
			line:     dyno("web.1", "Process exited with status 143"),
			want:     dynoAttrs("web.1", "web", attrProcessExitCode, 143),
			event:    "heroku.dyno.exited",
			severity: plog.SeverityNumberInfo,
		},
		{
			name:     "exit status 137 (SIGKILL) warns",
			line:     dyno("web.1", "Process exited with status 137"),
			want:     dynoAttrs("web.1", "web", attrProcessExitCode, 137),
			event:    "heroku.dyno.exited",
			severity: plog.SeverityNumberWarn,
		},
		{
			name:     "exit status 0 is info",
			line:     dyno("run.2660", "Process exited with status 0"),
			want:     dynoAttrs("run.2660", "run", attrProcessExitCode, 0),
			event:    "heroku.dyno.exited",
			severity: plog.SeverityNumberInfo,
		},
		{
			name:   "a bare Process exited has no exit code",
			line:   dyno("web.1", "Process exited"),
			want:   dynoAttrs("web.1", "web"),
			absent: []string{attrProcessExitCode},
			event:  "heroku.dyno.exited",
		},
		{
			name:  "Restarting gives restart reason restart",
			line:  dyno("web.1", "Restarting"),
			want:  dynoAttrs("web.1", "web", AttrRestartReason, "restart"),
			event: "heroku.dyno.restarting",
		},
		{
			name:  "Cycling is the daily restart",
			line:  dyno("web.1", "Cycling"),
			want:  dynoAttrs("web.1", "web", AttrRestartReason, "cycle"),
			event: "heroku.dyno.cycling",
		},
		{
			name:   "Idling",
			line:   dyno("web.1", "Idling"),
			want:   dynoAttrs("web.1", "web"),
			absent: []string{AttrRestartReason},
			event:  "heroku.dyno.idling",
		},
		{
			name:  "Unidling",
			line:  dyno("web.1", "Unidling"),
			want:  dynoAttrs("web.1", "web"),
			event: "heroku.dyno.unidling",
		},
		{
			name:     "Process running mem= over quota warns and gives MB and percent",
			line:     dyno("web.1", "Process running mem=590M(115.2%)"),
			want:     dynoAttrs("web.1", "web", AttrMemoryMB, 590.0, AttrMemoryPercent, 115.2),
			event:    "heroku.dyno.memory",
			severity: plog.SeverityNumberWarn,
		},
		{
			name:  "the doc's MB form of Process running mem=",
			line:  dyno("worker.1", "Process running mem=1028MB(103.3%)"),
			want:  dynoAttrs("worker.1", "worker", AttrMemoryMB, 1028.0, AttrMemoryPercent, 103.3),
			event: "heroku.dyno.memory",
		},
		{
			name:  "Client connection closed sends SIGHUP",
			line:  dyno("run.4242", "Client connection closed. Sending SIGHUP to all processes"),
			want:  dynoAttrs("run.4242", "run", AttrSignal, "SIGHUP"),
			event: "heroku.dyno.sighup",
		},
		{
			name:     "R10 boot timeout",
			line:     dyno("web.1", "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch"),
			want:     dynoAttrs("web.1", "web", rErr("R10", "Boot timeout")...),
			event:    "heroku.dyno.error",
			severity: plog.SeverityNumberError,
		},
		{
			name:  "R12 exit timeout",
			line:  dyno("worker.1", "Error R12 (Exit timeout) -> Process failed to exit within 30 seconds of SIGTERM"),
			want:  dynoAttrs("worker.1", "worker", rErr("R12", "Exit timeout")...),
			event: "heroku.dyno.error",
		},
		{
			name:     "R13 arrives in the app channel and is still a dyno event",
			line:     "<190>1 2024-03-15T09:26:53.589793+00:00 host app run.3 - Error R13 (Attach error) -> Failed to attach to process",
			want:     dynoAttrs("run.3", "run", rErr("R13", "Attach error")...),
			event:    "heroku.dyno.error",
			severity: plog.SeverityNumberError,
		},
		{
			name:     "R14 memory quota exceeded only warns",
			line:     dyno("web.1", "Error R14 (Memory quota exceeded)"),
			want:     dynoAttrs("web.1", "web", rErr("R14", "Memory quota exceeded")...),
			event:    "heroku.dyno.error",
			severity: plog.SeverityNumberWarn,
		},
		{
			name:     "R15 memory quota vastly exceeded is an error",
			line:     dyno("web.1", "Error R15 (Memory quota vastly exceeded)"),
			want:     dynoAttrs("web.1", "web", rErr("R15", "Memory quota vastly exceeded")...),
			event:    "heroku.dyno.error",
			severity: plog.SeverityNumberError,
		},
		{
			name:  "R16 detached",
			line:  dyno("run.5", "Error R16 (Detached) -> An attached process is not responding to SIGHUP after its external connection was closed."),
			want:  dynoAttrs("run.5", "run", rErr("R16", "Detached")...),
			event: "heroku.dyno.error",
		},
		{
			name:  "R17 checksum error",
			line:  dyno("web.1", "Error R17 (Checksum error) -> Checksum does match expected value. Expected: SHA256:ed5718e83475c780145609cbb2e4f77ec8076f6f59ebc8a916fb790fbdb1ae64 Actual: SHA256:9ca15af16e06625dfd123ebc3472afb0c5091645512b31ac3dd355f0d8cc42c1"),
			want:  dynoAttrs("web.1", "web", rErr("R17", "Checksum error")...),
			event: "heroku.dyno.error",
		},
		{
			name:  "an unknown R code takes its logged name as the description",
			line:  dyno("web.1", "Error R42 (New failure) -> something went wrong"),
			want:  dynoAttrs("web.1", "web", rErr("R42", "New failure")...),
			event: "heroku.dyno.error",
		},
		{
			name:  "an unknown R code without a name takes the detail text",
			line:  dyno("web.1", "Error R43: something else went wrong"),
			want:  dynoAttrs("web.1", "web", rErr("R43", "something else went wrong")...),
			event: "heroku.dyno.error",
		},
	})
}

func TestDynoType(t *testing.T) {
	for in, want := range map[string]string{
		"web.1": "web", "worker.12": "worker", "run.2660": "run", "scheduler.2077": "scheduler",
		"release.4821": "release", "clock.1": "clock", "urgent_jobs.3": "urgent_jobs",
		"web": "", ".1": "", "": "", "heroku.2808254.d97d0ea7": "heroku",
	} {
		if got := dynoType([]byte(in)); got != want {
			t.Errorf("dynoType(%q) = %q, want %q", in, got, want)
		}
		if got := dynoTypeOfName(in); got != want {
			t.Errorf("dynoTypeOfName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDynoTypeDoesNotAllocateForCommonTypes(t *testing.T) {
	names := [][]byte{[]byte("web.1"), []byte("worker.3"), []byte("run.2660"), []byte("scheduler.2077")}
	if n := testing.AllocsPerRun(100, func() {
		for _, b := range names {
			_ = dynoType(b)
		}
	}); n != 0 {
		t.Errorf("dynoType allocates %v times", n)
	}
}

func TestLooksLikeDyno(t *testing.T) {
	for in, want := range map[string]bool{
		"web.1": true, "worker.2": true, "run.1234": true, "scheduler.2077": true, "release.4821": true,
		"clock.1": true, "api": false, "heroku-postgres": false, "log-shuttle": false, "router": false,
		"web.": false, ".1": false, "web.1a": false, "web-58b8d8b8f5-xv9r2": false, "": false,
	} {
		if got := looksLikeDyno(in); got != want {
			t.Errorf("looksLikeDyno(%q) = %v, want %v", in, got, want)
		}
	}
}
