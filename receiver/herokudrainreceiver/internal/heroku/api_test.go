package heroku

import (
	"strconv"
	"strings"
	"testing"
)

type apiWant struct {
	kind       APIEventKind
	user       string
	version    string
	versionNum int
	commit     string
	formation  string // entries as "type@q:size|…", from the iterator
	buildURL   string
	configVars string // names joined with "|", from the iterator
	attachment string
	addon      string
	stack      string
	detail     string
	severity   Severity
}

func apiGot(ev *APIEvent) apiWant {
	var f []string
	it := ev.FormationEntries()
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		f = append(f, string(e.Type)+"@"+strconv.Itoa(e.Quantity)+":"+string(e.Size))
	}
	var c []string
	names := ev.ConfigVarNames()
	for n, ok := names.Next(); ok; n, ok = names.Next() {
		c = append(c, string(n))
	}
	return apiWant{
		kind: ev.Kind, user: string(ev.User), version: string(ev.Version), versionNum: ev.VersionNum,
		commit: string(ev.Commit), formation: strings.Join(f, "|"), buildURL: string(ev.BuildURL),
		configVars: strings.Join(c, "|"), attachment: string(ev.Attachment), addon: string(ev.Addon),
		stack: string(ev.Stack), detail: string(ev.Detail), severity: ev.Severity(),
	}
}

func TestParseAPIReadsEveryPlatformEvent(t *testing.T) {
	// Texts as in docs/heroku-formats.md, "Platform API events". Where they
	// hold an email, a commit or a uuid the test fills in plausible values;
	// the user address is the one seen in add-on example captures.
	const u = "user@example.com"
	tests := []struct {
		name string
		msg  string
		want apiWant
	}{
		{"build start names the user", "Build started by user " + u,
			apiWant{kind: APIBuildStarted, user: u, severity: SeverityInfo}},
		{"build success", "Build succeeded",
			apiWant{kind: APIBuildSucceeded, severity: SeverityInfo}},
		{"build failure is an error with the build link",
			"Build failed -- check your build output: https://dashboard.heroku.com/apps/0b6b9bcd-1f4b-4b5c-9f0e-6e4a1b0c2d3e/activity/builds/7c1f2a3b-4d5e-6f70-8192-a3b4c5d6e7f8",
			apiWant{kind: APIBuildFailed, buildURL: "https://dashboard.heroku.com/apps/0b6b9bcd-1f4b-4b5c-9f0e-6e4a1b0c2d3e/activity/builds/7c1f2a3b-4d5e-6f70-8192-a3b4c5d6e7f8", severity: SeverityError}},
		{"deploy gives commit and user", "Deploy 954ab531 by user " + u,
			apiWant{kind: APIDeploy, user: u, commit: "954ab531", severity: SeverityInfo}},
		{"release gives version and user", "Release v6 created by user " + u,
			apiWant{kind: APIRelease, user: u, version: "v6", versionNum: 6, severity: SeverityInfo}},
		{"scale lists the whole formation", "Scaled to web@2:Standard-1X worker@1:Standard-2X by user " + u,
			apiWant{kind: APIScale, user: u, formation: "web@2:Standard-1X|worker@1:Standard-2X", severity: SeverityInfo}},
		{"scale to free dyno", "Scaled to web@1:Free by user " + u,
			apiWant{kind: APIScale, user: u, formation: "web@1:Free", severity: SeverityInfo}},
		{"scale by an add-on", "Scaled to web@3:Performance-L by user heroku.hirefire.api@addons.heroku.com",
			apiWant{kind: APIScale, user: "heroku.hirefire.api@addons.heroku.com", formation: "web@3:Performance-L", severity: SeverityInfo}},
		{"scale to zero", "Scaled to console@0:Free rake@0:Free web@1:Free by user " + u,
			apiWant{kind: APIScale, user: u, formation: "console@0:Free|rake@0:Free|web@1:Free", severity: SeverityInfo}},
		{"config set lists names", "Set A, B, C config vars by user " + u,
			apiWant{kind: APIConfigSet, user: u, configVars: "A|B|C", severity: SeverityInfo}},
		{"config set of one var", "Set SESSION_SECRET config vars by user " + u,
			apiWant{kind: APIConfigSet, user: u, configVars: "SESSION_SECRET", severity: SeverityInfo}},
		// No capture of the removal wording has been seen; by analogy with Set.
		{"config remove", "Remove X config vars by user " + u,
			apiWant{kind: APIConfigRemove, user: u, configVars: "X", severity: SeverityInfo}},
		{"attach gives attachment and add-on", "Attach DATABASE (@ref:postgresql-flat-02648) by user " + u,
			apiWant{kind: APIAddonAttach, user: u, attachment: "DATABASE", addon: "postgresql-flat-02648", severity: SeverityInfo}},
		// No capture of Detach and Update has been seen; wording by analogy with Attach.
		{"detach gives attachment and add-on", "Detach DATABASE (@ref:postgresql-flat-02648) by user " + u,
			apiWant{kind: APIAddonDetach, user: u, attachment: "DATABASE", addon: "postgresql-flat-02648", severity: SeverityInfo}},
		{"attachment update", "Update DATABASE by user " + u,
			apiWant{kind: APIAddonUpdate, user: u, attachment: "DATABASE", severity: SeverityInfo}},
		{"provisioning done names the add-on and its vars", "@ref:postgresql-flat-02648 completed provisioning, setting DATABASE_URL. by user " + u,
			apiWant{kind: APIAddonProvisioned, user: u, addon: "postgresql-flat-02648", configVars: "DATABASE_URL", severity: SeverityInfo}},
		{"provisioning done with two vars", "@ref:redis-defined-55463 completed provisioning, setting REDIS_TLS_URL, REDIS_URL. by user heroku-redis@addons.heroku.com",
			apiWant{kind: APIAddonProvisioned, user: "heroku-redis@addons.heroku.com", addon: "redis-defined-55463", configVars: "REDIS_TLS_URL|REDIS_URL", severity: SeverityInfo}},
		{"provisioning done without vars or user", "@ref:searchbox-tapered-14398 completed provisioning",
			apiWant{kind: APIAddonProvisioned, addon: "searchbox-tapered-14398", severity: SeverityInfo}},
		{"release phase", "Running release v5 commands by user " + u,
			apiWant{kind: APIReleaseCommands, user: u, version: "v5", versionNum: 5, severity: SeverityInfo}},
		{"rollback", "Rollback to v7 by user " + u,
			apiWant{kind: APIRollback, user: u, version: "v7", versionNum: 7, severity: SeverityInfo}},
		{"initial release", "Initial release by user " + u,
			apiWant{kind: APIInitialRelease, user: u, severity: SeverityInfo}},
		{"enable logplex", "Enable Logplex by user " + u,
			apiWant{kind: APIEnableLogplex, user: u, severity: SeverityInfo}},
		{"stack upgrade", "Upgrade stack to heroku-20 by user " + u,
			apiWant{kind: APIStackUpgrade, user: u, stack: "heroku-20", severity: SeverityInfo}},
		{"unknown wording still keeps the actor", "Add heroku-redis:mini add-on by user " + u,
			apiWant{kind: APIOther, user: u, detail: "Add heroku-redis:mini add-on", severity: SeverityInfo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev APIEvent
			if !ParseAPI([]byte(tt.msg), &ev) {
				t.Fatalf("ParseAPI(%q) not recognised", tt.msg)
			}
			if got := apiGot(&ev); got != tt.want {
				t.Errorf("ParseAPI(%q)\n got %+v\nwant %+v", tt.msg, got, tt.want)
			}
		})
	}
}

