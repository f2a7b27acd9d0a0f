package worker

import (
	"context"
	"log/slog"
	"time"

	"aduan/drain"
)

// everyTick runs pass every interval, and at once whenever wake fires (nil: never),
// until ctx stops taking work (package drain): the shape of each of RunBackground's loops.
func everyTick(ctx context.Context, interval time.Duration, wake <-chan struct{}, pass func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-drain.Done(ctx):
			return
		case <-t.C:
		case <-wake:
		}
		pass()
	}
}

// giveBack runs release over the n items of what (a name for the log) that loop, which
// is stopping, claimed but did not reach, so that another worker takes them at once
// rather than after their hold. It has 5 s although ctx has ended.
func giveBack(ctx context.Context, loop, what string, n int, release func(context.Context) error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := release(rctx); err != nil {
		slog.Warn(loop+": giving back "+what+" failed; they wait for their hold", "count", n, "err", err)
		return
	}
	slog.Info(loop+": stopping; gave back "+what, "count", n)
}
