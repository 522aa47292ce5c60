package sharedcomponent

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
)

type counting struct {
	starts, shutdowns int
	startErr          error
}

func (c *counting) Start(context.Context, component.Host) error { c.starts++; return c.startErr }
func (c *counting) Shutdown(context.Context) error              { c.shutdowns++; return nil }

func TestSameKeySharesOneInstanceThatStartsAndStopsOnce(t *testing.T) {
	m := NewMap[string, *counting]()
	created := 0
	create := func() (*counting, error) { created++; return &counting{}, nil }

	a, err := m.LoadOrStore("cfg", create)
	require.NoError(t, err)
	b, err := m.LoadOrStore("cfg", create)
	require.NoError(t, err)
	assert.Same(t, a, b)
	assert.Equal(t, 1, created)

	host := componenttest.NewNopHost()
	require.NoError(t, a.Start(context.Background(), host))
	require.NoError(t, b.Start(context.Background(), host))
	require.NoError(t, a.Shutdown(context.Background()))
	require.NoError(t, b.Shutdown(context.Background()))
	assert.Equal(t, 1, a.Unwrap().starts)
	assert.Equal(t, 1, a.Unwrap().shutdowns)
	assert.Equal(t, 0, m.Len())
}

func TestShutdownForgetsTheInstanceSoTheNextCreateIsFresh(t *testing.T) {
	m := NewMap[string, *counting]()
	a, _ := m.LoadOrStore("cfg", func() (*counting, error) { return &counting{}, nil })
	require.NoError(t, a.Shutdown(context.Background())) // without Start
	b, _ := m.LoadOrStore("cfg", func() (*counting, error) { return &counting{}, nil })
	assert.NotSame(t, a, b)
}

func TestCreateErrorIsReturnedAndNothingIsStored(t *testing.T) {
	m := NewMap[string, *counting]()
	_, err := m.LoadOrStore("cfg", func() (*counting, error) { return nil, errors.New("boom") })
	require.EqualError(t, err, "boom")
	assert.Equal(t, 0, m.Len())
}

func TestStartErrorIsSeenByEveryCaller(t *testing.T) {
	m := NewMap[string, *counting]()
	a, _ := m.LoadOrStore("cfg", func() (*counting, error) { return &counting{startErr: errors.New("port taken")}, nil })
	host := componenttest.NewNopHost()
	require.EqualError(t, a.Start(context.Background(), host), "port taken")
	require.EqualError(t, a.Start(context.Background(), host), "port taken")
	assert.Equal(t, 1, a.Unwrap().starts)
}
