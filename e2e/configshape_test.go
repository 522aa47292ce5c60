package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// gRPCMaxMessage is grpc-go's default limit on a received message, which
// most OTLP/gRPC backends keep.
const gRPCMaxMessage = 4 << 20

// maxMemoryQueue bounds an in-memory exporter queue: a few of them (one per
// exporter) must fit the 150 MiB the adversarial suite holds RSS to, at
// about 2.5 bytes of heap per byte of OTLP protobuf.
const maxMemoryQueue = 16 << 20

// shippedConfigs are every collector config in the repository: the files
// under testdata/collector and deploy, and the yaml blocks of the READMEs
// and docs that configure exporters or pipelines. The key names where it
// came from.
func shippedConfigs(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "testdata", "collector"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "deploy", "container", "config.yaml"))
	for _, f := range files {
		out[strings.TrimPrefix(filepath.ToSlash(f), "../")] = parseYAML(t, f, mustRead(t, f))
	}
	values := parseYAML(t, "deploy/helm/values.yaml", mustRead(t, filepath.Join("..", "deploy", "helm", "values.yaml")))
	alt, ok := values["alternateConfig"].(map[string]any)
	if !ok {
		t.Fatal("deploy/helm/values.yaml has no alternateConfig")
	}
	out["deploy/helm/values.yaml alternateConfig"] = alt

	docs, _ := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	more, _ := filepath.Glob(filepath.Join("..", "*", "*", "README.md"))
	docs = append(append(docs, filepath.Join("..", "README.md")), more...)
	for _, f := range docs {
		for i, block := range yamlBlocks(mustRead(t, f)) {
			name := fmt.Sprintf("%s yaml block %d", strings.TrimPrefix(filepath.ToSlash(f), "../"), i+1)
			var cfg map[string]any
			if yaml.Unmarshal([]byte(block), &cfg) != nil {
				continue // not a config (e.g. a fragment with a placeholder)
			}
			if cfg["exporters"] != nil || cfg["service"] != nil {
				out[name] = cfg
			}
		}
	}
	return out
}

func mustRead(t *testing.T, f string) string {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseYAML(t *testing.T, name, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

var yamlFence = regexp.MustCompile("(?ms)^```yaml\n(.*?)^```")

func yamlBlocks(md string) []string {
	var out []string
	for _, m := range yamlFence.FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestEveryShippedConfigBoundsExporterMemory: in every config the
// repository ships or documents, a dead or slow backend must turn into
// 503s, not memory, and no batch may exceed gRPC's message limit:
//   - every OTLP exporter has an enabled sending_queue sized in bytes
//     (at most 16 MiB in memory; any size on disk), refusing when full,
//     batching in bytes below 4 MiB;
//   - a prometheus_remote_write exporter (whose queue counts requests, not
//     bytes) has an explicit small queue and remote-write batches below
//     4 MiB;
//   - no pipeline runs the batch processor, and memory_limiter comes
//     first in every pipeline that has processors.
func TestEveryShippedConfigBoundsExporterMemory(t *testing.T) {
	configs := shippedConfigs(t)
	for _, must := range []string{"testdata/collector/default.yaml", "testdata/collector/backends/honeycomb.yaml", "deploy/helm/values.yaml alternateConfig", "README.md yaml block 1"} {
		if configs[must] == nil {
			t.Errorf("%s not found among the configs checked", must)
		}
	}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			for _, p := range configShapeProblems(cfg) {
				t.Error(p)
			}
		})
	}
}

// configShapeProblems lists what breaks the rule in one config.
func configShapeProblems(cfg map[string]any) []string {
	var out []string
	exporters, _ := cfg["exporters"].(map[string]any)
	for id, raw := range exporters {
		ex, _ := raw.(map[string]any)
		switch typ, _, _ := strings.Cut(id, "/"); typ {
		case "otlp", "otlp_grpc", "otlp_http", "otlphttp":
			out = append(out, queueProblems(id, ex)...)
		case "prometheus_remote_write", "prometheusremotewrite":
			q, _ := ex["remote_write_queue"].(map[string]any)
			if size, ok := q["queue_size"].(int); !ok || size <= 0 || size > 64 {
				out = append(out, fmt.Sprintf("%s: remote_write_queue.queue_size = %v, want an explicit 1..64 (requests: the exporter cannot size its queue in bytes)", id, q["queue_size"]))
			}
			if b, ok := ex["max_batch_size_bytes"].(int); ok && b >= gRPCMaxMessage {
				out = append(out, fmt.Sprintf("%s: max_batch_size_bytes %d, want < 4 MiB", id, b))
			}
		}
	}
	service, _ := cfg["service"].(map[string]any)
	pipelines, _ := service["pipelines"].(map[string]any)
	for id, raw := range pipelines {
		p, _ := raw.(map[string]any)
		procs, _ := p["processors"].([]any)
		for i, pr := range procs {
			name, _ := pr.(string)
			typ, _, _ := strings.Cut(name, "/")
			if typ == "batch" {
				out = append(out, fmt.Sprintf("pipeline %s runs the batch processor (it acknowledges from memory and has no byte bound): batch in the exporter's sending_queue instead", id))
			}
			if i == 0 && typ != "memory_limiter" {
				out = append(out, fmt.Sprintf("pipeline %s: first processor is %q, want memory_limiter", id, name))
			}
		}
	}
	return out
}

