package herokudrainreceiver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Each malformed-input class arrives between two good frames. Whatever the
// class: the answer is 2xx (a 4xx would make Logplex drop the good frames
// too), both good frames arrive intact, the bad bytes arrive as records
// flagged with logplex.parse_error, and the malformed counter moves.
func TestEveryMalformedInputClassKeepsTheGoodFrames(t *testing.T) {
	good1, good2 := frame(seedLine), frame(routerLine)
	long := "<190>1 2024-01-01T00:00:00Z host app web.1 - " + strings.Repeat("x", 3000) + "\n"
	multibyte := "<190>1 2024-01-01T00:00:00Z host app web.1 - café ünïcödé\n"
	tests := []struct {
		name string
		bad  string
		// good frames that must arrive; by default both
		wantGood int
	}{
		{name: "non-numeric length", bad: "abc <13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "negative length", bad: "-5 <13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "zero length", bad: "0 <13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "20-digit length", bad: "99999999999999999999 <13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "missing space after the length", bad: "48<13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "length too long", bad: "70 <13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "length too short", bad: "20 <13>1 2024-01-01T00:00:00Z host app web.1 - x\n"},
		{name: "length counted in characters, not bytes", bad: fmt.Sprintf("%d %s", len([]rune(multibyte)), multibyte)},
		{name: "LF-delimited syslog lines without lengths", bad: "<13>1 2024-01-01T00:00:00Z host app web.1 - one\n<13>1 2024-01-01T00:00:00Z host app web.1 - two\n"},
		{name: "bad PRI", bad: frame("<1999>1 2024-01-01T00:00:00Z host app web.1 - x\n")},
		{name: "PRI without brackets", bad: frame("13 1 2024-01-01T00:00:00Z host app web.1 - x\n")},
		{name: "bad timestamp", bad: frame("<13>1 2024-13-45T99:00:00Z host app web.1 - x\n")},
		{name: "too few header fields", bad: frame("<13>1 2024-01-01T00:00:00Z host\n")},
		{name: "frame over max_frame_size", bad: frame(long)},
		{name: "binary garbage", bad: "\x00\x01\x02\xff\xfe garbage \x7f\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := new(consumertest.LogsSink)
			r := start(t, func(c *Config) { c.MaxFrameSize = 2048; c.Dedupe.Enabled = false }, pipelines{logs: sink})
			resp := post(t, r.url, good1+tt.bad+good2, nil)
			assert.Equal(t, http.StatusOK, resp.StatusCode)

			recs := allRecords(sink.AllLogs())
			var bodies []string
			flagged := 0
			for _, rec := range recs {
				bodies = append(bodies, rec.Body().AsString())
				if _, ok := rec.Attributes().Get("logplex.parse_error"); ok {
					flagged++
				}
			}
			assert.Contains(t, bodies, "State changed from starting to up", "the good frame before survives")
			assert.Contains(t, bodies, strings.TrimSuffix(routerLine[len("<158>1 2012-10-11T03:47:20+00:00 host heroku router - "):], "\n"),
				"the good frame after survives")
			assert.GreaterOrEqual(t, flagged, 1, "the bad bytes are flagged, not silently dropped: %q", bodies)
			m, err := r.tel.GetMetric("otelcol_receiver_herokudrain_frames_malformed")
			require.NoError(t, err)
			assert.Equal(t, int64(flagged), metricTotal(t, m))
		})
	}
}

func TestStrayNewlinesBetweenFramesAreNotErrors(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	resp := post(t, r.url, "\n"+frame(seedLine)+"\r\n\n"+frame(routerLine)+"\n", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 2)
	for _, rec := range recs {
		_, flagged := rec.Attributes().Get("logplex.parse_error")
		assert.False(t, flagged)
	}
}

func TestRequestsWithoutLogplexHeadersOrWithAnotherContentTypeAreStillRead(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	resp := post(t, r.url, frame(seedLine), map[string]string{
		"Logplex-Drain-Token": "", "Logplex-Frame-Id": "", "Logplex-Msg-Count": "",
		"Content-Type": "text/plain", "User-Agent": "curl/8.0",
	})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, 1, sink.LogRecordCount())
	res := sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes()
	_, hasToken := res.Get("heroku.drain.token")
	assert.False(t, hasToken, "no token header, no token attribute")

	// Without a Frame-Id there is nothing to de-duplicate on: a second post is new data.
	post(t, r.url, frame(seedLine), map[string]string{"Logplex-Frame-Id": ""})
	assert.Equal(t, 2, sink.LogRecordCount())
}

func TestTruncatedFinalFrameIsFlaggedAndEarlierFramesKept(t *testing.T) {
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	body := frame(seedLine) + frame(routerLine)
	body = body[:len(body)-40] // the router frame loses its end
	resp := post(t, r.url, body, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 2)
	assert.Equal(t, "State changed from starting to up", recs[0].Body().Str())
	assertFlagged(t, recs[1], "body ends inside a frame")
}

func assertFlagged(t *testing.T, rec plog.LogRecord, why string) {
	t.Helper()
	v, ok := rec.Attributes().Get("logplex.parse_error")
	require.True(t, ok)
	assert.Contains(t, v.Str(), why)
}
