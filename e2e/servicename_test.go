package e2e

import (
	"bytes"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// TestEveryResourceHasServiceName posts the sample drain without ?app=,
// once with a token herokuapp does not know and once with one it maps, and
// checks service.name on every record and every metric resource: the
// semantic conventions' unknown_service form next to the drain token, or
// the app.
func TestEveryResourceHasServiceName(t *testing.T) {
	body, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	const unknownToken = "d.00000000-0000-4000-8000-000000000001"
	for _, tc := range []struct{ name, token, service string }{
		{"a token herokuapp does not know gives unknown_service:heroku", unknownToken, "unknown_service:heroku"},
		{"a token herokuapp maps gives the app", SampleToken, SampleApp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink, _, ep := pipeline(t, nil)
			req, err := http.NewRequest(http.MethodPost, ep.DrainURL(""), bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/logplex-1")
			req.Header.Set("Logplex-Frame-Id", logplextest.NewFrameID())
			req.Header.Set("Logplex-Drain-Token", tc.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			checkDrainResponse(t, resp)
			if !sink.WaitFor(30*time.Second, func() bool { return sink.LogRecordCount() >= 25 && sink.DataPointCount() > 0 }) {
				t.Fatalf("%d records and %d points arrived", sink.LogRecordCount(), sink.DataPointCount())
			}
			for i, r := range sink.Records() {
				if got := Str(r.Resource.Attributes(), "service.name"); got != tc.service {
					t.Fatalf("record %d: service.name %q, want %q", i, got, tc.service)
				}
				if got := Str(r.Resource.Attributes(), "heroku.drain.token"); got != tc.token {
					t.Fatalf("record %d: heroku.drain.token %q, want %q", i, got, tc.token)
				}
			}
			for _, md := range sink.Metrics() {
				for i := 0; i < md.ResourceMetrics().Len(); i++ {
					if got := Str(md.ResourceMetrics().At(i).Resource().Attributes(), "service.name"); got != tc.service {
						t.Fatalf("metric resource: service.name %q, want %q", got, tc.service)
					}
				}
			}
		})
	}
}
