package translate

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
)

// The semantic conventions require url.scheme on HTTP server requests. A
// router line says it with protocol= (legacy router) or tls= (Router 2.0);
// every router record of such a line must carry it, and a line that says
// neither (routers before protocol= was logged) gets none rather than a guess.
var namesScheme = regexp.MustCompile(`\b(protocol|tls)=`)

func TestRouterRecordsOfCommittedDrainsCarryURLScheme(t *testing.T) {
	for _, file := range []string{"../../../../testdata/drains/router.logplex", "../../../../testdata/drains/sample.logplex"} {
		t.Run(file, func(t *testing.T) {
			body, err := os.Open(file)
			require.NoError(t, err)
			defer body.Close()
			b := newTestBatch()
			s := logplex.NewScanner(body, logplex.Options{SD: logplex.SDNone})
			for s.Scan() {
				b.Add(s.Frame())
			}
			require.NoError(t, s.Err())
			recs := b.Logs().ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
			requests := 0
			for i := 0; i < recs.Len(); i++ {
				attrs := recs.At(i).Attributes()
				if _, ok := attrs.Get(attrHTTPMethod); !ok {
					continue
				}
				requests++
				v, ok := attrs.Get(attrURLScheme)
				if !namesScheme.MatchString(recs.At(i).Body().Str()) {
					assert.False(t, ok, "router record %d: url.scheme %q from a line that does not say it", i, v.Str())
					continue
				}
				if assert.True(t, ok, "router record %d has no url.scheme", i) {
					assert.Contains(t, []string{"http", "https"}, v.Str())
				}
			}
			assert.Positive(t, requests, "the drain has router request lines")
		})
	}
}
