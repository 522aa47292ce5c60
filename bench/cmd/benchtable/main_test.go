package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkFraming/body=router/impl=herokudrain         	  182222	      1000 ns/op	3000.00 MB/s	         0 allocs/line	  10000000 lines/s	        100.0 ns/line	       0 B/op	       0 allocs/op
BenchmarkFraming/body=router/impl=herokux-2           	   10000	     20000 ns/op	 150.00 MB/s	        20.00 allocs/line	    500000 lines/s	      2000 ns/line	   15881 B/op	     300 allocs/op
BenchmarkFraming/body=router/impl=herokux-2           	   10000	     20000 ns/op	 150.00 MB/s	        20.00 allocs/line	    700000 lines/s	      2000 ns/line	   15881 B/op	     300 allocs/op
BenchmarkTranslate/body=router/impl=herokudrain       	    3252	     75065 ns/op	  59.66 MB/s	        25.00 allocs/line	    200000 lines/s	      5000 ns/line	   93312 B/op	    1211 allocs/op
BenchmarkScanner-2 	 100	 5 ns/op
`

func TestTablesShowRatiosAgainstTheSameRunBaseline(t *testing.T) {
	all := map[key]*result{}
	if err := parse(strings.NewReader(sample), all); err != nil {
		t.Fatal(err)
	}
	if got := all[key{"Framing", "router", "herokux"}].get("lines/s"); got != 600000 {
		t.Errorf("two runs of a benchmark average: got %v lines/s", got)
	}
	var out bytes.Buffer
	printFraming(&out, all)
	printTranslate(&out, all)
	for _, want := range []string{
		"16.67x", // 10 M / 600 k lines/s
		"50.00x", // translation 5000 ns/line over framing 100 ns/line
		"5.00x",  // 5000 ns/line against 1 µs
		"5.00x",  // 25 allocs/line against 5
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, out.String())
		}
	}
	if len(all) != 3 {
		t.Errorf("parsed %d benchmarks, want 3 (those without body=/impl= are ignored): %v", len(all), all)
	}
}
