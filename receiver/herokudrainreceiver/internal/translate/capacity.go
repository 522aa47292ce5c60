package translate // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/translate"

import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"

// headerAttrs is how many attributes putHeader adds at most for a frame
// without structured data: app name, procid, msgid, facility, severity.
const headerAttrs = 5

// recordAttrCapacity is the attribute count to reserve for a record before
// anything is put into it, so its attribute slice is allocated once
// instead of growing 1, 2, 4, 8 in putHeader and once more in putLine
// (profile of BenchmarkTranslate: ~4 of 30 allocations per line were that
// growth). addRecord reserves it; putLine relies on it. A full router error
// line has the most attributes; most router lines need ~21 of the 24.
func recordAttrCapacity(l *heroku.Line) int {
	if l == nil {
		return headerAttrs
	}
	switch l.Kind {
	case heroku.KindRouter:
		return headerAttrs + 24
	case heroku.KindDynoEvent, heroku.KindAPIEvent:
		return headerAttrs + 10
	default:
		return headerAttrs + 8
	}
}
