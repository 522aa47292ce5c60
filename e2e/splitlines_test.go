package e2e

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// TestLongLineCutByLogShuttleArrivesAsOneRecord sends a 25,000-byte UTF-8
// line the way it reaches a drain from a dyno (log-shuttle cuts it into
// 10,000-byte pieces, two of the cuts inside a character), the first two
// pieces in one request and the last in the next, and checks that one
// readable record with the whole line comes out of the built collector.
func TestLongLineCutByLogShuttleArrivesAsOneRecord(t *testing.T) {
	sink, _, ep := pipeline(t, nil)
	var line strings.Builder
	for line.Len()+3 <= 25_000-1 {
		line.WriteString("€")
	}
	for line.Len() < 25_000-1 {
		line.WriteByte('!')
	}
	text := line.String()
	pieces := logplextest.ShuttleSplit(logplextest.Message{
		PRI: logplextest.PRIApp, Time: time.Now(), AppName: "app", ProcID: "web.1",
	}, []byte(text+"\n"))
	if len(pieces) != 3 || utf8.ValidString(pieces[0].Msg) {
		t.Fatalf("fixture: want 3 pieces, the first cut inside a character; got %d", len(pieces))
	}
	after := logplextest.Message{PRI: logplextest.PRIApp, Time: time.Now(), AppName: "app", ProcID: "web.2", Msg: "after the long line"}
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), logplextest.NewFrameID(), logplextest.Body(pieces[:2])))
	checkDrainResponse(t, postDrain(t, ep.DrainURL(""), logplextest.NewFrameID(), logplextest.Body(append(pieces[2:], after))))

	if !sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= 2 }) {
		t.Fatalf("%d records arrived, want 2", sink.LogRecordCount())
	}
	time.Sleep(200 * time.Millisecond) // nothing more may follow
	recs := sink.Records()
	if len(recs) != 2 {
		t.Fatalf("%d records, want the long line and the next one", len(recs))
	}
	long := findRecord(recs, func(r Record) bool { return Str(r.Attributes(), "syslog.procid") == "web.1" })
	if long == nil {
		t.Fatal("no record from web.1")
	}
	if long.Body().Type().String() != "Str" {
		t.Fatalf("body is %s, want a string", long.Body().Type())
	}
	if got := long.Body().Str(); got != text {
		t.Errorf("body is %d bytes, want the %d-byte line", len(got), len(text))
	}
	if v, ok := long.Attributes().Get("logplex.split.pieces"); !ok || v.Int() != 3 {
		t.Errorf("logplex.split.pieces = %v, want 3", long.Attributes().AsRaw()["logplex.split.pieces"])
	}
	if _, ok := long.Attributes().Get("logplex.invalid_utf8"); ok {
		t.Error("the rejoined line is flagged as invalid UTF-8")
	}
}
