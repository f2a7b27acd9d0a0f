package complaints

import (
	"context"
	"fmt"
	"sync"
	"time"

	"aduan/domain"
	"aduan/store"
)

// reportCache keeps computed evaluation reports while nothing they read has changed. A
// year's report costs PostgreSQL a few hundred milliseconds of CPU, and the same report
// is asked for again and again (a supervisor's browser, the CSV after the page, several
// staff before a meeting); with it, the report is computed once per change of the data,
// and requests that arrive while it is computed wait for that one computation.
//
// A report is kept for its viewer's scope (domain.ScopeOf: what a report shows depends on
// the viewer through it alone), its period and limit, and the store's change number
// (Store.ReportChanges) when it was computed; a different number computes it again. The
// number is drawn before its write commits, so a report computed in that moment can miss
// the write; reportTTL bounds how long such a report is served, and also how long the
// "late now" of the overdue list (deadlines passing with no write) can lag.
type reportCache struct {
	mu      sync.Mutex
	entries map[string]*reportEntry
}

// reportEntry is one report, being computed until done is closed.
type reportEntry struct {
	changes int64
	started time.Time
	done    chan struct{}
	rep     store.Report
	err     error
}

const (
	// reportTTL is how long a computed report is served at most.
	reportTTL = 30 * time.Second
	// reportCacheSize bounds the reports kept (scopes × periods asked for).
	reportCacheSize = 64
)

// reportKey names a report: its viewer's scope, period and overall limit.
func reportKey(viewer domain.Actor, from, to time.Time, limit time.Duration) string {
	sc := domain.ScopeOf(viewer)
	return fmt.Sprintf("%t|%s|%s|%d|%d|%d", sc.All, sc.Pokja, sc.Partner, from.UnixNano(), to.UnixNano(), limit)
}

// get returns the report of key as of changes: the kept one, the one being computed, or
// one computed now by compute.
func (c *reportCache) get(ctx context.Context, key string, changes int64, compute func() (store.Report, error)) (store.Report, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*reportEntry{}
	}
	if e := c.entries[key]; e != nil && e.changes == changes && time.Since(e.started) < reportTTL {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return store.Report{}, ctx.Err()
		}
		if e.err == nil {
			return e.rep, nil
		}
		// The computation waited for failed (its request may have gone): this one's own.
		return compute()
	}
	c.evict()
	e := &reportEntry{changes: changes, started: time.Now(), done: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()

	e.rep, e.err = compute()
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return e.rep, e.err
}

// evict makes room for one more report: the expired ones go, then, if still full, one
// finished report. Called with mu held.
func (c *reportCache) evict() {
	for k, e := range c.entries {
		if time.Since(e.started) >= reportTTL {
			delete(c.entries, k)
		}
	}
	for k, e := range c.entries {
		if len(c.entries) < reportCacheSize {
			return
		}
		select {
		case <-e.done:
			delete(c.entries, k)
		default:
		}
	}
}
