package translate

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// api frames a platform event of the app's api channel.
func api(msg string) string {
	return "<134>1 2024-03-15T11:00:02.000000+00:00 host app api - " + msg
}

func apiAttrs(kv ...any) map[string]any {
	return with(map[string]any{AttrComponent: "api"}, kv...)
}

const user = "jane@example.com"

func TestAPIEvents(t *testing.T) {
	runLineCases(t, []lineCase{
		{
			name:     "Build started names its user",
			line:     api("Build started by user " + user),
			want:     apiAttrs(attrUserEmail, user, AttrBuildOutcome, "started"),
			event:    "heroku.api.build_started",
			severity: plog.SeverityNumberInfo,
		},
		{
			name:   "Build succeeded has no user",
			line:   api("Build succeeded"),
			want:   apiAttrs(AttrBuildOutcome, "succeeded"),
			absent: []string{attrUserEmail, AttrBuildURL},
			event:  "heroku.api.build_succeeded",
		},
		{
			name:     "Build failed is an error and keeps the build URL",
			line:     api("Build failed -- check your build output: https://dashboard.heroku.com/apps/2c3e5e2d-8c1b-4a8f-9f44-1d1a3b4c5d6e/activity/builds/9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4"),
			want:     apiAttrs(AttrBuildOutcome, "failed", AttrBuildURL, "https://dashboard.heroku.com/apps/2c3e5e2d-8c1b-4a8f-9f44-1d1a3b4c5d6e/activity/builds/9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4"),
			event:    "heroku.api.build_failed",
			severity: plog.SeverityNumberError,
		},
		{
			name:   "Deploy gives the commit and user",
			line:   api("Deploy 3f2a9c1 by user " + user),
			want:   apiAttrs(attrReleaseCommit, "3f2a9c1", attrUserEmail, user),
			absent: []string{AttrBuildOutcome, AttrReleaseVersion},
			event:  "heroku.api.deploy",
		},
		{
			name:  "Release gives the version as written",
			line:  api("Release v42 created by user " + user),
			want:  apiAttrs(AttrReleaseVersion, "v42", attrUserEmail, user),
			event: "heroku.api.release",
		},
		{
			name:  "Scaled to keeps the raw formation",
			line:  api("Scaled to web@2:Standard-1X worker@1:Standard-2X by user " + user),
			want:  apiAttrs(AttrFormation, "web@2:Standard-1X worker@1:Standard-2X", attrUserEmail, user),
			event: "heroku.api.scale",
		},
		{
			name:  "an autoscaling add-on can be the user of a scale event",
			line:  api("Scaled to web@3:Performance-L by user heroku.hirefire.api@addons.heroku.com"),
			want:  apiAttrs(AttrFormation, "web@3:Performance-L", attrUserEmail, "heroku.hirefire.api@addons.heroku.com"),
			event: "heroku.api.scale",
		},
		{
			name:  "Set config vars keeps the names as a list",
			line:  api("Set SECRET_KEY_BASE, RAILS_ENV, WEB_CONCURRENCY config vars by user " + user),
			want:  apiAttrs(AttrConfigVars, []string{"SECRET_KEY_BASE", "RAILS_ENV", "WEB_CONCURRENCY"}, attrUserEmail, user),
			event: "heroku.api.config_set",
		},
		{
			name:  "Remove config vars",
			line:  api("Remove OLD_TOKEN config vars by user " + user),
			want:  apiAttrs(AttrConfigVars, []string{"OLD_TOKEN"}, attrUserEmail, user),
			event: "heroku.api.config_remove",
		},
		{
			name:  "Attach gives the attachment and the add-on",
			line:  api("Attach DATABASE (@ref:postgresql-flat-02648) by user " + user),
			want:  apiAttrs(AttrAddonAttach, "DATABASE", AttrAddonName, "postgresql-flat-02648", attrUserEmail, user),
			event: "heroku.api.addon_attach",
		},
		{
			name:  "Detach",
			line:  api("Detach HEROKU_POSTGRESQL_GREEN (@ref:postgresql-opaque-12345) by user " + user),
			want:  apiAttrs(AttrAddonAttach, "HEROKU_POSTGRESQL_GREEN", AttrAddonName, "postgresql-opaque-12345"),
			event: "heroku.api.addon_detach",
		},
		{
			name:  "an add-on finishing provisioning lists the config vars it set",
			line:  api("@ref:postgresql-flat-02648 completed provisioning, setting DATABASE_URL. by user " + user),
			want:  apiAttrs(AttrAddonName, "postgresql-flat-02648", AttrConfigVars, []string{"DATABASE_URL"}, attrUserEmail, user),
			event: "heroku.api.addon_provisioned",
		},
		{
			name:  "Running release commands gives the version",
			line:  api("Running release v5 commands by user " + user),
			want:  apiAttrs(AttrReleaseVersion, "v5", attrUserEmail, user),
			event: "heroku.api.release_commands",
		},
		{
			name:  "Rollback gives the target version",
			line:  api("Rollback to v7 by user " + user),
			want:  apiAttrs(AttrReleaseVersion, "v7", attrUserEmail, user),
			event: "heroku.api.rollback",
		},
		{
			name:  "Initial release",
			line:  api("Initial release by user " + user),
			want:  apiAttrs(attrUserEmail, user),
			event: "heroku.api.initial_release",
		},
		{
			name:  "Enable Logplex",
			line:  api("Enable Logplex by user " + user),
			want:  apiAttrs(attrUserEmail, user),
			event: "heroku.api.enable_logplex",
		},
		{
			name:  "Upgrade stack gives the stack",
			line:  api("Upgrade stack to heroku-20 by user " + user),
			want:  apiAttrs(AttrStack, "heroku-20", attrUserEmail, user),
			event: "heroku.api.stack_upgrade",
		},
		{
			name:  "an unknown action by a user is still an event with its user",
			line:  api("Transfer to team acme by user " + user),
			want:  apiAttrs(attrUserEmail, user),
			event: "heroku.api.other",
		},
		{
			name:  "the Postgres add-on's Update line is an API event on the postgres component",
			line:  "<134>1 2024-03-15T11:00:02+00:00 host app heroku-postgres - Update DATABASE by user " + user,
			want:  map[string]any{AttrComponent: "postgres", AttrAddonAttach: "DATABASE", attrUserEmail: user},
			event: "heroku.api.addon_update",
		},
		{
			name:   "unrecognised api text is an app line without an event",
			line:   api("Something Heroku never said"),
			want:   apiAttrs(),
			absent: []string{attrUserEmail, AttrDynoName},
		},
	})
}
