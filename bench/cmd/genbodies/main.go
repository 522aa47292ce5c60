// Command genbodies writes the generated benchmark bodies to
// testdata/drains/bench/ (run it from the bench module root).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/herokudrain/herokudrain/bench/internal/bodies"
)

func main() {
	if err := os.MkdirAll(bodies.GeneratedDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for name, data := range bodies.Generated() {
		path := filepath.Join(bodies.GeneratedDir, name+".logplex")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		n, _ := bodies.CountFrames(data)
		fmt.Printf("wrote %s: %d frames, %d bytes\n", path, n, len(data))
	}
}
