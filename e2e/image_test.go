package e2e

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// ImageEnv turns on TestContainerImage (make test-image): it builds the
// image with buildah, which takes a minute and needs buildah installed.
const ImageEnv = "HEROKUDRAIN_IMAGE"

// imageFile is one regular file or directory of the image's filesystem.
type imageFile struct {
	mode     int64
	uid, gid int
	dir      bool
	data     []byte // regular files we look into
}

// readImage reads a docker-archive: its image config and the merged files of
// its layers (the image is FROM scratch, so no whiteouts to apply).
func readImage(t *testing.T, archive string, keep func(string) bool) (cfg imageConfig, files map[string]imageFile) {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blobs := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			blobs[h.Name] = b
		}
	}
	var manifest []struct {
		Config string
		Layers []string
	}
	if err := json.Unmarshal(blobs["manifest.json"], &manifest); err != nil || len(manifest) != 1 {
		t.Fatalf("manifest.json: %v (%d images)", err, len(manifest))
	}
	if err := json.Unmarshal(blobs[manifest[0].Config], &cfg); err != nil {
		t.Fatalf("image config: %v", err)
	}
	files = map[string]imageFile{}
	for _, layer := range manifest[0].Layers {
		lr := tar.NewReader(strings.NewReader(string(blobs[layer])))
		for {
			h, err := lr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("layer %s: %v", layer, err)
			}
			name := "/" + strings.TrimPrefix(path.Clean(h.Name), "./")
			fi := imageFile{mode: h.Mode, uid: h.Uid, gid: h.Gid, dir: h.Typeflag == tar.TypeDir}
			if h.Typeflag == tar.TypeReg && keep(name) {
				if fi.data, err = io.ReadAll(lr); err != nil {
					t.Fatal(err)
				}
			}
			files[name] = fi
		}
	}
	return cfg, files
}

type imageConfig struct {
	Config struct {
		User         string
		Entrypoint   []string
		Cmd          []string
		ExposedPorts map[string]struct{}
		Healthcheck  *struct {
			Test []string
		}
	} `json:"config"`
}

