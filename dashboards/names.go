package main

// Prometheus names of what the receiver emits, as stored by Prometheus
// through the prometheus_remote_write exporter (OTel dots become
// underscores, counters get _total, units become suffixes). The receiver's
// docs/metrics.md lists the OTel names these come from.
const (
	mRequests      = "heroku_router_requests_total"
	mConnect       = "heroku_router_connect_duration_seconds"
	mLatency       = "http_server_request_duration_seconds"
	mBodySize      = "http_server_response_body_size_bytes"
	mErrors        = "heroku_errors_total"
	mLogRecords    = "heroku_log_records_total"
	mStateChanges  = "heroku_dyno_state_changes_total"
	mExits         = "heroku_dyno_exits_total"
	mRestarts      = "heroku_dyno_restarts_total"
	mBuilds        = "heroku_builds_total"
	mReleases      = "heroku_releases_total"
	mDeploys       = "heroku_deploys_total"
	mScales        = "heroku_scale_operations_total"
	mDropped       = "heroku_logplex_messages_dropped_total"
	mDynosReport   = "heroku_dynos_reporting"
	mFormation     = "heroku_dyno_formation"
	mMemoryPrefix  = "heroku_dyno_memory_"
	mLoadPrefix    = "heroku_dyno_load_average_"
	severityErrors = `heroku_log_severity=~"error|fatal"`
	dynoMatchers   = `heroku_dyno_type=~"$dyno_type", heroku_dyno_name=~"$dyno"`
)
