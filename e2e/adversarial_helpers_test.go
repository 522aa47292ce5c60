//go:build adversarial

package e2e

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
)

type plogLogs = plog.Logs

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// forEachBody calls fn with the body of every record in ld.
func forEachBody(ld plog.Logs, fn func(string)) {
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				fn(lrs.At(k).Body().AsString())
			}
		}
	}
}

// anonSampler records the largest RssAnon (memory the process owns, as
// opposed to pages of files it maps, such as a persistent queue's bbolt
// file, which the kernel can drop at any time) of a process while it runs.
type anonSampler struct {
	max  atomic.Int64
	stop chan struct{}
	done chan struct{}
}

func sampleAnon(pid int, every time.Duration) *anonSampler {
	s := &anonSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
				for _, line := range strings.Split(string(b), "\n") {
					if rest, ok := strings.CutPrefix(line, "RssAnon:"); ok {
						kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
						if kb<<10 > s.max.Load() {
							s.max.Store(kb << 10)
						}
					}
				}
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *anonSampler) Stop() { close(s.stop); <-s.done }
