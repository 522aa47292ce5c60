package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestDefaultConfigValidates keeps testdata/collector/default.yaml (the
// `make run` config) in step with the components and their config keys.
func TestCommittedConfigsValidate(t *testing.T) {
	bin := Binary(t)
	cfgs, err := filepath.Glob(filepath.Join("..", "testdata", "collector", "*.yaml"))
	if err != nil || len(cfgs) < 3 {
		t.Fatalf("collector configs: %v %v", cfgs, err)
	}
	for _, cfg := range cfgs {
		t.Run(filepath.Base(cfg), func(t *testing.T) {
			cmd := exec.Command(bin, "validate", "--config", cfg)
			// The env vars the documented configs read.
			cmd.Env = append(os.Environ(), "OTLP_ENDPOINT=http://127.0.0.1:4318", "STORAGE_DIR="+t.TempDir(),
				"PROMETHEUS_URL=http://127.0.0.1:9090/api/v1/write", "OTLP_GRPC_ENDPOINT=127.0.0.1:4317")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s validate --config %s: %v\n%s", bin, cfg, err, out)
			}
		})
	}
}

// TestDistributionComponents checks that the binary has every component
// builder-config.yaml promises (docs/distribution.md lists them).
func TestDistributionComponents(t *testing.T) {
	bin := Binary(t)
	out, err := exec.Command(bin, "components").CombinedOutput()
	if err != nil {
		t.Fatalf("%s components: %v\n%s", bin, err, out)
	}
	want := map[string][]string{
		"receivers":  {"herokudrain", "otlp"},
		"processors": {"herokuapp", "batch", "memory_limiter", "delta_to_cumulative"},
		"exporters":  {"debug", "nop", "otlp_grpc", "otlp_http", "prometheus_remote_write"},
		"extensions": {"health_check", "file_storage"},
	}
	// The output is YAML: a top-level "receivers:" key, then "- name: X"
	// entries. Split it into sections without a YAML dependency.
	section := regexp.MustCompile(`(?m)^([a-z]+):`)
	name := regexp.MustCompile(`(?m)^\s*- name: (\S+)`)
	got := map[string]map[string]bool{}
	idx := section.FindAllSubmatchIndex(out, -1)
	for i, m := range idx {
		end := len(out)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		key := string(out[m[2]:m[3]])
		got[key] = map[string]bool{}
		for _, n := range name.FindAllSubmatch(out[m[1]:end], -1) {
			got[key][string(n[1])] = true
		}
	}
	for kind, names := range want {
		for _, n := range names {
			if !got[kind][n] {
				t.Errorf("%s %q missing from `components` output", kind, n)
			}
		}
	}
}
