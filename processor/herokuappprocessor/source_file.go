package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
	"go.yaml.in/yaml/v3"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
)

const (
	sourceFile = "apps_file"
	sourceAPI  = "heroku_api"
)

// fileSource keeps the token -> app map of apps_file. The file is re-read
// every check interval; a change in its bytes triggers a parse. A file that
// does not parse or validate keeps the last good map and is reported once
// (until its content changes again).
type fileSource struct {
	path     string
	interval time.Duration
	logger   *zap.Logger
	tb       *metadata.TelemetryBuilder

	apps tokenMap
	last []byte // content last looked at (good or bad); only the loop touches it

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newFileSource(path string, interval time.Duration, logger *zap.Logger, tb *metadata.TelemetryBuilder) *fileSource {
	return &fileSource{path: path, interval: interval, logger: logger, tb: tb}
}

// start loads the file once (an error here fails the collector's start: no
// good map exists yet) and then watches it.
func (f *fileSource) start() error {
	if err := f.reload(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		t := time.NewTicker(f.interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := f.reload(); err != nil {
					f.logger.Error("apps_file: keeping the last good token map; fix the file and it is reloaded automatically", zap.Error(err))
				}
			}
		}
	}()
	return nil
}

func (f *fileSource) stop() {
	if f.cancel != nil {
		f.cancel()
	}
	f.wg.Wait()
}

// reload re-reads the file. It returns an error only the first time a given
// content (or read failure) is seen, so a bad file is logged once.
func (f *fileSource) reload() error {
	data, err := os.ReadFile(f.path)
	if err != nil {
		// Remember the failure as "content" so it is reported once.
		marker := []byte("\x00read error: " + err.Error())
		if bytes.Equal(marker, f.last) {
			return nil
		}
		f.last = marker
		f.count(false)
		return fmt.Errorf("apps_file: %w (create the file or remove apps_file from the configuration)", err)
	}
	if f.apps.Load() != nil && bytes.Equal(data, f.last) {
		return nil
	}
	f.last = data
	apps, err := parseAppsFile(f.path, data)
	if err != nil {
		f.count(false)
		return err
	}
	m := normalizeApps(apps)
	f.apps.Store(&m)
	f.count(true)
	f.logger.Info("apps_file: loaded token map", zap.String("path", f.path), zap.Int("tokens", len(m)))
	return nil
}

func (f *fileSource) count(ok bool) {
	f.tb.ProcessorHerokuappSourceLoads.Add(context.Background(), 1, loadAttrs(sourceFile, ok))
}

func loadAttrs(source string, ok bool) metric.AddOption {
	result := "ok"
	if !ok {
		result = "error"
	}
	return metric.WithAttributes(attribute.String("source", source), attribute.String("result", result))
}

// parseAppsFile reads a token -> app name map written as YAML or JSON (JSON
// is read as YAML) and checks it like the apps key.
func parseAppsFile(path string, data []byte) (map[string]string, error) {
	var apps map[string]string
	if err := yaml.Unmarshal(data, &apps); err != nil {
		return nil, fmt.Errorf("apps_file %s: not a YAML or JSON map of drain token to app name: %w", path, err)
	}
	if len(apps) == 0 {
		return nil, fmt.Errorf(`apps_file %s: holds no entries (write one "d.<uuid>: app-name" line per drain)`, path)
	}
	if errs := validateApps("apps_file "+path, apps); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return apps, nil
}
