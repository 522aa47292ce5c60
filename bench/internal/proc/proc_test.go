package proc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The generated collector config must be one the binary accepts, with and
// without the dedupe override. Needs the built binary (make build).
func TestCollectorConfigValidatesAgainstTheBinary(t *testing.T) {
	bin := os.Getenv("OTELCOL_HEROKU_BIN")
	if bin == "" {
		bin = "../../../dist/otelcol-heroku"
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no collector binary at %s (make build)", bin)
	}
	for _, ttl := range []time.Duration{0, time.Minute} {
		cfg := filepath.Join(t.TempDir(), "c.yaml")
		text := CollectorConfig("127.0.0.1:0", ttl)
		if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "validate", "--config", cfg).CombinedOutput(); err != nil {
			t.Errorf("ttl %s: %v\n%s\n%s", ttl, err, out, text)
		}
		if got := strings.Contains(text, "ttl: 1m0s"); got != (ttl > 0) {
			t.Errorf("ttl %s: override present = %v\n%s", ttl, got, text)
		}
	}
}

func TestRSSAndCPUOfThisProcess(t *testing.T) {
	pid := os.Getpid()
	if rss := RSS(pid); rss < 1<<20 || rss > 1<<34 {
		t.Errorf("RSS %d bytes", rss)
	}
	deadline := time.Now().Add(3 * time.Second)
	for CPU(pid) == 0 && time.Now().Before(deadline) {
		for i := 0; i < 1e6; i++ {
			_ = i * i
		}
	}
	if CPU(pid) == 0 {
		t.Error("no CPU time read from /proc")
	}
	if RSS(-1) != 0 || CPU(-1) != 0 {
		t.Error("a missing process must read as 0")
	}
}
