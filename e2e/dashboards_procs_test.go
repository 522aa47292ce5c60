//go:build backends

package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Environment variables `make test-e2e` sets: the backends it installed.
const (
	prometheusBinEnv   = "PROMETHEUS_BIN"
	victoriaLogsBinEnv = "VICTORIALOGS_BIN"
)

// process is one child the backends test started: Prometheus, VictoriaLogs
// or a collector replica. It runs in its own process group and is stopped
// (SIGTERM, SIGKILL after 20 s) when the test ends.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

func startProcess(t *testing.T, name, bin string, args []string, env ...string) *process {
	t.Helper()
	log := filepath.Join(t.TempDir(), name+".log")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("starting %s (%s): %v", name, bin, err)
	}
	p := &process{name: name, cmd: cmd, log: log, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s log (tail):\n%s", name, tail(log, 30))
		}
	})
	return p
}

func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// waitReady polls url until it answers 2xx, failing the test if the process
// exits first or timeout passes.
func (p *process) waitReady(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-p.done:
			t.Fatalf("%s exited during startup:\n%s", p.name, tail(p.log, 30))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready at %s after %v:\n%s", p.name, url, timeout, tail(p.log, 30))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func backendBin(t *testing.T, env string) string {
	t.Helper()
	bin := os.Getenv(env)
	if bin == "" {
		msg := env + " is not set: run `make test-e2e`, which installs the backends and sets it"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// startPrometheus runs Debian's stock Prometheus on a free loopback port with
// the remote-write receiver on and no feature flags, storing into a temp
// dir. It returns the base URL.
func startPrometheus(t *testing.T) string {
	addr := FreeAddr(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	// No scrape jobs: everything arrives by remote write.
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 1m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, "prometheus", backendBin(t, prometheusBinEnv), []string{
		"--config.file=" + cfg, "--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + addr, "--web.enable-remote-write-receiver",
	})
	base := "http://" + addr
	p.waitReady(t, base+"/-/ready", 60*time.Second)
	return base
}

// startVictoriaLogs runs VictoriaLogs on a free loopback port with a temp
// storage dir and returns the base URL.
func startVictoriaLogs(t *testing.T) string {
	addr := FreeAddr(t)
	p := startProcess(t, "victoria-logs", backendBin(t, victoriaLogsBinEnv), []string{
		"-httpListenAddr=" + addr, "-storageDataPath=" + filepath.Join(t.TempDir(), "vlogs"),
		"-retentionPeriod=7d", "-loggerLevel=WARN",
	})
	base := "http://" + addr
	p.waitReady(t, base+"/health", 60*time.Second)
	return base
}

// startReplica runs the built collector with the documented config
// testdata/collector/prometheus.yaml, changing only what two replicas on one
// host cannot share: the drain port, and the collector's own metrics port
// (turned off).
func startReplica(t *testing.T, name, promURL, logsURL string) string {
	addr := FreeAddr(t)
	cfg, err := filepath.Abs(filepath.Join("..", "testdata", "collector", "prometheus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, name, Binary(t), []string{
		"--config", cfg,
		"--config", "yaml:receivers::herokudrain::endpoint: " + addr,
		"--config", "yaml:service::telemetry::metrics::level: none",
	}, "PROMETHEUS_URL="+promURL+"/api/v1/write", "VICTORIALOGS_URL="+logsURL)
	deadline := time.Now().Add(60 * time.Second)
	for !dialable(addr) {
		select {
		case <-p.done:
			t.Fatalf("%s exited during startup:\n%s", name, tail(p.log, 40))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: receiver not listening on %s:\n%s", name, addr, tail(p.log, 40))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Sprintf("http://%s%s", addr, "/logs")
}

func dialable(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
