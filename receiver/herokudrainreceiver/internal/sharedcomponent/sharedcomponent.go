// Package sharedcomponent lets one component instance serve several pipelines.
//
// The collector creates a receiver once per signal (logs, metrics) but hands
// every Create call the same *Config. A receiver that owns a network listener
// must exist once per config, start once and shut down once; the collector's
// own helper for this is internal to its module, so this is a small
// equivalent.
package sharedcomponent // import "github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/sharedcomponent"

import (
	"context"
	"sync"

	"go.opentelemetry.io/collector/component"
)

// Map keeps one shared component per key (usually the *Config pointer).
type Map[K comparable, V component.Component] struct {
	mu    sync.Mutex
	comps map[K]*Component[V]
}

// NewMap returns an empty Map.
func NewMap[K comparable, V component.Component]() *Map[K, V] {
	return &Map[K, V]{comps: map[K]*Component[V]{}}
}

// LoadOrStore returns the component stored under key, creating it with create
// on first use.
func (m *Map[K, V]) LoadOrStore(key K, create func() (V, error)) (*Component[V], error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.comps[key]; ok {
		return c, nil
	}
	v, err := create()
	if err != nil {
		return nil, err
	}
	c := &Component[V]{inner: v}
	c.remove = func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.comps[key] == c {
			delete(m.comps, key)
		}
	}
	m.comps[key] = c
	return c, nil
}

// Len is the number of live shared components (for tests).
func (m *Map[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.comps)
}

// Component wraps V so that Start and Shutdown run once however many
// pipelines hold it.
type Component[V component.Component] struct {
	inner V

	startOnce    sync.Once
	startErr     error
	shutdownOnce sync.Once
	shutdownErr  error
	remove       func()
}

// Unwrap returns the wrapped component.
func (c *Component[V]) Unwrap() V { return c.inner }

// Start starts the wrapped component on the first call only.
func (c *Component[V]) Start(ctx context.Context, host component.Host) error {
	c.startOnce.Do(func() { c.startErr = c.inner.Start(ctx, host) })
	return c.startErr
}

// Shutdown shuts the wrapped component down on the first call only and forgets
// it, so that a later Create with the same key builds a fresh one. It is safe
// without a prior Start.
func (c *Component[V]) Shutdown(ctx context.Context) error {
	c.shutdownOnce.Do(func() {
		c.shutdownErr = c.inner.Shutdown(ctx)
		c.remove()
	})
	return c.shutdownErr
}
