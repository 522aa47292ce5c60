package e2e

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// grpcConfig loads testdata/collector/otlp_grpc.yaml as shipped; grpcEnv
// fills its ${env:...} references.
func grpcConfig(t testing.TB) Config {
	t.Helper()
	file := filepath.Join("..", "testdata", "collector", "otlp_grpc.yaml")
	conf, err := confmaptest.LoadConf(file)
	if err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	return Config(conf.ToStringMap())
}

func grpcEnv(ep Endpoints, backend string) []string {
	return []string{
		"HEALTH_ENDPOINT=" + ep.Health,
		"HEROKUDRAIN_ENDPOINT=" + ep.Receiver,
		"OTLP_GRPC_ENDPOINT=" + backend,
		"OTLP_INSECURE=true",
	}
}

// startGRPCCollector runs otlp_grpc.yaml against a fresh grpcSink.
func startGRPCCollector(t testing.TB) (*grpcSink, *Collector, Endpoints) {
	t.Helper()
	sink := newGRPCSink(t)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t)}
	c := NewCollector(t, grpcConfig(t), ep)
	c.Env = grpcEnv(ep, sink.Addr)
	c.Start()
	return sink, c, ep
}

// postLikeLogplex posts body with one Frame-Id, retrying 503s (back-
// pressure) with the same id after a pause, up to tries in all. It returns
// the last status.
func postLikeLogplex(hc *http.Client, url string, body []byte, tries int) (int, error) {
	frames, err := logplextest.SplitFrames(body)
	if err != nil {
		return 0, err
	}
	id := logplextest.NewFrameID()
	for try := 1; ; try++ {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", logplextest.ContentType)
		req.Header.Set("Logplex-Msg-Count", strconv.Itoa(len(frames)))
		req.Header.Set("Logplex-Frame-Id", id)
		req.Header.Set("Logplex-Drain-Token", SampleToken)
		req.Header.Set("User-Agent", logplextest.DefaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || try == tries {
			return resp.StatusCode, nil
		}
		time.Sleep(time.Duration(try) * 200 * time.Millisecond)
	}
}

// TestOTLPGRPCConfigDeliversTheLargestLogplexBatches posts the largest
// batches Logplex sends (just under 100 KB of router lines, ~850 bytes
// each in OTLP) from 16 senders at once through the shipped otlp_grpc.yaml
// to a backend with gRPC's default 4 MiB limit. Merged without a byte
// bound, such traffic makes batches over 4 MiB that the backend refuses
// for good; with the config's 3 MiB bound every record arrives.
func TestOTLPGRPCConfigDeliversTheLargestLogplexBatches(t *testing.T) {
	sink, _, ep := startGRPCCollector(t)
	bodies := routerBodies(96)
	sent := 0
	for _, b := range bodies {
		frames, err := logplextest.SplitFrames(b)
		if err != nil {
			t.Fatal(err)
		}
		sent += len(frames)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for s := range 16 {
		wg.Go(func() {
			hc := &http.Client{Timeout: 10 * time.Second}
			for i := s; i < len(bodies); i += 16 {
				code, err := postLikeLogplex(hc, ep.DrainURL(""), bodies[i], 10)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				statuses[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if statuses[http.StatusOK] != len(bodies) {
		t.Fatalf("statuses %v, want %d x 200", statuses, len(bodies))
	}
	if !Eventually(30*time.Second, func() bool { return sink.Records() >= sent }) {
		t.Fatalf("%d of %d records arrived", sink.Records(), sent)
	}
	t.Logf("%d records in %d Logplex batches; largest gRPC message %d bytes", sent, len(bodies), sink.MaxMessage())
	if got := sink.Records(); got != sent {
		t.Errorf("%d records arrived, want %d", got, sent)
	}
	if m := sink.MaxMessage(); m > 4<<20 || m < 1<<20 {
		t.Errorf("largest message %d bytes: want batches merged past 1 MiB and kept under 4 MiB", m)
	}
}
