package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// The hosted-backend recipes in testdata/collector/backends: each must
// validate, and each must send its backend's auth headers, which a loopback
// server standing in for the backend checks.
var backendRecipes = []struct {
	file string
	// env holds the recipe's variables; "{url}" is the stand-in backend.
	env map[string]string
	// want are the headers every export request must carry, by path.
	want map[string]map[string]string
}{
	{
		file: "grafana-cloud.yaml",
		env:  map[string]string{"GRAFANA_CLOUD_OTLP_ENDPOINT": "{url}/otlp", "GRAFANA_CLOUD_BASIC_AUTH": "MTIzNDU2OmdsY190b2tlbg=="},
		want: map[string]map[string]string{
			"/otlp/v1/logs":    {"Authorization": "Basic MTIzNDU2OmdsY190b2tlbg=="},
			"/otlp/v1/metrics": {"Authorization": "Basic MTIzNDU2OmdsY190b2tlbg=="},
		},
	},
	{
		file: "honeycomb.yaml",
		env:  map[string]string{"HONEYCOMB_ENDPOINT": "{url}", "HONEYCOMB_API_KEY": "hcaik_test"},
		want: map[string]map[string]string{
			"/v1/logs":    {"X-Honeycomb-Team": "hcaik_test"},
			"/v1/metrics": {"X-Honeycomb-Team": "hcaik_test", "X-Honeycomb-Dataset": "heroku-metrics"},
		},
	},
	{
		file: "otlp-bearer.yaml",
		env:  map[string]string{"OTLP_ENDPOINT": "{url}", "OTLP_TOKEN": "s3cret"},
		want: map[string]map[string]string{
			"/v1/logs":    {"Authorization": "Bearer s3cret"},
			"/v1/metrics": {"Authorization": "Bearer s3cret"},
		},
	},
}

func TestBackendRecipesValidate(t *testing.T) {
	bin := Binary(t)
	files, err := filepath.Glob(filepath.Join("..", "testdata", "collector", "backends", "*.yaml"))
	if err != nil || len(files) != len(backendRecipes) {
		t.Fatalf("want %d recipes, found %v (%v)", len(backendRecipes), files, err)
	}
	for _, r := range backendRecipes {
		t.Run(r.file, func(t *testing.T) {
			cmd := exec.Command(bin, "validate", "--config", filepath.Join("..", "testdata", "collector", "backends", r.file))
			cmd.Env = recipeEnv(r.env, "http://127.0.0.1:4318")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("validate %s: %v\n%s", r.file, err, out)
			}
		})
	}
}

func TestBackendRecipesSendTheirAuthHeaders(t *testing.T) {
	bin := Binary(t)
	sample, err := os.ReadFile(sampleFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range backendRecipes {
		t.Run(r.file, func(t *testing.T) {
			backend := newHeaderRecorder(t)
			drain, health := FreeAddr(t), FreeAddr(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "--config", filepath.Join("..", "testdata", "collector", "backends", r.file),
				"--set=receivers::herokudrain::endpoint="+drain,
				"--set=extensions::health_check::endpoint="+health,
				"--set=service::telemetry::metrics::level=none")
			cmd.Env = recipeEnv(r.env, backend.URL)
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}()
			if !Eventually(30*time.Second, func() bool {
				resp, err := http.Get("http://" + health + "/")
				if err == nil {
					_ = resp.Body.Close()
				}
				return err == nil && resp.StatusCode == http.StatusOK
			}) {
				t.Fatalf("collector not healthy:\n%s", stderr.String())
			}
			checkDrainResponse(t, postDrain(t, "http://"+drain+"/logs", logplextest.NewFrameID(), sample))
			if !Eventually(30*time.Second, func() bool { return backend.seen(r.want) }) {
				t.Fatalf("the backend did not get every signal with its headers; got %v\n%s", backend.paths(), stderr.String())
			}
			for path, hdrs := range r.want {
				for name, want := range hdrs {
					if got := backend.header(path, name); got != want {
						t.Errorf("%s %s = %q, want %q", path, name, got, want)
					}
				}
			}
		})
	}
}

// recipeEnv is the process environment with the recipe's variables, the
// stand-in backend's URL put in.
func recipeEnv(vars map[string]string, url string) []string {
	env := os.Environ()
	for k, v := range vars {
		env = append(env, k+"="+strings.ReplaceAll(v, "{url}", url))
	}
	return env
}

// headerRecorder stands in for an OTLP/HTTP backend on loopback: it accepts
// every export and remembers the headers of the last request per path.
type headerRecorder struct {
	*httptest.Server
	mu   sync.Mutex
	last map[string]http.Header
}

func newHeaderRecorder(t *testing.T) *headerRecorder {
	h := &headerRecorder{last: map[string]http.Header{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.last[r.URL.Path] = r.Header.Clone()
		h.mu.Unlock()
		// An empty protobuf Export*ServiceResponse: everything accepted.
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *headerRecorder) seen(want map[string]map[string]string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for path := range want {
		if h.last[path] == nil {
			return false
		}
	}
	return true
}

func (h *headerRecorder) header(path, name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last[path].Get(name)
}

func (h *headerRecorder) paths() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for p := range h.last {
		out = append(out, p)
	}
	return out
}
