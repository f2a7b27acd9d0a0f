package domain

import (
	"regexp"
	"testing"
)

func TestNewCodeShape(t *testing.T) {
	shape := regexp.MustCompile(`^ADU-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if !shape.MatchString(c) {
			t.Fatalf("code %q has the wrong shape", c)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice in 2000", c)
		}
		seen[c] = true
		if NormalizeCode(c) != c {
			t.Fatalf("NormalizeCode(%q) = %q", c, NormalizeCode(c))
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	cases := map[string]string{
		" adu-7k3q-xw2m ": "ADU-7K3Q-XW2M",
		"ADU-7K3Q-XW2O":   "ADU-7K3Q-XW20", // O read as zero
		"ADU-1L1I-0000":   "ADU-1111-0000",
		"ADU-7K3Q-XW2":    "",
		"ADU-7K3Q-XW2U":   "", // U is not Crockford
		"'; DROP TABLE":   "",
		"":                "",
	}
	for in, want := range cases {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanTextKeepsUnicodeDropsControls(t *testing.T) {
	in := "  Bantuan 🍚 belum tiba\x00\x07 — ᨅᨘᨁᨗ\r\nbaris dua\t✓  "
	want := "Bantuan 🍚 belum tiba — ᨅᨘᨁᨗ\nbaris dua\t✓"
	if got := CleanText(in); got != want {
		t.Errorf("CleanText = %q, want %q", got, want)
	}
}

func TestValidateFieldsLimits(t *testing.T) {
	long := make([]rune, MaxNote+1)
	for i := range long {
		long[i] = 'é'
	}
	f := ValidateFields(ActionNote, ActionRequest{Note: string(long)})
	if f["note"] != msgTooLong {
		t.Errorf("note of %d runes: %v", len(long), f)
	}
	if f := ValidateFields(ActionNote, ActionRequest{Note: string(long[:MaxNote])}); len(f) != 0 {
		t.Errorf("note of exactly %d runes refused: %v", MaxNote, f)
	}
	if f := ValidateFields(ActionReject, ActionRequest{Reason: "bogus", Note: "x", DuplicateOf: "nope"}); f["reason"] == "" || f["duplicate_of"] == "" {
		t.Errorf("bad reason and duplicate_of not named: %v", f)
	}
	if f := ValidateFields(Action("fly"), ActionRequest{}); f["action"] == "" {
		t.Errorf("unknown action not named: %v", f)
	}
}

func TestSensitiveCategories(t *testing.T) {
	for _, c := range Categories {
		want := c.ID == "perlindungan" || c.ID == "penyalahgunaan"
		if IsSensitive(c.ID) != want {
			t.Errorf("IsSensitive(%s) = %v", c.ID, !want)
		}
	}
}

func TestGreetingsDoNotOpenComplaints(t *testing.T) {
	for _, s := range []string{"Halo", "Assalamualaikum", "Assalamu'alaikum wr. wb.", "Selamat pagi pak", "Pagi bu, permisi 🙏",
		"Halo min, ada orang?", "P", "tes tes"} {
		if !IsTooShortForComplaint(s) {
			t.Errorf("%q opens a complaint", s)
		}
	}
	for _, s := range []string{"Pagi pak, bantuan beras belum sampai di Desa Bebanga", "Tenda bocor di Kalukku",
		"Air bersih habis", "Halo, jembatan putus"} {
		if IsTooShortForComplaint(s) {
			t.Errorf("%q does not open a complaint", s)
		}
	}
	if IsGreeting("") || IsGreeting("🙏") {
		t.Error("an empty or emoji-only text is not a greeting (it is too short)")
	}
}
