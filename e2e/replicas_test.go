package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/logplextest"
)

// ReplicasEnv turns on TestReplicasBehindNginx (make test-replicas): it needs
// nginx (installed from Debian's archive when missing and possible) and
// starts three processes.
const ReplicasEnv = "HEROKUDRAIN_REPLICAS"

// nginxBinary returns the nginx binary, installing Debian's package when it
// is missing and apt-get can run; otherwise the test is skipped.
func nginxBinary(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("apt-get"); err == nil {
			cmd := exec.Command("apt-get", "install", "-y", "--no-install-recommends", "nginx-light")
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Logf("apt-get install nginx-light: %v\n%s", err, out)
			}
			if path, err := exec.LookPath("/usr/sbin/nginx"); err == nil {
				return path
			}
		}
	}
	t.Fatal("nginx is not installed and could not be installed (apt-get install nginx-light as root); make test-e2e installs it")
	return ""
}

// nginxConf is the load balancer of docs/replicas.md, on loopback, with a
// second server that balances round-robin for comparison.
const nginxConf = `
%[1]s
worker_processes 1;
daemon off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;

    upstream drains_by_frame_id {
        # A Logplex retry carries the same Logplex-Frame-Id, so it reaches
        # the replica that saw the first attempt and its dedupe cache.
        hash $http_logplex_frame_id consistent;
        server %[3]s max_fails=1 fail_timeout=10s;
        server %[4]s max_fails=1 fail_timeout=10s;
        keepalive 16;
    }
    upstream drains_round_robin {
        server %[3]s;
        server %[4]s;
    }
    server {
        listen %[5]s;
        location /logs {
            proxy_pass http://drains_by_frame_id;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_connect_timeout 1s;
            proxy_read_timeout 5s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
        }
    }
    server {
        listen %[6]s;
        location /logs {
            proxy_pass http://drains_round_robin;
        }
    }
}
`

type replica struct {
	sink *OTLPSink
	col  *Collector
	ep   Endpoints
}

func startReplica(t *testing.T) replica {
	t.Helper()
	sink := NewOTLPSink(t)
	ep := Endpoints{Receiver: FreeAddr(t), Health: FreeAddr(t), OTLP: sink.URL()}
	cfg := PipelineConfig(ep)
	cfg.Set("100ms", "processors", "batch", "timeout")
	return replica{sink: sink, col: StartCollector(t, cfg, ep), ep: ep}
}

// messages returns n distinct app lines tagged with prefix.
func messages(prefix string, n int) []logplextest.Message {
	msgs := make([]logplextest.Message, n)
	now := time.Now().UTC()
	for i := range msgs {
		msgs[i] = logplextest.Message{PRI: 190, Time: now, AppName: "app", ProcID: "web.1", Msg: fmt.Sprintf("%s-%d", prefix, i)}
	}
	return msgs
}

// exportedBodies counts the log bodies with prefix that each replica exported.
func exportedBodies(prefix string, rs ...replica) (perReplica []map[string]int, union map[string]int) {
	union = map[string]int{}
	for _, r := range rs {
		m := map[string]int{}
		for _, rec := range r.sink.Records() {
			b := rec.Body().AsString()
			if strings.HasPrefix(b, prefix) {
				m[b]++
				union[b]++
			}
		}
		perReplica = append(perReplica, m)
	}
	return perReplica, union
}

// settle waits until want distinct messages with prefix were exported, or
// until nothing new arrived for two seconds (some may be lost), then a
// little longer for late duplicates.
func settle(t *testing.T, want int, prefix string, rs ...replica) {
	t.Helper()
	last, since := -1, time.Now()
	Eventually(30*time.Second, func() bool {
		_, u := exportedBodies(prefix, rs...)
		if len(u) != last {
			last, since = len(u), time.Now()
		}
		return len(u) >= want || time.Since(since) > 2*time.Second
	})
	time.Sleep(500 * time.Millisecond)
}

