package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// TestNamesFromPlatformAPIAndAppsFile runs the built collector with the
// herokuapp processor reading a fake Heroku Platform API (on loopback) and a
// watched apps file: the first batch of an API-listed drain is already named
// (with heroku.app.id), a file-listed drain is named from the file, and an
// edit of the file renames the next batch.
func TestNamesFromPlatformAPIAndAppsFile(t *testing.T) {
	const (
		apiToken  = "d.aaaaaaaa-0000-4000-8000-000000000001"
		fileToken = "d.bbbbbbbb-0000-4000-8000-000000000001"
		appID     = "2daa2797-e42b-4624-9322-ec3f968df4da"
		key       = "e2e-api-key"
	)
	var calls atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+key || r.Header.Get("Accept") != "application/vnd.heroku+json; version=3" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("RateLimit-Remaining", "4000")
		var body any
		switch r.URL.Path {
		case "/apps":
			body = []map[string]any{{"id": appID, "name": "acme-api", "generation": map[string]any{"name": "cedar"}}}
		case "/apps/" + appID + "/log-drains":
			body = []map[string]any{{"id": "drain-1", "token": apiToken, "url": "https://x@y/logs"}}
		default:
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(api.Close)

	appsFile := filepath.Join(t.TempDir(), "apps.yaml")
	if err := os.WriteFile(appsFile, []byte(fileToken+": acme-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sink, _, ep := pipeline(t, func(c Config) {
		c.Set(map[string]any{
			"apps_file":                appsFile,
			"apps_file_check_interval": "100ms",
			"heroku_api":               map[string]any{"api_key": key, "endpoint": api.URL},
		}, "processors", "herokuapp")
	})

	send := func(token, msg string) {
		t.Helper()
		c, err := logplextest.NewClient(logplextest.Config{URL: ep.DrainURL(""), Token: token})
		if err != nil {
			t.Fatal(err)
		}
		m := logplextest.Message{PRI: 190, Time: time.Now().UTC(), AppName: "app", ProcID: "web.1", Msg: msg}
		if res := c.SendBatch(context.Background(), []logplextest.Message{m}); !res.Delivered {
			t.Fatalf("batch %q not delivered: %+v", msg, res)
		}
	}
	// resourceOf waits for the record with body msg and returns its
	// service.name and heroku.app.id.
	resourceOf := func(msg string) (svc, id string) {
		t.Helper()
		var found *Record
		sink.WaitFor(20*time.Second, func() bool {
			found = findRecord(sink.Records(), func(r Record) bool { return r.Body().AsString() == msg })
			return found != nil
		})
		if found == nil {
			t.Fatalf("record %q never arrived", msg)
		}
		return Str(found.Resource.Attributes(), "service.name"), Str(found.Resource.Attributes(), "heroku.app.id")
	}

	send(apiToken, "first batch from the API-listed drain")
	if svc, id := resourceOf("first batch from the API-listed drain"); svc != "acme-api" || id != appID {
		t.Errorf("API drain: service.name %q heroku.app.id %q, want acme-api %s", svc, id, appID)
	}
	send(fileToken, "from the file-listed drain")
	if svc, id := resourceOf("from the file-listed drain"); svc != "acme-file" || id != "" {
		t.Errorf("file drain: service.name %q heroku.app.id %q, want acme-file and no id", svc, id)
	}

	if err := os.WriteFile(appsFile, []byte(fileToken+": acme-renamed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	renamed := false
	for i := 0; i < 50 && !renamed; i++ {
		time.Sleep(100 * time.Millisecond)
		msg := "after the edit " + time.Now().Format(time.RFC3339Nano)
		send(fileToken, msg)
		svc, _ := resourceOf(msg)
		renamed = svc == "acme-renamed"
	}
	if !renamed {
		t.Error("the apps file edit was not picked up")
	}
	if n := calls.Load(); n < 2 {
		t.Errorf("the API was called %d times, want the listing of /apps and the drains", n)
	}
}
