package bodies

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

func TestCommittedBodiesMatchTheGenerator(t *testing.T) {
	for name, want := range Generated() {
		got, err := os.ReadFile(filepath.Join("..", "..", GeneratedDir, name+".logplex"))
		if err != nil {
			t.Fatalf("%v (run `go run ./cmd/genbodies` in bench/)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator; run `go run ./cmd/genbodies` in bench/", name)
		}
	}
}

func TestGeneratedBodiesAreMaximalLogplexBatches(t *testing.T) {
	line := regexp.MustCompile(`^<\d{1,3}>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 host (app|heroku) \S+ - [^\n]+\n$`)
	for name, body := range Generated() {
		frames, err := logplextest.SplitFrames(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n, err := CountFrames(body)
		if err != nil || n != len(frames) {
			t.Fatalf("%s: CountFrames %d, %v; SplitFrames %d", name, n, err, len(frames))
		}
		if len(body) >= logplextest.DefaultTargetBytes || len(body) < logplextest.DefaultTargetBytes-1000 {
			t.Errorf("%s: %d bytes, want just under %d", name, len(body), logplextest.DefaultTargetBytes)
		}
		for i, f := range frames {
			if !line.Match(f) {
				t.Fatalf("%s frame %d is not a Logplex line: %q", name, i, f)
			}
		}
	}
}

func TestLoadFindsCommittedAndGeneratedBodies(t *testing.T) {
	got, err := Load(filepath.Join("..", "..", Dir))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, b := range got {
		names[b.Name] = b.Frames
	}
	for _, want := range []string{"sample", "router", "runtime", "router-100k", "runtime-100k", "mixed-100k"} {
		if names[want] == 0 {
			t.Errorf("Load did not return %s (got %v)", want, names)
		}
	}
}

func TestCountFramesRejectsBadCounts(t *testing.T) {
	for _, body := range []string{"x", "12", "5 <1>1", "3 abc4 x"} {
		if _, err := CountFrames([]byte(body)); err == nil {
			t.Errorf("CountFrames(%q) accepted a bad body", body)
		}
	}
	if n, err := CountFrames([]byte("3 abc1 x")); n != 2 || err != nil {
		t.Errorf("CountFrames: %d, %v", n, err)
	}
}

func TestDynoNamesHaveFixedWidth(t *testing.T) {
	for _, i := range []int{0, 1, 99, 9999, 10000} {
		if got := DynoName(i); len(got) != len("web.10000") {
			t.Errorf("DynoName(%d) = %q", i, got)
		}
	}
}
