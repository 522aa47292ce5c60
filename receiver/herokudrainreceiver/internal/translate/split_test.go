package translate

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"
)

func TestAddPartMarksRecordsAndCountsFramesOnce(t *testing.T) {
	f := &logplex.Frame{Priority: 190, Version: 1, AppName: []byte("app"), ProcID: []byte("web.1"),
		Message: []byte("piece"), Timestamp: time.Unix(0, 0), TimestampValid: true}
	for _, tc := range []struct {
		name   string
		part   rejoin.Part
		want   map[string]any
		frames int
	}{
		{"an ordinary frame has no split attributes", rejoin.Part{}, map[string]any{}, 1},
		{"a rejoined line says how many frames it was made of", rejoin.Part{Pieces: 3, Counted: true},
			map[string]any{AttrSplitPieces: int64(3)}, 0},
		{"a line given up says it is incomplete", rejoin.Part{Pieces: 1, Incomplete: true, Counted: true},
			map[string]any{AttrSplitPieces: int64(1), AttrSplitIncomplete: true}, 0},
		{"a marked piece has the line's id and its index", rejoin.Part{ID: "abc", Index: 1},
			map[string]any{AttrSplitID: "abc", AttrSplitIndex: int64(1)}, 1},
		{"the last marked piece says so", rejoin.Part{ID: "abc", Index: 2, Last: true},
			map[string]any{AttrSplitID: "abc", AttrSplitIndex: int64(2), AttrSplitLast: true}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBatch(Settings{Logs: true, ResourceAttributes: metadata.DefaultResourceAttributesConfig()},
				Resource{}, pcommon.NewTimestampFromTime(time.Now()), 0)
			b.AddPart(f, tc.part)
			require.Equal(t, 1, b.Logs().LogRecordCount())
			attrs := b.Logs().ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().AsRaw()
			got := map[string]any{}
			for _, k := range []string{AttrSplitPieces, AttrSplitIncomplete, AttrSplitID, AttrSplitIndex, AttrSplitLast} {
				if v, ok := attrs[k]; ok {
					got[k] = v
				}
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.frames, b.Counts().Frames)
		})
	}
}

func TestCountReadCountsMalformedFrames(t *testing.T) {
	b := newTestBatch()
	b.CountRead(&logplex.Frame{})
	b.CountRead(&logplex.Frame{Err: logplex.ErrBadLength})
	assert.Equal(t, Counts{Frames: 2, Malformed: 1}, b.Counts())
	assert.Zero(t, b.Logs().LogRecordCount())
}

func TestAddPartWithoutLogsOnlyCounts(t *testing.T) {
	b := NewBatch(Settings{}, Resource{}, 0, 0)
	b.AddPart(&logplex.Frame{Message: []byte("x")}, rejoin.Part{Pieces: 2})
	assert.Equal(t, 1, b.Counts().Frames)
}
