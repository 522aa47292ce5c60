package herokuappprocessor

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseAppsFile: any bytes either fail with an error naming the file or
// give a map whose every entry passes the apps key's own checks.
func FuzzParseAppsFile(f *testing.F) {
	f.Add([]byte(tokWeb + ": acme-web\n"))
	f.Add([]byte(`{"` + tokWorker + `": "acme-worker"}`))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("a: [1, 2]\n"))
	f.Add([]byte("&a x: *a\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		apps, err := parseAppsFile("f.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "apps_file f.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(apps) == 0 {
			t.Fatal("an empty map was accepted")
		}
		if errs := validateApps("apps", apps); len(errs) > 0 {
			t.Fatalf("accepted entries that fail validation: %v", errs)
		}
	})
}

// FuzzErrorMessage: what the API answered is logged through errorMessage,
// which must always give valid UTF-8 and, for a body that is not an API
// error, a bounded prefix.
func FuzzErrorMessage(f *testing.F) {
	f.Add([]byte(`{"id":"unauthorized","message":"Invalid credentials provided."}`))
	f.Add([]byte("\xff\xfe<html>"))
	f.Add([]byte(strings.Repeat("x", 500)))
	f.Fuzz(func(t *testing.T, body []byte) {
		msg := errorMessage(body)
		if !utf8.ValidString(msg) {
			t.Fatalf("invalid UTF-8: %q", msg)
		}
		if !strings.Contains(string(body), `"message"`) && len(msg) > 200*len("\uFFFD") {
			t.Fatalf("message of %d bytes from a non-JSON body", len(msg))
		}
	})
}
