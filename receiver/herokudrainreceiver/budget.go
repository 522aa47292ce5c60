package herokudrainreceiver // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver"

import (
	"net/http"
	"sync/atomic"
)

// decodedBytesPerBodyByte is how much memory a request holds per byte of
// body while it is processed: the body's frames become log records and
// metric points and spans several times the size of the text they came
// from (a 100 KB batch of router lines allocates ~1 MB while it is read,
// translated and delivered: ~9.9 bytes per body byte;
// TestInFlightBudgetCoversWhatARequestHolds measures it).
const decodedBytesPerBodyByte = 10

// byteBudget bounds the memory held by requests in flight: their bodies
// and the pdata decoded from them. A request reserves its share before
// its body is read and gives it back when it has been answered, so the
// receiver never holds more than the budget whatever the senders do.
type byteBudget struct {
	limit int64
	used  atomic.Int64
}

// tryReserve takes n bytes of the budget, or reports false without waiting
// when they are not available.
func (b *byteBudget) tryReserve(n int64) bool {
	for {
		used := b.used.Load()
		if used+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			return true
		}
	}
}

func (b *byteBudget) release(n int64) { b.used.Add(-n) }

// reservation is what a request may cost: its body as declared by
// Content-Length, or the most the receiver reads (max_request_body_size)
// when the length is unknown, larger than that, or compressed, times what
// decoding makes of it.
func reservation(req *http.Request, maxBody int64) int64 {
	n := req.ContentLength
	if n < 0 || n > maxBody || req.Header.Get("Content-Encoding") != "" {
		n = maxBody
	}
	return max(n, 1) * decodedBytesPerBodyByte
}
