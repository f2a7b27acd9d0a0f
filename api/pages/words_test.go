package pages

import (
	"testing"
	"time"

	"aduan/domain"
)

func TestSpellCode(t *testing.T) {
	if got, want := SpellCode("ADU-7K3Q-XW2M"), "ADU – tujuh, K, tiga, Q – X, W, dua, M"; got != want {
		t.Errorf("SpellCode = %q, want %q", got, want)
	}
}

func TestWaitText(t *testing.T) {
	for secs, want := range map[int]string{1: "1 detik", 90: "90 detik", 91: "2 menit", 300: "5 menit"} {
		if got := WaitText(time.Duration(secs) * time.Second); got != want {
			t.Errorf("WaitText(%ds) = %q, want %q", secs, got, want)
		}
	}
	if got := WaitText(1500 * time.Millisecond); got != "2 detik" {
		t.Errorf("WaitText(1.5s) = %q, want 2 detik (rounded up)", got)
	}
}

func TestDateInTheRegencysZone(t *testing.T) {
	at := time.Date(2026, 3, 5, 6, 5, 0, 0, time.UTC)
	if got, want := Date(at, domain.ZoneAt(8)), "5 Maret 2026, 14.05 WITA"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	if got, want := Date(at, domain.ZoneAt(7)), "5 Maret 2026, 13.05 WIB"; got != want {
		t.Errorf("Date in WIB = %q, want %q", got, want)
	}
	if got, want := DateOnly(time.Date(2026, 3, 5, 17, 0, 0, 0, time.UTC), domain.ZoneAt(8)), "6 Maret 2026"; got != want {
		t.Errorf("DateOnly = %q, want %q", got, want)
	}
}
