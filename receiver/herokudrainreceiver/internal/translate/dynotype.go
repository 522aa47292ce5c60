package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import "bytes"

// dynoTypeOf returns the process type of a dyno name: the part before the
// first dot ("web" for web.1, "run" for run.2660). Common types do not
// allocate.
func dynoTypeOf(name []byte) string {
	if i := bytes.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	return intern(name)
}
