package herokuappprocessor // import "github.com/herokudrain/herokudrain/processor/herokuappprocessor"

import (
	"context"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/collector/component"
	"go.uber.org/zap"

	"github.com/herokudrain/herokudrain/processor/herokuappprocessor/internal/metadata"
	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/draintoken"
)

// appInfo is what a drain token resolves to.
type appInfo struct {
	Name string // Heroku app name -> service.name
	ID   string // Heroku app UUID -> heroku.app.id (only the API knows it)
}

// tokenMap is a source's lower-cased token -> app map: replaced whole when
// the source reloads, read without a lock by lookups.
type tokenMap struct {
	atomic.Pointer[map[string]appInfo]
}

func (t *tokenMap) lookup(tok string) (appInfo, bool) {
	m := t.Load()
	if m == nil {
		return appInfo{}, false
	}
	a, ok := (*m)[tok]
	return a, ok
}

// resolver answers token -> app from the configured sources, in order of
// precedence: the static apps map, then apps_file, then heroku_api.
type resolver struct {
	static map[string]appInfo // lower-cased token -> app
	file   *fileSource        // nil without apps_file
	api    *apiSource         // nil without heroku_api

	startOnce sync.Once
	startErr  error
	stopOnce  sync.Once
}

func newResolver(cfg *Config, logger *zap.Logger, tb *metadata.TelemetryBuilder) *resolver {
	r := &resolver{static: normalizeApps(cfg.Apps)}
	if cfg.AppsFile != "" {
		r.file = newFileSource(cfg.AppsFile, cfg.AppsFileCheckInterval, logger, tb)
	}
	if cfg.HerokuAPI.HasValue() {
		r.api = newAPISource(*cfg.HerokuAPI.Get(), logger, tb)
	}
	return r
}

// lookup resolves a drain token. A token no source knows is reported to the
// API source, which may refresh early once for it.
func (r *resolver) lookup(token string) (appInfo, bool) {
	tok := draintoken.Normalize(token)
	if a, ok := r.static[tok]; ok {
		return a, true
	}
	if r.file != nil {
		if a, ok := r.file.apps.lookup(tok); ok {
			return a, true
		}
	}
	if r.api != nil {
		if a, ok := r.api.apps.lookup(tok); ok {
			return a, true
		}
		r.api.noteUnknown(tok)
	}
	return appInfo{}, false
}

// start loads the file and runs the first API listing (bounded by
// initial_wait), then keeps both current in the background. It runs once
// however many pipelines share the resolver.
func (r *resolver) start(ctx context.Context) error {
	r.startOnce.Do(func() {
		if r.file != nil {
			if r.startErr = r.file.start(); r.startErr != nil {
				return
			}
		}
		if r.api != nil {
			r.api.start(ctx)
		}
	})
	return r.startErr
}

func (r *resolver) stop() {
	r.stopOnce.Do(func() {
		if r.file != nil {
			r.file.stop()
		}
		if r.api != nil {
			r.api.stop()
		}
	})
}

// Pipelines of different signals that use the same processor configuration
// share one resolver, so the file is read and the API is listed once.
var resolvers = struct {
	sync.Mutex
	m map[*Config]*sharedResolver
}{m: map[*Config]*sharedResolver{}}

type sharedResolver struct {
	*resolver
	refs int
}

// acquireResolver returns the resolver for cfg, creating it on first use.
// Each acquire must be matched by one releaseResolver.
func acquireResolver(cfg *Config, set component.TelemetrySettings, tb *metadata.TelemetryBuilder) *resolver {
	resolvers.Lock()
	defer resolvers.Unlock()
	s, ok := resolvers.m[cfg]
	if !ok {
		s = &sharedResolver{resolver: newResolver(cfg, set.Logger, tb)}
		resolvers.m[cfg] = s
	}
	s.refs++
	return s.resolver
}

// releaseResolver drops one reference and stops the resolver with the last.
func releaseResolver(cfg *Config) {
	resolvers.Lock()
	defer resolvers.Unlock()
	s, ok := resolvers.m[cfg]
	if !ok {
		return
	}
	s.refs--
	if s.refs <= 0 {
		delete(resolvers.m, cfg)
		s.stop()
	}
}
