// Command dashboards generates the Grafana dashboards of herokudrain (one
// per dashboard of Sumo Logic's Heroku app) as JSON, and docs/panel-map.md
// from the same panel list.
//
//	go run . -out json -doc ../docs/panel-map.md          write them
//	go run . -out json -doc ../docs/panel-map.md -check   fail when they are stale
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run generates the files, or with -check compares them with the disk.
func run(args []string) error {
	fs := flag.NewFlagSet("dashboards", flag.ContinueOnError)
	out := fs.String("out", "json", "directory for the dashboard JSON files")
	doc := fs.String("doc", "../docs/panel-map.md", "path of the generated panel map")
	check := fs.Bool("check", false, "compare with the files on disk instead of writing them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files, err := generate(*out, *doc)
	if err != nil {
		return err
	}
	var stale []string
	for path, content := range files {
		if *check {
			old, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(old, content) {
				stale = append(stale, path)
			}
			continue
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		return fmt.Errorf("generated files are stale, run `make dashboards` and commit: %s", strings.Join(stale, ", "))
	}
	return nil
}

// generate returns every generated file by path.
func generate(outDir, docPath string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, b := range boards() {
		js, err := render(b)
		if err != nil {
			return nil, err
		}
		files[filepath.Join(outDir, b.file+".json")] = js
	}
	files[docPath] = panelMap(boards())
	return files, nil
}
