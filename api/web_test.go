package api

import "testing"

func TestSpellCode(t *testing.T) {
	if got, want := spellCode("ADU-7K3Q-XW2M"), "ADU – tujuh, K, tiga, Q – X, W, dua, M"; got != want {
		t.Errorf("spellCode = %q, want %q", got, want)
	}
}

func TestFormKey(t *testing.T) {
	a := intakeRequest{Text: "Beras belum sampai di Botteng", Kecamatan: "simboro"}
	b := a
	if formKey("tok-0123456789abcdef", a) != formKey("tok-0123456789abcdef", b) {
		t.Error("the same form gives two keys")
	}
	b.Text += "!"
	if formKey("tok-0123456789abcdef", a) == formKey("tok-0123456789abcdef", b) {
		t.Error("a different text from the same rendering gives the same key")
	}
	b = a
	b.Confidential = true
	if formKey("tok-0123456789abcdef", a) == formKey("tok-0123456789abcdef", b) {
		t.Error("a different choice gives the same key")
	}
	if k := formKey(newFormToken(), a); len(k) > 100 {
		t.Errorf("key %q is long", k)
	}
	if tok := newFormToken(); !formTokenPattern.MatchString(tok) {
		t.Errorf("token %q does not match its own pattern", tok)
	}
}

func TestWaitText(t *testing.T) {
	for secs, want := range map[int]string{1: "1 detik", 90: "90 detik", 91: "2 menit", 300: "5 menit"} {
		if got := waitText(secs); got != want {
			t.Errorf("waitText(%d) = %q, want %q", secs, got, want)
		}
	}
}
