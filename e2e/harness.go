// Package e2e runs the built otelcol-heroku distribution as a child process
// and checks what comes out of it. The harness in this package (collector
// process control, config writing, the in-test OTLP/HTTP server) is shared
// by all end-to-end tests.
//
// The tests need the binary: make e2e (or make test) builds it and passes
// its path in OTELCOL_HEROKU_BIN. Without it the tests skip, except under
// CI=true, where they fail.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BinEnv names the environment variable that holds the collector binary.
const BinEnv = "OTELCOL_HEROKU_BIN"

// Binary returns the path of the otelcol-heroku binary from OTELCOL_HEROKU_BIN.
// When it is unset the test is skipped, or fails when CI=true.
func Binary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(BinEnv)
	if bin == "" {
		msg := BinEnv + " is not set: build the distribution with `make build` and run `make e2e`, or set " +
			BinEnv + "=$PWD/dist/otelcol-heroku"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true, so this is an error)")
		}
		t.Skip(msg)
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		t.Fatalf("%s=%s: %v", BinEnv, bin, err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		t.Fatalf("%s=%s is not an executable file", BinEnv, bin)
	}
	return abs
}

// FreeAddr returns a 127.0.0.1:port address that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Config is a collector configuration under construction. It is written
// as JSON, which the collector's YAML loader reads as YAML.
type Config map[string]any

// Set stores value at the given key path, creating maps on the way. Keys
// are separate arguments because component ids and drain tokens contain
// dots.
func (c Config) Set(value any, path ...string) {
	if len(path) == 0 {
		panic("Config.Set: empty path")
	}
	m := map[string]any(c)
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			if cfg, ok2 := m[k].(Config); ok2 {
				next = cfg
			} else {
				next = map[string]any{}
				m[k] = next
			}
		}
		m = next
	}
	m[path[len(path)-1]] = value
}

// Delete removes the key at path, if present.
func (c Config) Delete(path ...string) {
	m := map[string]any(c)
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			return
		}
		m = next
	}
	delete(m, path[len(path)-1])
}

// Endpoints are the addresses a pipeline config refers to.
type Endpoints struct {
	Receiver string // herokudrain listen address, host:port
	Health   string // health_check listen address, host:port
	OTLP     string // base URL of the OTLP/HTTP server the exporter sends to
}

// DrainPath is the path the receiver listens on in harness configs.
const DrainPath = "/logs"

// SampleToken is the drain token the sample drains are posted with, and
// SampleApp the app name the herokuapp processor maps it to.
const (
	SampleToken = "d.fc6b856b-3332-4546-93de-7d0ee272c3bd"
	SampleApp   = "acme-web"
)

// PipelineConfig returns the standard end-to-end config:
// herokudrain → herokuapp (SampleToken → SampleApp) → batch → otlp_http,
// for logs and metrics, with health_check and the collector's own metrics
// off. Tests adjust it with Set before starting the collector.
func PipelineConfig(ep Endpoints) Config {
	pipeline := map[string]any{
		"receivers":  []string{"herokudrain"},
		"processors": []string{"herokuapp", "batch"},
		"exporters":  []string{"otlp_http"},
	}
	return Config{
		"extensions": map[string]any{
			"health_check": map[string]any{"endpoint": ep.Health},
		},
		"receivers": map[string]any{
			"herokudrain": map[string]any{"endpoint": ep.Receiver, "path": DrainPath, "flush_interval": "200ms"},
		},
		"processors": map[string]any{
			"herokuapp": map[string]any{"apps": map[string]any{SampleToken: SampleApp}},
			"batch":     map[string]any{"timeout": "200ms"},
		},
		"exporters": map[string]any{
			"otlp_http": map[string]any{
				"endpoint": ep.OTLP,
				"retry_on_failure": map[string]any{
					"initial_interval": "50ms", "max_interval": "500ms", "max_elapsed_time": "2m",
				},
			},
		},
		"service": map[string]any{
			"extensions": []string{"health_check"},
			"telemetry":  map[string]any{"metrics": map[string]any{"level": "none"}},
			"pipelines": map[string]any{
				"logs":    pipeline,
				"metrics": pipeline,
			},
		},
	}
}

// Collector is one otelcol-heroku child process.
type Collector struct {
	t      testing.TB
	Bin    string
	Dir    string // per-collector temp dir: config and log files
	Config string // path of the written config
	// HealthURL and ReceiverAddr are what Start waits for; either may be
	// empty.
	HealthURL    string
	ReceiverAddr string
	StartTimeout time.Duration
	Env          []string // extra environment, KEY=VALUE

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
	runs    int
	stderr  string // path of the current run's stderr
}

// NewCollector writes cfg into a fresh temp dir and prepares a collector
// for it. ep says what Start waits for. The process is stopped (SIGTERM,
// then SIGKILL after 30 s) when the test ends, and its stderr tail is
// logged if the test failed.
func NewCollector(t testing.TB, cfg Config, ep Endpoints) *Collector {
	t.Helper()
	c := &Collector{
		t:            t,
		Bin:          Binary(t),
		Dir:          t.TempDir(),
		ReceiverAddr: ep.Receiver,
		StartTimeout: 60 * time.Second,
	}
	if ep.Health != "" {
		c.HealthURL = "http://" + ep.Health + "/"
	}
	c.WriteConfig(cfg)
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping the collector: %v", err)
		}
		if t.Failed() {
			t.Logf("collector stderr (tail):\n%s", c.StderrTail(60))
		}
	})
	return c
}

