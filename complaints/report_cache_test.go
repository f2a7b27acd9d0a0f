package complaints

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aduan/domain"
	"aduan/store"
)

// TestReportCache: requests for one report while nothing changed compute it once, the
// ones arriving during the computation included; a change number of another value, an
// expired report, another scope or period, and a failed computation compute it again.
func TestReportCache(t *testing.T) {
	ctx := context.Background()
	var c reportCache
	var computed atomic.Int32
	release := make(chan struct{})
	compute := func() (store.Report, error) {
		computed.Add(1)
		<-release
		return store.Report{Total: int(computed.Load())}, nil
	}
	admin := domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	key := reportKey(admin, from, from.AddDate(1, 0, 0), time.Hour)

	var wg sync.WaitGroup
	totals := make([]int, 8)
	for i := range totals {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := c.get(ctx, key, 7, compute)
			if err != nil {
				t.Error(err)
			}
			totals[i] = rep.Total
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := computed.Load(); n != 1 {
		t.Fatalf("8 requests at once computed the report %d times, want 1", n)
	}
	for i, total := range totals {
		if total != 1 {
			t.Errorf("request %d got report %d, want the one computed", i, total)
		}
	}
	if rep, _ := c.get(ctx, key, 7, compute); rep.Total != 1 || computed.Load() != 1 {
		t.Errorf("unchanged data: report %d after %d computations, want the kept one", rep.Total, computed.Load())
	}
	if rep, _ := c.get(ctx, key, 8, compute); rep.Total != 2 {
		t.Errorf("after a change: report %d, want a new one", rep.Total)
	}
	pokja := domain.Actor{Username: "p", Role: domain.RolePokja, Pokja: "logistik"}
	if rep, _ := c.get(ctx, reportKey(pokja, from, from.AddDate(1, 0, 0), time.Hour), 8, compute); rep.Total != 3 {
		t.Errorf("another scope: report %d, want its own", rep.Total)
	}
	supervisor := domain.Actor{Username: "s", Role: domain.RoleSupervisor}
	if reportKey(supervisor, from, from.AddDate(1, 0, 0), time.Hour) != key {
		t.Error("an admin's and a supervisor's reports differ in key; both see everything")
	}
	if rep, _ := c.get(ctx, reportKey(admin, from, from.AddDate(0, 1, 0), time.Hour), 8, compute); rep.Total != 4 {
		t.Errorf("another period: report %d, want its own", rep.Total)
	}
	c.mu.Lock()
	c.entries[key].started = time.Now().Add(-reportTTL)
	c.mu.Unlock()
	if rep, _ := c.get(ctx, key, 8, compute); rep.Total != 5 {
		t.Errorf("expired: report %d, want a new one", rep.Total)
	}

	failing := errors.New("database away")
	if _, err := c.get(ctx, key, 9, func() (store.Report, error) { return store.Report{}, failing }); !errors.Is(err, failing) {
		t.Errorf("failed computation: %v", err)
	}
	if rep, _ := c.get(ctx, key, 9, compute); rep.Total != 6 {
		t.Errorf("after a failure: report %d, want a new computation", rep.Total)
	}
}

// TestReportCacheBounded: however many periods are asked for, at most reportCacheSize
// reports are kept.
func TestReportCacheBounded(t *testing.T) {
	var c reportCache
	admin := domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 * reportCacheSize {
		day := from.AddDate(0, 0, i)
		if _, err := c.get(context.Background(), reportKey(admin, day, day.AddDate(0, 0, 1), time.Hour), 1,
			func() (store.Report, error) { return store.Report{}, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.entries); n > reportCacheSize {
		t.Errorf("%d reports kept, want at most %d", n, reportCacheSize)
	}
}
