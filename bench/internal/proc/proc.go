// Package proc starts the servers a load run measures, each in a process
// of its own (GOMAXPROCS=1 unless told otherwise), and reads their resident
// memory and CPU time from /proc.
package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Proc is a running server process.
type Proc struct {
	Name string
	URL  string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	dir  string
	// With are started for this server and stopped with it.
	With []*Proc
}

// FreeAddr returns a free 127.0.0.1 address.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// CollectorConfig is the collector configuration of the end-to-end runs:
// the herokudrain receiver feeding a logs and a metrics pipeline, both
// ending in the nop exporter, with the collector's own telemetry off.
// dedupeTTL, when positive, replaces the receiver's Frame-Id cache TTL.
func CollectorConfig(addr string, dedupeTTL time.Duration) string {
	dedupe := ""
	if dedupeTTL > 0 {
		dedupe = fmt.Sprintf("\n    dedupe:\n      ttl: %s", dedupeTTL)
	}
	return fmt.Sprintf(`receivers:
  herokudrain:
    endpoint: %s
    path: /logs%s
exporters:
  nop:
service:
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
  pipelines:
    logs:
      receivers: [herokudrain]
      exporters: [nop]
    metrics:
      receivers: [herokudrain]
      exporters: [nop]
`, addr, dedupe)
}

// StartCollector runs bin (otelcol-heroku) with CollectorConfig.
func StartCollector(bin string, gomaxprocs int, dedupeTTL time.Duration) (*Proc, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "drainload-")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "collector.yaml")
	if err := os.WriteFile(cfg, []byte(CollectorConfig(addr, dedupeTTL)), 0o600); err != nil {
		return nil, err
	}
	p, err := start("otelcol-heroku", "http://"+addr+"/logs", gomaxprocs, bin, "--config", cfg)
	if p != nil {
		p.dir = dir
	}
	return p, err
}

// StartSelf runs this executable again with args (a server mode of it).
func StartSelf(name, url string, gomaxprocs int, args ...string) (*Proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return start(name, url, gomaxprocs, self, args...)
}

func start(name, url string, gomaxprocs int, bin string, args ...string) (*Proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(gomaxprocs))
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Proc{Name: name, URL: url, cmd: cmd, log: &log}
	if err := p.waitReady(20 * time.Second); err != nil {
		p.Stop()
		return nil, fmt.Errorf("%s did not come up: %w\n%s", name, err, log.String())
	}
	return p, nil
}

// waitReady polls with an empty POST until the server answers.
func (p *Proc) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, http.NoBody)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if p.cmd.ProcessState != nil || ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Pid is the server's process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// RSS is the server's resident set size in bytes (VmRSS).
func (p *Proc) RSS() int64 { return RSS(p.Pid()) }

// CPU is the user+system CPU time the server has used so far.
func (p *Proc) CPU() time.Duration { return CPU(p.Pid()) }

// Stop ends the server and removes its files.
func (p *Proc) Stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	if p.dir != "" {
		_ = os.RemoveAll(p.dir)
	}
	for _, w := range p.With {
		w.Stop()
	}
}

// Log is what the server wrote so far.
func (p *Proc) Log() string { return p.log.String() }

// RSS reads VmRSS of pid, in bytes; 0 when it cannot.
func RSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// clockTick is USER_HZ, 100 on every Linux the Go runtime supports.
const clockTick = 100

// CPU reads utime+stime of pid from /proc/pid/stat.
func CPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are
	// fields 14 and 15 of the whole line.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTick
}

// PromtailConfig is a Promtail configuration with one heroku_drain scrape
// job on drainAddr pushing to a Loki push endpoint at sinkURL.
func PromtailConfig(dir, serverAddr, drainAddr, sinkURL string) string {
	host, port, _ := net.SplitHostPort(serverAddr)
	dhost, dport, _ := net.SplitHostPort(drainAddr)
	return fmt.Sprintf(`server:
  http_listen_address: %s
  http_listen_port: %s
  grpc_listen_port: 0
  log_level: warn
positions:
  filename: %s/positions.yaml
clients:
  - url: %s
scrape_configs:
  - job_name: heroku_drain
    heroku_drain:
      server:
        http_listen_address: %s
        http_listen_port: %s
        grpc_listen_port: 0
      labels:
        job: heroku
    relabel_configs:
      - source_labels: ['__heroku_drain_app']
        target_label: app
      - source_labels: ['__heroku_drain_proc']
        target_label: proc
`, host, port, dir, sinkURL, dhost, dport)
}

// StartPromtail runs a Promtail binary with PromtailConfig, its pushes going
// to sinkURL. Not exercised by the repository's tests: Promtail is not
// installed here (see scripts/promtail-bench.sh).
func StartPromtail(bin, sinkURL string, gomaxprocs int) (*Proc, error) {
	serverAddr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	drainAddr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "drainload-promtail-")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "promtail.yaml")
	if err := os.WriteFile(cfg, []byte(PromtailConfig(dir, serverAddr, drainAddr, sinkURL)), 0o600); err != nil {
		return nil, err
	}
	p, err := start("promtail", "http://"+drainAddr+"/heroku/api/v1/drain", gomaxprocs, bin, "-config.file="+cfg)
	if p != nil {
		p.dir = dir
	}
	return p, err
}
