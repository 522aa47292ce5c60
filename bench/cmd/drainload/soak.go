package main

import (
	"context"
	"fmt"
	"time"

	"github.com/herokudrain/herokudrain/bench/internal/load"
)

// soak holds a steady rate against the first target for o.duration,
// printing delivered lines/s and RSS every o.sample. After o.warmup the
// largest RSS of the first three samples is the baseline; the run fails
// when the largest of the last three exceeds it by more than o.tolerance.
func soak(o options) error {
	body, lines, err := loadBody(o)
	if err != nil {
		return err
	}
	target := o.targets[0]
	if target == "floor" && len(o.targets) > 1 {
		target = o.targets[1]
	}
	p, _, err := startTarget(o, target)
	if err != nil {
		return err
	}
	defer p.Stop()
	conns, tokens := o.conns[0], o.tokens[0]
	gen := load.New(load.Config{URL: p.URL, Body: body, Lines: lines, Conns: conns, Tokens: tokens, Rate: o.rate})
	defer gen.Close()
	fmt.Printf("soak: %s for %s at %.0f lines/s (%d conns, %d tokens/dynos), sample every %s, warm-up %s, RSS tolerance %.0f%%\n",
		target, o.duration, o.rate, conns, tokens, o.sample, o.warmup, o.tolerance*100)
	fmt.Printf("%8s %12s %10s %10s\n", "t", "lines/s", "RSS", "refused")

	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	type point struct {
		at  time.Duration
		rss int64
	}
	var after []point
	start := time.Now()
	var total load.Result
	for ctx.Err() == nil {
		sctx, scancel := context.WithTimeout(ctx, o.sample)
		res := gen.Run(sctx)
		scancel()
		total.Lines += res.Lines
		total.Refused += res.Refused
		total.Failed += res.Failed
		at := time.Since(start).Round(time.Second)
		rss := p.RSS()
		fmt.Printf("%8s %12.0f %10s %10d\n", at, res.LinesPerSec(), mb(rss), res.Refused)
		if at > o.warmup {
			after = append(after, point{at, rss})
		}
	}
	fmt.Printf("soak: %d lines delivered in %s (%.0f lines/s), %d refused, %d failed\n",
		total.Lines, time.Since(start).Round(time.Second), float64(total.Lines)/time.Since(start).Seconds(), total.Refused, total.Failed)
	if total.Failed > 0 {
		return fmt.Errorf("soak: %d requests failed\n%s", total.Failed, p.Log())
	}
	if len(after) < 6 {
		return fmt.Errorf("soak: %d samples after warm-up; need 6 to judge RSS (lengthen -duration or shorten -sample)", len(after))
	}
	peak := func(ps []point) int64 {
		var m int64
		for _, p := range ps {
			m = max(m, p.rss)
		}
		return m
	}
	base, end := peak(after[:3]), peak(after[len(after)-3:])
	limit := int64(float64(base) * (1 + o.tolerance))
	fmt.Printf("soak: RSS after warm-up %s, at the end %s, limit %s\n", mb(base), mb(end), mb(limit))
	if end > limit {
		return fmt.Errorf("soak: RSS grew from %s to %s, beyond the %.0f%% tolerance", mb(base), mb(end), o.tolerance*100)
	}
	fmt.Println("soak: RSS held")
	return nil
}
