package logplextest

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestSplitsCutLongLinesAsHerokuDoes(t *testing.T) {
	base := Message{PRI: PRIApp, Time: time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC), AppName: "app", ProcID: "web.1"}
	line := []byte(strings.Repeat("x", 25_000) + "\n")
	for _, tc := range []struct {
		name   string
		split  func(Message, []byte) []Message
		size   func(Message) int
		wantAt int
	}{
		{"log-shuttle: 10,000-byte messages", ShuttleSplit, func(m Message) int { return len(m.Msg) }, ShuttleMaxLine},
		{"Logplex: 10,240-byte syslog messages", LogplexSplit, func(m Message) int { return len(m.Syslog()) }, LogplexMaxMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pieces := tc.split(base, line)
			if len(pieces) != 3 {
				t.Fatalf("%d pieces, want 3", len(pieces))
			}
			var joined []byte
			for i, p := range pieces {
				last := i == len(pieces)-1
				if p.NoLF == last {
					t.Errorf("piece %d: NoLF = %v, want only the last with LF", i, p.NoLF)
				}
				if !last && tc.size(p) != tc.wantAt {
					t.Errorf("piece %d: size %d, want %d", i, tc.size(p), tc.wantAt)
				}
				if p.Time != base.Time || p.ProcID != "web.1" {
					t.Errorf("piece %d lost the line's header", i)
				}
				joined = append(joined, p.Msg...)
			}
			if !bytes.Equal(append(joined, '\n'), line) {
				t.Error("the pieces do not add up to the line")
			}
		})
	}
}

func TestShuttleSplitOfALineOfExactlyOnePiece(t *testing.T) {
	line := []byte(strings.Repeat("y", ShuttleMaxLine) + "\n")
	pieces := ShuttleSplit(Message{AppName: "app", ProcID: "web.1"}, line)
	if len(pieces) != 2 || len(pieces[0].Msg) != ShuttleMaxLine || !pieces[0].NoLF || pieces[1].Msg != "" || pieces[1].NoLF {
		t.Fatalf("want a full piece without LF and an empty last piece with LF, got %d pieces", len(pieces))
	}
}
