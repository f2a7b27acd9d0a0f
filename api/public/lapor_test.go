package public

import (
	"testing"

	"aduan/complaints"
)

func TestFormKey(t *testing.T) {
	a := complaints.IntakeRequest{Text: "Beras belum sampai di Botteng", Kecamatan: "simboro"}
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
