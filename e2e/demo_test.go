package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoWorksFromAnyDirectory runs the `make demo` script from an
// unrelated working directory with absolute paths, on the default config
// moved to free ports, and checks what it reports.
func TestDemoWorksFromAnyDirectory(t *testing.T) {
	bin := Binary(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	def, err := os.ReadFile(filepath.Join(root, "testdata", "collector", "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	drain, health := FreeAddr(t), FreeAddr(t)
	cfg := strings.ReplaceAll(strings.ReplaceAll(string(def), "localhost:8080", drain), "localhost:13133", health)
	if cfg == string(def) {
		t.Fatal("default.yaml no longer listens on localhost:8080 and localhost:13133; update scripts/demo.sh and this test")
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "demo.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "demo.sh"), bin, cfgPath, filepath.Join(root, "testdata", "drains", "sample.logplex"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DEMO_DRAIN_URL=http://"+drain+"/logs?app=acme", "DEMO_HEALTH_URL=http://"+health+"/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo.sh: %v\n%s", err, out)
	}
	for _, want := range []string{
		"the receiver answered HTTP 200",
		"what came out: 25 log records",
		"service.name: Str(acme-web)",
		"heroku.dyno.state_changed",
		"http.server.request.duration",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}
