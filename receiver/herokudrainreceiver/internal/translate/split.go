package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import (
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/logplex"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/rejoin"
)

// Attributes of records made from a line that Heroku cut into several
// frames (config split_lines; see internal/rejoin).
const (
	// AttrSplitPieces is, with split_lines: rejoin, the number of frames
	// joined into the record (int, at least 2 for a whole line).
	AttrSplitPieces = "logplex.split.pieces"
	// AttrSplitIncomplete marks a rejoined record whose remaining pieces
	// never came (bool, true when set).
	AttrSplitIncomplete = "logplex.split.incomplete"
	// AttrSplitID is, with split_lines: mark, the id every piece of one
	// line shares.
	AttrSplitID = "logplex.split.id"
	// AttrSplitIndex is, with split_lines: mark, the piece's position in
	// its line, from 0 (int).
	AttrSplitIndex = "logplex.split.index"
	// AttrSplitLast marks, with split_lines: mark, the last piece of a
	// line (bool, true when set).
	AttrSplitLast = "logplex.split.last"
)

// AddPart translates f as Add does and says on its record where it stands
// in a cut line. With rejoin.Session, Batch is its rejoin.Sink.
func (b *Batch) AddPart(f *logplex.Frame, p rejoin.Part) {
	counts := b.counts
	b.Add(f)
	if p.Counted {
		// CountRead counted the frames it is made of.
		b.counts.Frames, b.counts.Malformed = counts.Frames, counts.Malformed
	}
	if !b.set.Logs {
		return
	}
	attrs := b.records.At(b.records.Len() - 1).Attributes()
	if p.Pieces > 1 || p.Incomplete {
		attrs.PutInt(AttrSplitPieces, int64(p.Pieces))
	}
	if p.Incomplete {
		attrs.PutBool(AttrSplitIncomplete, true)
	}
	if p.ID != "" {
		attrs.PutStr(AttrSplitID, p.ID)
		attrs.PutInt(AttrSplitIndex, int64(p.Index))
		if p.Last {
			attrs.PutBool(AttrSplitLast, true)
		}
	}
}

// CountRead counts a frame that was read but reaches the batch, if at all,
// as part of a rejoined line.
func (b *Batch) CountRead(f *logplex.Frame) {
	b.counts.Frames++
	if f.Err != nil {
		b.counts.Malformed++
	}
}
