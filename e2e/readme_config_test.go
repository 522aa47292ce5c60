package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEExamplePipelineValidatesAndBoundsMemory keeps the README's
// example pipeline honest: it must validate against the binary, size its
// exporter queue in bytes and bound its batches below gRPC's 4 MiB, as the
// shipped configs that the adversarial suite runs do.
func TestREADMEExamplePipelineValidatesAndBoundsMemory(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```yaml\nreceivers:\n  herokudrain:")
	if !ok {
		t.Fatal("README has no example pipeline (```yaml block starting with receivers: herokudrain:)")
	}
	block, _, _ := strings.Cut(rest, "```")
	block = "receivers:\n  herokudrain:" + block
	for _, want := range []string{"sizer: bytes", "block_on_overflow: false", "max_size: 3145728"} {
		if !strings.Contains(block, want) {
			t.Errorf("the README's pipeline lacks %q", want)
		}
	}
	if strings.Contains(block, "batch, ") || strings.Contains(block, ", batch]") {
		t.Error("the README's pipeline uses the batch processor, whose buffer is bounded in items only")
	}
	file := filepath.Join(t.TempDir(), "readme.yaml")
	if err := os.WriteFile(file, []byte(block), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Binary(t), "validate", "--config", file)
	cmd.Env = append(os.Environ(), "DRAIN_PASSWORD=s3cret")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's pipeline does not validate: %v\n%s", err, out)
	}
}