// TestReplicasBehindNginx runs two collectors behind nginx and a retrying
// Logplex-faithful client: with `hash $http_logplex_frame_id consistent` a
// retried batch reaches the replica that saw it first, so every message is
// delivered exactly once while both live; round-robin balancing duplicates
// retries. Then one replica is killed mid-stream and the cost is measured.
func TestReplicasBehindNginx(t *testing.T) {
	if os.Getenv(ReplicasEnv) != "1" {
		t.Skip(ReplicasEnv + "=1 is not set; run `make test-replicas`")
	}
	Binary(t)
	nginx := nginxBinary(t)
	a, b := startReplica(t), startReplica(t)

	dir := t.TempDir()
	hashAddr, rrAddr := FreeAddr(t), FreeAddr(t)
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // keep workers able to read the temp dir
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(nginxConf, user, dir, a.ep.Receiver, b.ep.Receiver, hashAddr, rrAddr)), 0o600); err != nil {
		t.Fatal(err)
	}
	lb := exec.Command(nginx, "-p", dir, "-c", conf)
	lbOut, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	lb.Stdout, lb.Stderr = lbOut, lbOut
	if err := lb.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = lb.Wait(); close(exited) }()
	t.Cleanup(func() {
		// SIGTERM: the master stops its workers too (SIGKILL would orphan them).
		_ = lb.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = lb.Process.Kill()
			<-exited
		}
		_ = lbOut.Close()
		if t.Failed() {
			if b, err := os.ReadFile(filepath.Join(dir, "error.log")); err == nil {
				t.Logf("nginx error.log:\n%s", b)
			}
		}
	})
	if !Eventually(10*time.Second, func() bool { return dial(hashAddr) && dial(rrAddr) }) {
		t.Fatal("nginx did not start listening")
	}

	newClient := func(addr string) *logplextest.Client {
		c, err := logplextest.NewClient(logplextest.Config{
			URL: "http://" + addr + DrainPath, Token: SampleToken,
			Backoff: func(int) time.Duration { return 50 * time.Millisecond },
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	const batches, perBatch = 200, 5

	// sendTwice delivers each batch, then replays it with the same
	// Frame-Id, as Logplex does when a response is lost.
	sendTwice := func(c *logplextest.Client, prefix string) {
		for i := 0; i < batches; i++ {
			msgs := messages(fmt.Sprintf("%s-b%d", prefix, i), perBatch)
			id := logplextest.NewFrameID()
			for try := 0; try < 2; try++ {
				if res := c.SendBatchWithID(ctx, id, msgs); !res.Delivered {
					t.Fatalf("%s batch %d try %d not delivered: %+v", prefix, i, try, res)
				}
			}
		}
	}

	// 1. Hash on Logplex-Frame-Id, both replicas live: exactly once.
	sendTwice(newClient(hashAddr), "hash")
	settle(t, batches*perBatch, "hash-", a, b)
	per, union := exportedBodies("hash-", a, b)
	dups := 0
	for _, n := range union {
		dups += n - 1
	}
	t.Logf("hash: %d messages sent twice each -> replica A %d, replica B %d distinct, %d duplicates",
		batches*perBatch, len(per[0]), len(per[1]), dups)
	if len(union) != batches*perBatch || dups != 0 {
		t.Errorf("hash: got %d distinct messages with %d duplicates, want %d exactly once", len(union), dups, batches*perBatch)
	}
	for i, m := range per {
		if len(m) < batches*perBatch/10 {
			t.Errorf("replica %d got only %d messages: the hash does not spread the load", i, len(m))
		}
	}

	// 2. The same traffic balanced round-robin: the replay usually lands on
	// the other replica, whose dedupe cache has never seen it.
	sendTwice(newClient(rrAddr), "rr")
	settle(t, batches*perBatch, "rr-", a, b)
	_, union = exportedBodies("rr-", a, b)
	rrDups := 0
	for _, n := range union {
		rrDups += n - 1
	}
	t.Logf("round-robin: %d messages sent twice each -> %d duplicates", batches*perBatch, rrDups)
	if rrDups == 0 {
		t.Errorf("round-robin: no duplicates; the comparison no longer shows what the hash buys")
	}

	// 3. Kill replica B while a client streams through the hash balancer.
	c := newClient(hashAddr)
	var sent, delivered atomic.Int64
	var worst atomic.Int64 // slowest batch, ns
	var ackedBeforeKill sync.Map
	var killed atomic.Bool
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			msgs := messages(fmt.Sprintf("kill-b%d", i), perBatch)
			start := time.Now()
			res := c.SendBatch(ctx, msgs)
			if d := time.Since(start); int64(d) > worst.Load() {
				worst.Store(int64(d))
			}
			sent.Add(perBatch)
			if res.Delivered {
				delivered.Add(perBatch)
				if !killed.Load() {
					ackedBeforeKill.Store(i, true)
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	time.Sleep(time.Second)
	killed.Store(true)
	b.col.Kill()
	time.Sleep(2 * time.Second)
	close(stop)
	<-done
	settle(t, int(delivered.Load()), "kill-", a, b)

	per, union = exportedBodies("kill-", a, b)
	lost, dups := 0, 0
	for i := 0; i < int(sent.Load())/perBatch; i++ {
		for j := 0; j < perBatch; j++ {
			n := union[fmt.Sprintf("kill-b%d-%d", i, j)]
			if n == 0 {
				lost++
			}
			if n > 1 {
				dups += n - 1
			}
		}
	}
	st := c.Stats()
	t.Logf("kill: %d messages sent, %d acknowledged, %d exported (A %d, B %d before it died), lost %d, duplicates %d; "+
		"client retries %d, dropped batches %d, slowest batch %v; B killed after 1s of streaming",
		sent.Load(), delivered.Load(), len(union), len(per[0]), len(per[1]), lost, dups,
		st.Retries, st.DroppedBatches, time.Duration(worst.Load()).Round(time.Millisecond))
	if st.DroppedBatches != 0 {
		t.Errorf("the client dropped %d batches: nginx should have moved B's share to A", st.DroppedBatches)
	}
	// Whatever was acknowledged after the kill went to A and must be there.
	after := 0
	for i := 0; i < int(sent.Load())/perBatch; i++ {
		if _, before := ackedBeforeKill.Load(i); before {
			continue
		}
		after++
		for j := 0; j < perBatch; j++ {
			if union[fmt.Sprintf("kill-b%d-%d", i, j)] != 1 {
				t.Errorf("batch %d sent after the kill: message %d exported %d times, want 1", i, j, union[fmt.Sprintf("kill-b%d-%d", i, j)])
			}
		}
	}
	if after == 0 {
		t.Error("no batch was sent after the kill")
	}
	if dups != 0 {
		t.Errorf("kill: %d duplicates, want none (no batch was replayed)", dups)
	}
}

func dial(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}
