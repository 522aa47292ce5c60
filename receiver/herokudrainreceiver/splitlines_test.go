package herokudrainreceiver

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// utf8Line is a 25,000-byte line (LF included) of 3-byte characters, so
// that both of log-shuttle's 10,000-byte cuts fall inside a character.
func utf8Line() []byte {
	var line []byte
	for len(line)+3 <= 25_000-1 {
		line = append(line, "€"...)
	}
	for len(line) < 25_000-1 {
		line = append(line, '}')
	}
	return append(line, '\n')
}

// shuttlePieces renders the line as the frames log-shuttle makes of it.
func shuttlePieces(line []byte) []logplextest.Message {
	return logplextest.ShuttleSplit(logplextest.Message{
		PRI: logplextest.PRIApp, Time: time.Date(2024, 3, 15, 12, 0, 0, 123456000, time.UTC),
		AppName: "app", ProcID: "web.1",
	}, line)
}

func bodyOf(msgs []logplextest.Message) string { return string(logplextest.Body(msgs)) }

func withFrameID(id string) map[string]string { return map[string]string{"Logplex-Frame-Id": id} }

func counterTotal(t *testing.T, r testReceiver, name string) int64 {
	t.Helper()
	m, err := r.tel.GetMetric(name)
	require.NoError(t, err)
	return metricTotal(t, m)
}

func TestLongUTF8LineCutByLogShuttleIsOneReadableRecord(t *testing.T) {
	line := utf8Line()
	pieces := shuttlePieces(line)
	require.Len(t, pieces, 3)
	require.False(t, utf8.ValidString(pieces[0].Msg) || utf8.ValidString(pieces[1].Msg), "the fixture must cut characters")

	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces), map[string]string{"Logplex-Msg-Count": "3"}).StatusCode)

	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 1)
	body := recs[0].Body()
	require.Equal(t, "Str", body.Type().String(), "the body is text, not bytes")
	assert.Equal(t, strings.TrimSuffix(string(line), "\n"), body.Str())
	assert.Equal(t, "3", attr(t, recs[0].Attributes(), translate.AttrSplitPieces))
	_, invalid := recs[0].Attributes().Get(translate.AttrInvalidUTF8)
	assert.False(t, invalid)
	assert.Equal(t, int64(1), counterTotal(t, r, "otelcol_receiver_herokudrain_split_lines_rejoined"))
	assert.Equal(t, int64(3), counterTotal(t, r, "otelcol_receiver_herokudrain_frames"), "three frames were read")
	_, err := r.tel.GetMetric("otelcol_receiver_herokudrain_msg_count_mismatches")
	assert.Error(t, err, "Logplex-Msg-Count 3 matches the frames read")
}

func TestLineCutAcrossRequestsIsRejoined(t *testing.T) {
	line := utf8Line()
	pieces := shuttlePieces(line)
	sink := new(consumertest.LogsSink)
	r := start(t, nil, pipelines{logs: sink})
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces[:2]), withFrameID("A1")).StatusCode)
	assert.Zero(t, sink.LogRecordCount(), "the first pieces wait for the rest")
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces[2:]), withFrameID("A2")).StatusCode)
	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 1)
	assert.Equal(t, strings.TrimSuffix(string(line), "\n"), recs[0].Body().Str())
}

func TestRefusedRequestKeepsTheOpenLineForTheRetry(t *testing.T) {
	line := utf8Line()
	pieces := shuttlePieces(line)
	sink := &flakyLogs{}
	r := start(t, nil, pipelines{logs: sink})
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces[:1]), withFrameID("B1")).StatusCode)
	sink.fail.Store(1)
	assert.Equal(t, http.StatusServiceUnavailable, post(t, r.url, bodyOf(pieces[1:]), withFrameID("B2")).StatusCode)
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces[1:]), withFrameID("B2")).StatusCode, "Logplex's retry")
	recs := allRecords(sink.AllLogs())
	require.Len(t, recs, 1)
	assert.Equal(t, strings.TrimSuffix(string(line), "\n"), recs[0].Body().Str())
	assert.Equal(t, int64(1), counterTotal(t, r, "otelcol_receiver_herokudrain_split_lines_rejoined"))
}

func TestPiecesThatNeverComeAreEmittedAfterMaxWait(t *testing.T) {
	pieces := shuttlePieces(utf8Line())
	sink := new(consumertest.LogsSink)
	r := start(t, func(c *Config) { c.SplitLines.MaxWait = 50 * time.Millisecond }, pipelines{logs: sink})
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces[:2]), nil).StatusCode)
	require.Eventually(t, func() bool { return sink.LogRecordCount() == 1 }, 5*time.Second, 10*time.Millisecond)
	rec := allRecords(sink.AllLogs())[0]
	assert.True(t, utf8.ValidString(rec.Body().Str()))
	assert.Equal(t, "true", attr(t, rec.Attributes(), translate.AttrSplitIncomplete))
	assert.Equal(t, "2", attr(t, rec.Attributes(), translate.AttrSplitPieces))
	assert.Equal(t, testToken, attr(t, sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes(), translate.AttrDrainToken))
	assert.Equal(t, int64(1), counterTotal(t, r, "otelcol_receiver_herokudrain_split_lines_given_up"))
}

