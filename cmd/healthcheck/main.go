// Command healthcheck asks the collector's health_check extension whether
// the collector is ready, for container runtimes that run a probe command
// inside the image (Containerfile HEALTHCHECK). The image has no shell, curl
// or wget, so this small static binary does the GET.
//
//	healthcheck [URL]    default http://127.0.0.1:13133/
//
// It exits 0 when the extension answers 200 within 3 seconds, 1 otherwise.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const defaultURL = "http://127.0.0.1:13133/"

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	url := defaultURL
	if len(args) > 0 {
		url = args[0]
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "healthcheck: %s answered %s\n", url, resp.Status)
		return 1
	}
	return 0
}
