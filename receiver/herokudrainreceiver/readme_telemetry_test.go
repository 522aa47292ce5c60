package herokudrainreceiver

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// Both READMEs name every self-telemetry counter declared in metadata.yaml
// (by its name after otelcol_receiver_herokudrain_).
func TestReadmesListEveryTelemetryCounter(t *testing.T) {
	raw, err := os.ReadFile("metadata.yaml")
	require.NoError(t, err)
	var md struct {
		Telemetry struct {
			Metrics map[string]any `yaml:"metrics"`
		} `yaml:"telemetry"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &md))
	const prefix = "receiver_herokudrain_"
	var declared []string
	for name := range md.Telemetry.Metrics {
		require.True(t, strings.HasPrefix(name, prefix), name)
		declared = append(declared, strings.TrimPrefix(name, prefix))
	}
	slices.Sort(declared)
	require.NotEmpty(t, declared)

	for _, readme := range []string{"README.md", filepath.Join("..", "..", "README.md")} {
		t.Run(readme, func(t *testing.T) {
			b, err := os.ReadFile(readme)
			require.NoError(t, err)
			section := telemetrySection(t, string(b))
			for _, name := range declared {
				assert.Contains(t, section, "`"+name+"`", "%s does not list otelcol_%s%s", readme, prefix, name)
			}
		})
	}
}

// telemetrySection is the README text from its self-telemetry heading or
// paragraph to the next heading.
func telemetrySection(t *testing.T, doc string) string {
	t.Helper()
	i := strings.Index(doc, "## Self-telemetry")
	if i < 0 {
		i = strings.Index(doc, "**Self-telemetry**")
	}
	require.GreaterOrEqual(t, i, 0, "no self-telemetry section")
	rest := doc[i+2:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
