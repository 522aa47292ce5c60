package translate

import (
	"bytes"
	"testing"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// FuzzBatchAdd feeds arbitrary bodies through the scanner into a logs-only
// Batch: translation must never panic, and every frame scanned must become
// exactly one record.
func FuzzBatchAdd(f *testing.F) {
	for _, line := range []string{
		benchRouterLine,
		benchDynoLine,
		router(`sock=backend at=error code=H18 desc="Server Request Interrupted" method=GET path="/" host=a fwd="1.2.3.4" dyno=web.1 connect=1ms service=2ms status=503 bytes=`),
		"<158>1 2010-10-06T21:51:04-07:00 host heroku router - Error H12 (Request timeout) -> GET myapp.heroku.com/users?page=3 dyno=web.1 queue=0 wait=0ms service=30000ms bytes=0",
		dyno("web.1", "Process running mem=590M(115.2%)"),
		dyno("web.1", "Error R14 (Memory quota exceeded)"),
		dyno("run.1", "Starting process with command `x` by user a@b"),
		api("Set A, B config vars by user a@b"),
		api("@ref:postgresql-flat-02648 completed provisioning, setting DATABASE_URL. by user a@b"),
		"<172>1 2015-05-09T20:21:24+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2015-05-09T20:19:03+00:00.",
		"<45>1 2024-03-15T09:26:53.589793+00:00 host heroku web.1 - source=web.1 dyno=heroku.1.x sample#load_avg_1m=2.46",
		"<134>1 2024-03-15T12:10:39+00:00 host app heroku-redis - source=REDIS addon=r sample#hit-rate=0.7",
		app("web.1", "count#a=1 measure#b=2ms"),
	} {
		f.Add([]byte(octetCount(line + "\n")))
	}
	f.Add([]byte("12 <1>1 - - - -\n"))
	f.Add([]byte("5 abcde<158>1 x"))
	f.Fuzz(func(t *testing.T, body []byte) {
		b := newTestBatch()
		s := logplex.NewScanner(bytes.NewReader(body), logplex.Options{MaxFrameSize: 2048})
		frames := 0
		for s.Scan() {
			b.Add(s.Frame())
			frames++
		}
		if got := b.Logs().LogRecordCount(); got != frames {
			t.Fatalf("%d records for %d frames", got, frames)
		}
		if got := b.Logs().LogRecordCount(); got != frames {
			t.Fatalf("Logs() holds %d records for %d frames", got, frames)
		}
		if b.Counts().Frames != frames {
			t.Fatalf("Counts().Frames = %d, want %d", b.Counts().Frames, frames)
		}
	})
}