// StartCollector is NewCollector followed by Start.
func StartCollector(t testing.TB, cfg Config, ep Endpoints) *Collector {
	t.Helper()
	c := NewCollector(t, cfg, ep)
	c.Start()
	return c
}

// WriteConfig (re)writes the config file; it takes effect at the next Start.
func (c *Collector) WriteConfig(cfg Config) {
	c.t.Helper()
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		c.t.Fatal(err)
	}
	c.Config = filepath.Join(c.Dir, "config.yaml")
	if err := os.WriteFile(c.Config, b, 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// Start runs the binary and waits until the health check answers 200 and
// the receiver port accepts connections. It fails the test if the process
// exits first or StartTimeout passes. Each run writes its own
// stdout/stderr files in Dir.
func (c *Collector) Start() {
	c.t.Helper()
	c.mu.Lock()
	if c.cmd != nil {
		c.mu.Unlock()
		c.t.Fatal("collector already running")
	}
	c.runs++
	stdoutPath := filepath.Join(c.Dir, fmt.Sprintf("run%d.stdout.log", c.runs))
	c.stderr = filepath.Join(c.Dir, fmt.Sprintf("run%d.stderr.log", c.runs))
	stdout, err := os.Create(stdoutPath)
	if err != nil {
		c.mu.Unlock()
		c.t.Fatal(err)
	}
	stderr, err := os.Create(c.stderr)
	if err != nil {
		c.mu.Unlock()
		c.t.Fatal(err)
	}
	cmd := exec.Command(c.Bin, "--config", c.Config)
	cmd.Dir = c.Dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Env = append(os.Environ(), c.Env...)
	// Its own process group, so a Ctrl-C of `go test` does not race our
	// SIGTERM, and Kill hits only this process.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		c.mu.Unlock()
		stdout.Close()
		stderr.Close()
		c.t.Fatalf("starting %s: %v", c.Bin, err)
	}
	done := make(chan struct{})
	c.cmd, c.done = cmd, done
	c.mu.Unlock()
	go func() {
		err := cmd.Wait()
		stdout.Close()
		stderr.Close()
		c.mu.Lock()
		c.waitErr = err
		c.mu.Unlock()
		close(done)
	}()

	deadline := time.Now().Add(c.StartTimeout)
	for {
		select {
		case <-done:
			c.t.Fatalf("collector exited during startup (%v); stderr:\n%s", c.exitErr(), c.StderrTail(40))
		default:
		}
		if c.ready() {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("collector not ready after %v; stderr:\n%s", c.StartTimeout, c.StderrTail(40))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *Collector) ready() bool {
	if c.HealthURL != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.HealthURL, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return false
		}
	}
	if c.ReceiverAddr != "" {
		conn, err := net.DialTimeout("tcp", c.ReceiverAddr, time.Second)
		if err != nil {
			return false
		}
		conn.Close()
	}
	return true
}

// Running reports whether the process is alive.
func (c *Collector) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return false
	}
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// PID is the process id of the current run, 0 when not running.
func (c *Collector) PID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil || c.cmd.Process == nil {
		return 0
	}
	return c.cmd.Process.Pid
}

func (c *Collector) exitErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waitErr
}

// Stop sends SIGTERM and waits for a clean shutdown, sending SIGKILL after
// 30 s. It returns an error when the process had to be killed or did not
// exit cleanly. Stop on a stopped collector does nothing.
func (c *Collector) Stop() error {
	return c.stop(syscall.SIGTERM, 30*time.Second)
}

// Kill sends SIGKILL and waits for the process to go away, for crash tests.
func (c *Collector) Kill() {
	_ = c.stop(syscall.SIGKILL, 10*time.Second)
}

func (c *Collector) stop(sig syscall.Signal, grace time.Duration) error {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.mu.Unlock()
	if cmd == nil {
		return nil
	}
	defer func() {
		c.mu.Lock()
		c.cmd, c.done = nil, nil
		c.mu.Unlock()
	}()
	select {
	case <-done:
		// Exited on its own: report how, unless we never asked it to stop.
		if err := c.exitErr(); err != nil {
			return fmt.Errorf("collector had already exited: %w", err)
		}
		return nil
	default:
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("collector did not exit within %v of %v; killed", grace, sig)
	}
	if sig == syscall.SIGKILL {
		return nil
	}
	if err := c.exitErr(); err != nil {
		return fmt.Errorf("collector exit after %v: %w", sig, err)
	}
	return nil
}

// Stderr returns everything the current (or last) run wrote to stderr.
// The collector logs there.
func (c *Collector) Stderr() string {
	c.mu.Lock()
	path := c.stderr
	c.mu.Unlock()
	if path == "" {
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// StderrTail returns the last n lines of Stderr.
func (c *Collector) StderrTail(n int) string {
	lines := strings.Split(strings.TrimRight(c.Stderr(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// DrainURL is the receiver's drain URL with query (e.g. "app=acme").
func (ep Endpoints) DrainURL(query string) string {
	u := "http://" + ep.Receiver + DrainPath
	if query != "" {
		u += "?" + query
	}
	return u
}

// Eventually polls cond every 20 ms until it holds or timeout passes, and
// reports whether it held.
func Eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
