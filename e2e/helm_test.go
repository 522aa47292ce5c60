package e2e

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// helmValues is the part of deploy/helm/values.yaml the checks read (keys of
// the opentelemetry-collector chart).
type helmValues struct {
	Mode    string `yaml:"mode"`
	Image   struct{ Repository, Tag string }
	Command struct {
		Name string `yaml:"name"`
	}
	PodSecurityContext struct {
		RunAsNonRoot bool `yaml:"runAsNonRoot"`
		RunAsUser    int  `yaml:"runAsUser"`
	} `yaml:"podSecurityContext"`
	ExtraEnvs []struct {
		Name string `yaml:"name"`
	} `yaml:"extraEnvs"`
	Ports map[string]struct {
		Enabled       bool `yaml:"enabled"`
		ContainerPort int  `yaml:"containerPort"`
	} `yaml:"ports"`
	LivenessProbe  probe `yaml:"livenessProbe"`
	ReadinessProbe probe `yaml:"readinessProbe"`
	Ingress        struct {
		Annotations map[string]string `yaml:"annotations"`
		Hosts       []struct {
			Paths []struct {
				Path string `yaml:"path"`
				Port int    `yaml:"port"`
			} `yaml:"paths"`
		} `yaml:"hosts"`
	} `yaml:"ingress"`
	AlternateConfig map[string]any `yaml:"alternateConfig"`
}

type probe struct {
	HTTPGet struct {
		Port int    `yaml:"port"`
		Path string `yaml:"path"`
	} `yaml:"httpGet"`
}

// TestHelmValues checks deploy/helm/values.yaml against the image and the
// distribution (Helm itself is not available here): the chart-facing values
// agree with the Containerfile and with the embedded collector config, and
// that config validates with the built otelcol-heroku.
func TestHelmValues(t *testing.T) {
	bin := Binary(t)
	raw, err := os.ReadFile(filepath.Join("..", "deploy", "helm", "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var v helmValues
	if err := yaml.Unmarshal(raw, &v); err != nil {
		t.Fatalf("values.yaml is not valid YAML: %v", err)
	}
	containerfile, err := os.ReadFile(filepath.Join("..", "deploy", "container", "Containerfile"))
	if err != nil {
		t.Fatal(err)
	}
	cf := string(containerfile)

	if !slices.Contains([]string{"deployment", "statefulset"}, v.Mode) {
		t.Errorf("mode %q: drains need a Service in front (deployment or statefulset)", v.Mode)
	}
	if v.Image.Repository == "" || v.Image.Tag == "" {
		t.Error("image.repository and image.tag must be set: the chart's default image is not otelcol-heroku")
	}
	// The chart runs "/" + command.name.
	if want := `ENTRYPOINT ["/` + v.Command.Name + `"]`; !strings.Contains(cf, want) {
		t.Errorf("command.name %q does not match the Containerfile's entrypoint (want a line %s)", v.Command.Name, want)
	}
	if m := regexp.MustCompile(`(?m)^USER (\d+):`).FindStringSubmatch(cf); m == nil || strconv.Itoa(v.PodSecurityContext.RunAsUser) != m[1] || !v.PodSecurityContext.RunAsNonRoot {
		t.Errorf("podSecurityContext runAsUser %d / runAsNonRoot %v do not match the image's USER %v", v.PodSecurityContext.RunAsUser, v.PodSecurityContext.RunAsNonRoot, m)
	}

	// The config: every ${env:X} it reads is provided (MY_POD_IP by the chart).
	cfgYAML, err := yaml.Marshal(v.AlternateConfig)
	if err != nil {
		t.Fatal(err)
	}
	provided := []string{"MY_POD_IP"}
	for _, e := range v.ExtraEnvs {
		provided = append(provided, e.Name)
	}
	var env []string
	for _, m := range regexp.MustCompile(`\$\{env:([A-Z_][A-Z0-9_]*)`).FindAllStringSubmatch(string(cfgYAML), -1) {
		if !slices.Contains(provided, m[1]) {
			t.Errorf("alternateConfig reads ${env:%s}, which neither the chart nor extraEnvs sets", m[1])
		}
	}
	for _, name := range provided {
		val := "test-value"
		switch name {
		case "MY_POD_IP":
			val = "127.0.0.1"
		case "OTLP_ENDPOINT":
			val = "http://127.0.0.1:4318"
		}
		env = append(env, name+"="+val)
	}

	// Ports and probes agree with the listeners in the config.
	port := func(path ...string) int {
		var cur any = v.AlternateConfig
		for _, p := range path {
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("alternateConfig has no %s", strings.Join(path, "."))
			}
			cur = m[p]
		}
		s, _ := cur.(string)
		_, p, err := net.SplitHostPort(strings.ReplaceAll(s, "${env:MY_POD_IP}", "0.0.0.0"))
		if err != nil {
			t.Fatalf("alternateConfig %s = %q: %v", strings.Join(path, "."), s, err)
		}
		n, _ := strconv.Atoi(p)
		return n
	}
	drain := port("receivers", "herokudrain", "endpoint")
	if p := v.Ports["drain"]; !p.Enabled || p.ContainerPort != drain {
		t.Errorf("ports.drain %+v does not expose the herokudrain port %d", p, drain)
	}
	health := port("extensions", "health_check", "endpoint")
	for name, pr := range map[string]probe{"livenessProbe": v.LivenessProbe, "readinessProbe": v.ReadinessProbe} {
		if pr.HTTPGet.Port != health {
			t.Errorf("%s asks port %d; health_check listens on %d", name, pr.HTTPGet.Port, health)
		}
	}
	for _, off := range []string{"jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"} {
		if p, ok := v.Ports[off]; !ok || p.Enabled {
			t.Errorf("ports.%s must be disabled: otelcol-heroku has no such receiver", off)
		}
	}
	if got := v.Ingress.Annotations["nginx.ingress.kubernetes.io/upstream-hash-by"]; got != "$http_logplex_frame_id" {
		t.Errorf("ingress upstream-hash-by = %q; retries must reach the same replica (docs/replicas.md)", got)
	}
	if len(v.Ingress.Hosts) == 0 || len(v.Ingress.Hosts[0].Paths) == 0 || v.Ingress.Hosts[0].Paths[0].Port != drain {
		t.Errorf("the ingress must route to the drain port %d", drain)
	}

	cfgFile := filepath.Join(t.TempDir(), "relay.yaml")
	if err := os.WriteFile(cfgFile, cfgYAML, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "validate", "--config", cfgFile)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("otelcol-heroku validate rejects the Helm alternateConfig: %v\n%s", err, out)
	}
}