func TestGivenUpLinesAreCountedInLogRecords(t *testing.T) {
	pieces := shuttlePieces(utf8Line())
	logs, metrics := new(consumertest.LogsSink), new(consumertest.MetricsSink)
	r := start(t, func(c *Config) { c.SplitLines.MaxWait = 50 * time.Millisecond }, pipelines{logs: logs, metrics: metrics})
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(pieces[:2])+frame(seedLine), nil).StatusCode)
	require.Eventually(t, func() bool { return logs.LogRecordCount() == 2 }, 5*time.Second, 10*time.Millisecond)
	r.flush(t)
	assert.Equal(t, int64(2), total(gaugesByName(metrics.AllMetrics())["heroku.log.records"]),
		"the seed line and the line whose last pieces never came: two records, two counted")
}

func TestShutdownEmitsOpenLines(t *testing.T) {
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.NetAddr.Endpoint = "localhost:0"
	sink := new(consumertest.LogsSink)
	l, err := f.CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, l.Start(context.Background(), componenttest.NewNopHost()))
	url := "http://" + l.(interface{ Unwrap() *drainReceiver }).Unwrap().addr.String() + cfg.Path
	assert.Equal(t, http.StatusOK, post(t, url, bodyOf(shuttlePieces(utf8Line())[:1]), nil).StatusCode)
	assert.Zero(t, sink.LogRecordCount())
	require.NoError(t, l.Shutdown(context.Background()))
	assert.Equal(t, 1, sink.LogRecordCount(), "nothing acknowledged is lost at shutdown")
}

func TestSplitLinesModes(t *testing.T) {
	line := utf8Line()
	for _, tc := range []struct {
		name  string
		mode  string
		check func(t *testing.T, recs []plog.LogRecord)
	}{
		{"mark: every piece is a readable record with its index and the line's id", "mark", func(t *testing.T, recs []plog.LogRecord) {
			require.Len(t, recs, 3)
			var joined string
			for i, rec := range recs {
				assert.Equal(t, "Str", rec.Body().Type().String(), "piece %d", i)
				joined += rec.Body().Str()
				assert.Equal(t, attr(t, recs[0].Attributes(), translate.AttrSplitID), attr(t, rec.Attributes(), translate.AttrSplitID))
				assert.Equal(t, []string{"0", "1", "2"}[i], attr(t, rec.Attributes(), translate.AttrSplitIndex))
				_, last := rec.Attributes().Get(translate.AttrSplitLast)
				assert.Equal(t, i == 2, last)
			}
			assert.Equal(t, strings.TrimSuffix(string(line), "\n"), joined)
		}},
		{"off: frames as received", "off", func(t *testing.T, recs []plog.LogRecord) {
			require.Len(t, recs, 3)
			for _, rec := range recs {
				_, marked := rec.Attributes().Get(translate.AttrSplitID)
				assert.False(t, marked)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := new(consumertest.LogsSink)
			r := start(t, func(c *Config) { c.SplitLines.Mode = tc.mode }, pipelines{logs: sink})
			assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(shuttlePieces(line)), nil).StatusCode)
			tc.check(t, allRecords(sink.AllLogs()))
		})
	}
}

func TestMetricsOnlyReceiverDoesNotHoldPieces(t *testing.T) {
	sink := new(consumertest.MetricsSink)
	r := start(t, nil, pipelines{metrics: sink})
	assert.Equal(t, http.StatusNoContent, post(t, r.url, "", nil).StatusCode)
	assert.Equal(t, http.StatusOK, post(t, r.url, bodyOf(shuttlePieces(utf8Line())[:1])+frame(loadLine), withFrameID("M1")).StatusCode)
	r.flush(t)
	assert.NotZero(t, sink.DataPointCount())
}

func TestSplitLinesConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*SplitLinesConfig)
		want string
	}{
		{"unknown mode", func(c *SplitLinesConfig) { c.Mode = "join" }, `split_lines.mode "join" is not one of rejoin, mark, off`},
		{"max_line_bytes below one Logplex message", func(c *SplitLinesConfig) { c.MaxLineBytes = 100 }, "split_lines.max_line_bytes 100 is out of range"},
		{"max_wait of zero", func(c *SplitLinesConfig) { c.MaxWait = 0 }, "split_lines.max_wait 0s must be above 0"},
		{"max_wait over a minute", func(c *SplitLinesConfig) { c.MaxWait = time.Hour }, "at most 1m0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			tc.mod(&cfg.SplitLines)
			assert.ErrorContains(t, cfg.Validate(), tc.want)
		})
	}
	t.Run("off ignores the bounds", func(t *testing.T) {
		cfg := createDefaultConfig().(*Config)
		cfg.SplitLines = SplitLinesConfig{Mode: "off"}
		assert.NoError(t, cfg.Validate())
	})
}
