package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		want    int
		wantErr string
	}{
		{name: "ready collector passes", status: http.StatusOK, want: 0},
		{name: "collector not ready fails", status: http.StatusServiceUnavailable, want: 1, wantErr: "answered 503 Service Unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`{"status":"x"}`))
			}))
			defer srv.Close()
			var stderr bytes.Buffer
			if got := run([]string{srv.URL}, &stderr); got != tc.want {
				t.Fatalf("run = %d, want %d (%s)", got, tc.want, stderr.String())
			}
			if !bytes.Contains(stderr.Bytes(), []byte(tc.wantErr)) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tc.wantErr)
			}
		})
	}
}

func TestRunNothingListening(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var stderr bytes.Buffer
	if got := run([]string{url}, &stderr); got != 1 {
		t.Fatalf("run = %d, want 1", got)
	}
	if stderr.Len() == 0 {
		t.Error("no reason printed")
	}
}

func TestDefaultURL(t *testing.T) {
	// Nothing listens on the default port in tests; the default is used.
	var stderr bytes.Buffer
	if run(nil, &stderr) == 0 {
		t.Skip("something answers 200 on 127.0.0.1:13133 here")
	}
	if !bytes.Contains(stderr.Bytes(), []byte("127.0.0.1:13133")) {
		t.Errorf("stderr %q does not name the default URL", stderr.String())
	}
}