// TestContainerImage builds deploy/container/Containerfile with buildah (no
// registry: FROM scratch with static binaries) and checks the result: not
// root, a health check, the files in place, small; then runs the binaries
// taken out of the image: the collector validates and serves the image's
// config, and the image's health probe sees it ready.
func TestContainerImage(t *testing.T) {
	if os.Getenv(ImageEnv) != "1" {
		t.Skip(ImageEnv + "=1 is not set; run `make test-image`")
	}
	if _, err := exec.LookPath("buildah"); err != nil {
		t.Fatal("buildah is not installed (Debian: apt-get install buildah; make test-e2e installs it); the image was not built")
	}
	Binary(t) // the ocb output in dist/ must exist
	store := t.TempDir()
	archive := filepath.Join(t.TempDir(), "image.tar")
	cmd := exec.Command(filepath.Join("..", "scripts", "image.sh"), "localhost/otelcol-heroku:test", archive)
	cmd.Env = append(os.Environ(),
		"BUILDAH_FLAGS=--root "+filepath.Join(store, "root")+" --runroot "+filepath.Join(store, "run")+" --storage-driver vfs",
		"BUILDAH_ISOLATION=chroot")
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/image.sh: %v\n%s", err, out)
	}
	st, err := os.Stat(archive)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("image built in %v; archive %.1f MiB", time.Since(start).Round(time.Second), float64(st.Size())/(1<<20))
	if st.Size() > 150<<20 {
		t.Errorf("image archive is %d bytes; expected well under 150 MiB", st.Size())
	}

	keep := func(name string) bool {
		return slices.Contains([]string{"/usr/local/bin/otelcol-heroku", "/usr/local/bin/healthcheck", "/etc/otelcol-heroku/config.yaml"}, name)
	}
	cfg, files := readImage(t, archive, keep)
	if cfg.Config.User != "10001:10001" {
		t.Errorf("User = %q, want 10001:10001 (not root)", cfg.Config.User)
	}
	if hc := cfg.Config.Healthcheck; hc == nil || !slices.Equal(hc.Test, []string{"CMD", "/usr/local/bin/healthcheck", "http://127.0.0.1:13133/"}) {
		t.Errorf("Healthcheck = %+v", hc)
	}
	if !slices.Equal(cfg.Config.Entrypoint, []string{"/usr/local/bin/otelcol-heroku"}) ||
		!slices.Equal(cfg.Config.Cmd, []string{"--config", "/etc/otelcol-heroku/config.yaml"}) {
		t.Errorf("Entrypoint %q Cmd %q", cfg.Config.Entrypoint, cfg.Config.Cmd)
	}
	for _, port := range []string{"8080/tcp", "4317/tcp", "4318/tcp", "13133/tcp"} {
		if _, ok := cfg.Config.ExposedPorts[port]; !ok {
			t.Errorf("port %s not exposed", port)
		}
	}
	for name, want := range map[string]struct {
		exec bool
		uid  int
		dir  bool
	}{
		"/usr/local/bin/otelcol-heroku":      {exec: true},
		"/usr/local/bin/healthcheck":         {exec: true},
		"/etc/ssl/certs/ca-certificates.crt": {},
		"/etc/otelcol-heroku/config.yaml":    {},
		"/var/lib/otelcol-heroku":            {uid: 10001, dir: true},
	} {
		f, ok := files[name]
		switch {
		case !ok:
			t.Errorf("%s missing from the image", name)
		case f.dir != want.dir || f.uid != want.uid:
			t.Errorf("%s: dir=%v uid=%d, want dir=%v uid=%d", name, f.dir, f.uid, want.dir, want.uid)
		case want.exec && f.mode&0o111 == 0:
			t.Errorf("%s is not executable (mode %o)", name, f.mode)
		}
	}

	// Run what the image holds, outside a container runtime: the
	// collector with the image's config, on loopback ports.
	dir := t.TempDir()
	for name, f := range files {
		if f.data != nil {
			if err := os.WriteFile(filepath.Join(dir, path.Base(name)), f.data, 0o700); err != nil {
				t.Fatal(err)
			}
		}
	}
	col := filepath.Join(dir, "otelcol-heroku")
	env := append(os.Environ(), "DRAIN_PASSWORD=s3cret", "OTLP_ENDPOINT=http://127.0.0.1:4318")
	val := exec.Command(col, "validate", "--config", filepath.Join(dir, "config.yaml"))
	val.Env = env
	if out, err := val.CombinedOutput(); err != nil {
		t.Fatalf("the image's collector rejects the image's config: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	health, drain, grpc, otlpHTTP := FreeAddr(t), FreeAddr(t), FreeAddr(t), FreeAddr(t)
	local := strings.NewReplacer("0.0.0.0:13133", health, "0.0.0.0:8080", drain, "0.0.0.0:4317", grpc, "0.0.0.0:4318", otlpHTTP).Replace(string(raw))
	if err := os.WriteFile(filepath.Join(dir, "local.yaml"), []byte(local), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &Collector{t: t, Bin: col, Dir: dir, Config: filepath.Join(dir, "local.yaml"),
		HealthURL: "http://" + health + "/", ReceiverAddr: drain, StartTimeout: 60 * time.Second, Env: []string{"DRAIN_PASSWORD=s3cret", "OTLP_ENDPOINT=http://127.0.0.1:4318"}}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping the collector: %v", err)
		}
	})
	c.Start()
	probe := exec.Command(filepath.Join(dir, "healthcheck"), "http://"+health+"/")
	if out, err := probe.CombinedOutput(); err != nil {
		t.Errorf("the image's health probe says not ready: %v\n%s", err, out)
	}
	// And the drain answers: 401 without the password from the env.
	resp, err := http.Post("http://"+drain+"/logs", "application/logplex-1", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("drain without credentials answered %d, want 401", resp.StatusCode)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(filepath.Join(dir, "healthcheck"), "http://"+health+"/").CombinedOutput(); err == nil {
		t.Errorf("health probe passed with the collector stopped: %s", out)
	}
}
