package domain

import (
	"testing"
	"time"
)

// A kept calendar answers exactly as one prepared afresh, and no wrong calendar passes
// for a right one that was kept before it.
func TestCalendarCache(t *testing.T) {
	good := DefaultCalendar()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	// The same holidays, joined into one text: wrong, even after the right one is kept.
	bad := *good
	bad.Holidays = []string{good.Holidays[0] + "," + good.Holidays[1]}
	if err := bad.Validate(); err == nil {
		t.Fatalf("holiday %q accepted", bad.Holidays[0])
	}
	open := *good
	open.OfficeOpen, open.OfficeClose = "08:00|16:00", ""
	if err := open.Validate(); err == nil {
		t.Fatal("office hours run together accepted")
	}

	fresh, err := good.prepare()
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := good.clock()
	if fresh.open != kept.open || fresh.close != kept.close || fresh.workday != kept.workday ||
		len(fresh.holiday) != len(kept.holiday) || fresh.zone.String() != kept.zone.String() {
		t.Fatalf("kept clock %+v differs from a fresh one %+v", kept, fresh)
	}
	// 2026-12-24 and 25 are holidays (cuti bersama, Christmas): a day's work from the
	// 23rd at noon ends on the 28th at noon, as the calendar says with or without the cache.
	from := time.Date(2026, 12, 23, 12, 0, 0, 0, good.Location())
	want := time.Date(2026, 12, 28, 12, 0, 0, 0, good.Location())
	for i := 0; i < 2; i++ {
		if got := good.AddWorking(from, 8*time.Hour); !got.Equal(want) {
			t.Fatalf("pass %d: AddWorking = %v, want %v", i, got, want)
		}
	}
	// A changed calendar is a new key: the 28th made a holiday moves the end to the 29th.
	changed := *good
	changed.Holidays = append(append([]string(nil), good.Holidays...), "2026-12-28")
	if got := changed.AddWorking(from, 8*time.Hour); !got.Equal(want.AddDate(0, 0, 1)) {
		t.Fatalf("changed calendar: AddWorking = %v, want %v", got, want.AddDate(0, 0, 1))
	}
}

// The cache never holds more than preparedMax calendars.
func TestCalendarCacheBounded(t *testing.T) {
	c := *DefaultCalendar()
	for i := 0; i < 3*preparedMax; i++ {
		c.Holidays = []string{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		prepared.mu.Lock()
		n := len(prepared.clocks)
		prepared.mu.Unlock()
		if n > preparedMax {
			t.Fatalf("%d calendars kept, at most %d", n, preparedMax)
		}
	}
}
