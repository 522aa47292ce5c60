package e2e

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetricspb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	_ "google.golang.org/grpc/encoding/gzip" // the exporter compresses with gzip by default
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// grpcSink is an in-test OTLP/gRPC backend with grpc-go's default 4 MiB
// message limit. It is strict as Go's protobuf library is: a request with a
// string that is not valid UTF-8 is refused whole (InvalidArgument). It can
// be taken down (Unavailable) or slowed.
type grpcSink struct {
	Addr string

	mu         sync.Mutex
	logBodies  map[string]int // record body -> times delivered
	records    int
	points     int
	maxMessage int

	down    atomic.Bool
	delay   atomic.Int64 // per export, nanoseconds
	refused atomic.Int64 // strict-UTF-8 refusals
}

type grpcLogs struct {
	plogotlp.UnimplementedGRPCServer
	s *grpcSink
}

type grpcMetrics struct {
	pmetricotlp.UnimplementedGRPCServer
	s *grpcSink
}

func newGRPCSink(t testing.TB) *grpcSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &grpcSink{Addr: ln.Addr().String(), logBodies: map[string]int{}}
	srv := grpc.NewServer()
	plogotlp.RegisterGRPCServer(srv, &grpcLogs{s: s})
	pmetricotlp.RegisterGRPCServer(srv, &grpcMetrics{s: s})
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	return s
}

// admit applies the sink's state and the strict check to one request.
func (s *grpcSink) admit(ctx context.Context, raw []byte, strict proto.Message) error {
	if d := time.Duration(s.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if s.down.Load() {
		return status.Error(codes.Unavailable, "backend down")
	}
	if err := proto.Unmarshal(raw, strict); err != nil {
		s.refused.Add(1)
		return status.Error(codes.InvalidArgument, err.Error())
	}
	s.mu.Lock()
	s.maxMessage = max(s.maxMessage, len(raw))
	s.mu.Unlock()
	return nil
}

func (g *grpcLogs) Export(ctx context.Context, req plogotlp.ExportRequest) (plogotlp.ExportResponse, error) {
	raw, err := req.MarshalProto()
	if err != nil {
		return plogotlp.NewExportResponse(), err
	}
	if err := g.s.admit(ctx, raw, &collogspb.ExportLogsServiceRequest{}); err != nil {
		return plogotlp.NewExportResponse(), err
	}
	ld := req.Logs()
	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				g.s.logBodies[lrs.At(k).Body().AsString()]++
				g.s.records++
			}
		}
	}
	return plogotlp.NewExportResponse(), nil
}

func (g *grpcMetrics) Export(ctx context.Context, req pmetricotlp.ExportRequest) (pmetricotlp.ExportResponse, error) {
	raw, err := req.MarshalProto()
	if err != nil {
		return pmetricotlp.NewExportResponse(), err
	}
	if err := g.s.admit(ctx, raw, &colmetricspb.ExportMetricsServiceRequest{}); err != nil {
		return pmetricotlp.NewExportResponse(), err
	}
	g.s.mu.Lock()
	g.s.points += req.Metrics().DataPointCount()
	g.s.mu.Unlock()
	return pmetricotlp.NewExportResponse(), nil
}

// Records returns how many log records were delivered.
func (s *grpcSink) Records() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records
}

// MaxMessage is the largest request accepted, in bytes.
func (s *grpcSink) MaxMessage() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxMessage
}

// Delivered reports how often a record with this body arrived.
func (s *grpcSink) Delivered(body string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logBodies[body]
}