func queueProblems(id string, ex map[string]any) []string {
	var out []string
	q, _ := ex["sending_queue"].(map[string]any)
	if q == nil {
		return []string{id + ": no sending_queue (the default counts requests, not bytes)"}
	}
	if q["enabled"] == false {
		out = append(out, id+": sending_queue disabled")
	}
	if q["sizer"] != "bytes" {
		out = append(out, fmt.Sprintf("%s: sending_queue.sizer = %v, want bytes", id, q["sizer"]))
	}
	size, _ := q["queue_size"].(int)
	if size <= 0 || (q["storage"] == nil && size > maxMemoryQueue) {
		out = append(out, fmt.Sprintf("%s: sending_queue.queue_size = %v, want bytes, at most %d in memory", id, q["queue_size"], maxMemoryQueue))
	}
	if q["block_on_overflow"] != false {
		out = append(out, fmt.Sprintf("%s: sending_queue.block_on_overflow = %v, want false (a full queue must refuse at once)", id, q["block_on_overflow"]))
	}
	b, _ := q["batch"].(map[string]any)
	if b["sizer"] != "bytes" {
		out = append(out, fmt.Sprintf("%s: sending_queue.batch.sizer = %v, want bytes", id, b["sizer"]))
	}
	if maxSize, _ := b["max_size"].(int); maxSize <= 0 || maxSize >= gRPCMaxMessage {
		out = append(out, fmt.Sprintf("%s: sending_queue.batch.max_size = %v, want bytes below gRPC's 4 MiB", id, b["max_size"]))
	}
	return out
}

// TestConfigShapeRuleCatchesTheOldShapes keeps the rule above able to fail:
// the shapes issue 10 found (batch processor, request-counted queue,
// count-sized batches) must each be reported.
func TestConfigShapeRuleCatchesTheOldShapes(t *testing.T) {
	good := func() map[string]any {
		return parseYAML(t, "good", `
exporters:
  otlp_grpc:
    sending_queue: {sizer: bytes, queue_size: 8388608, block_on_overflow: false, batch: {sizer: bytes, max_size: 3145728}}
service:
  pipelines:
    logs: {receivers: [herokudrain], processors: [memory_limiter, herokuapp], exporters: [otlp_grpc]}
`)
	}
	if p := configShapeProblems(good()); len(p) != 0 {
		t.Fatalf("the good shape is reported: %v", p)
	}
	for _, tc := range []struct {
		name string
		edit func(cfg map[string]any)
		want string
	}{
		{"batch processor", func(c map[string]any) { pipelineOf(c)["processors"] = []any{"memory_limiter", "herokuapp", "batch"} }, "batch processor"},
		{"memory_limiter not first", func(c map[string]any) { pipelineOf(c)["processors"] = []any{"herokuapp", "memory_limiter"} }, "want memory_limiter"},
		{"no queue", func(c map[string]any) { delete(exporterOf(c), "sending_queue") }, "no sending_queue"},
		{"queue in requests", func(c map[string]any) { queueOf(c)["sizer"] = "requests" }, "sizer = requests"},
		{"in-memory queue too large", func(c map[string]any) { queueOf(c)["queue_size"] = 1 << 30 }, "at most"},
		{"blocking queue", func(c map[string]any) { queueOf(c)["block_on_overflow"] = true }, "block_on_overflow"},
		{"batches counted in items", func(c map[string]any) { queueOf(c)["batch"] = map[string]any{"flush_timeout": "1s"} }, "batch.sizer"},
		{"batches over gRPC's limit", func(c map[string]any) { queueOf(c)["batch"].(map[string]any)["max_size"] = 8 << 20 }, "below gRPC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good()
			tc.edit(cfg)
			p := strings.Join(configShapeProblems(cfg), "\n")
			if !strings.Contains(p, tc.want) {
				t.Errorf("problems %q do not mention %q", p, tc.want)
			}
		})
	}
}

func exporterOf(c map[string]any) map[string]any {
	return c["exporters"].(map[string]any)["otlp_grpc"].(map[string]any)
}

func queueOf(c map[string]any) map[string]any {
	return exporterOf(c)["sending_queue"].(map[string]any)
}

func pipelineOf(c map[string]any) map[string]any {
	return c["service"].(map[string]any)["pipelines"].(map[string]any)["logs"].(map[string]any)
}
