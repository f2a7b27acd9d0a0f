// Package drain lets a worker loop stop the way an operator expects of a graceful stop:
// when the process is asked to stop it takes no new item, finishes the one in hand, and
// gives up on it only after a grace period. Work in PostgreSQL is claimed with a lease, so
// an item given up is taken again by another process once its lease has passed.
//
// A loop gets a work context from Context. Its I/O runs on that context, which is not
// cancelled when the stop comes, only grace later; the loop asks Stopping (or waits on
// Done) before it takes the next item.
package drain

import (
	"context"
	"sync"
	"time"
)

type stopKey struct{}

// Context is the work context of a loop that stops when stop ends: it keeps stop's
// values, is cancelled grace after stop ends (at once with grace 0) or when cancel is
// called, and tells Stopping and Done about stop.
func Context(stop context.Context, grace time.Duration) (work context.Context, cancel context.CancelFunc) {
	work, cancelWork := context.WithCancel(context.WithValue(context.WithoutCancel(stop), stopKey{}, stop))
	var mu sync.Mutex
	var timer *time.Timer
	unhook := context.AfterFunc(stop, func() {
		mu.Lock()
		defer mu.Unlock()
		timer = time.AfterFunc(grace, cancelWork)
	})
	return work, func() {
		unhook()
		mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancelWork()
	}
}

// Done is closed once the loop of ctx should take no new item: the stop of a work
// context, or ctx's own end for any other context.
func Done(ctx context.Context) <-chan struct{} {
	if stop, ok := ctx.Value(stopKey{}).(context.Context); ok {
		return stop.Done()
	}
	return ctx.Done()
}

// Stopping reports whether the loop of ctx should take no new item.
func Stopping(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	select {
	case <-Done(ctx):
		return true
	default:
		return false
	}
}