func TestParseAPILeavesOtherTextUnrecognised(t *testing.T) {
	for _, msg := range []string{"", "hello", "Build", "Release v6", "Set FOO"} {
		var ev APIEvent
		if ParseAPI([]byte(msg), &ev) || ev.Kind != APIUnknown || ev.User != nil {
			t.Errorf("ParseAPI(%q) = %+v", msg, ev)
		}
	}
}

func TestFormationIterSkipsMalformedEntries(t *testing.T) {
	it := FormationIter{rest: []byte(" web@2:Standard-1X junk @3:X worker@x:Y clock@1 release@0:  ")}
	var got []string
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		got = append(got, string(e.Type)+"@"+strconv.Itoa(e.Quantity)+":"+string(e.Size))
	}
	if want := "web@2:Standard-1X|clock@1:"; strings.Join(got, "|") != want {
		t.Errorf("entries = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestParseAPIAndIteratorsDoNotAllocate(t *testing.T) {
	msg := []byte("Scaled to web@2:Standard-1X worker@1:Standard-2X by user user@example.com")
	var ev APIEvent
	n := testing.AllocsPerRun(100, func() {
		ParseAPI(msg, &ev)
		it := ev.FormationEntries()
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func FuzzAPI(f *testing.F) {
	for _, s := range []string{
		"Build started by user a@b", "Build failed -- check your build output: https://x/y",
		"Scaled to web@2:Standard-1X worker@1:Standard-2X by user a@b", "Set A, B config vars by user x",
		"Attach DATABASE (@ref:postgresql-flat-02648) by user x", "@ref:x completed provisioning, setting A, B. by user y",
		"Release v99999999999999999999 created by user x", "Rollback to v", " by user ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		var ev APIEvent
		ok := ParseAPI(msg, &ev)
		if ok != (ev.Kind != APIUnknown) {
			t.Fatalf("ok=%v kind=%v", ok, ev.Kind)
		}
		for _, b := range [][]byte{ev.User, ev.Version, ev.Commit, ev.Formation, ev.BuildURL, ev.ConfigVars, ev.Attachment, ev.Addon, ev.Stack, ev.Detail} {
			if !within(b, msg) {
				t.Fatalf("field %q not within input %q", b, msg)
			}
		}
		it := ev.FormationEntries()
		for e, ok := it.Next(); ok; e, ok = it.Next() {
			if !within(e.Type, msg) || !within(e.Size, msg) || len(e.Type) == 0 || e.Quantity < 0 {
				t.Fatalf("bad entry %+v", e)
			}
		}
		names := ev.ConfigVarNames()
		for n, ok := names.Next(); ok; n, ok = names.Next() {
			if len(n) == 0 || !within(n, msg) {
				t.Fatalf("bad name %q", n)
			}
		}
		_ = ev.Severity()
	})
}
