package keyring

import (
	"errors"
	"strings"
	"testing"
)

const (
	key1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	key2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
)

// TestParse: the forms ADUAN_PAYLOAD_KEYS takes, and the current key of each.
func TestParse(t *testing.T) {
	for spec, want := range map[string]string{
		"k1:" + key1:                            "k1",
		" *k1:" + key1 + " ":                    "k1",
		"*k2:" + key2 + ",k1:" + key1:           "k2",
		"k1:" + key1 + ", *k2:" + key2 + ",":    "k2",
		"k_1-a:" + strings.TrimRight(key1, "="): "k_1-a", // unpadded
	} {
		r, err := Parse(spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", spec, err)
			continue
		}
		if r.Current() != want {
			t.Errorf("Parse(%q).Current() = %q, want %q", spec, r.Current(), want)
		}
	}
}

// TestParseRefuses: every bad ring is refused, and no message shows a key.
func TestParseRefuses(t *testing.T) {
	short := "c2hvcnQ=" // "short"
	for spec, want := range map[string]string{
		"":                                   "no key",
		" , ":                                "no key",
		"k1":                                 "not id:base64-key",
		"k1:":                                "not id:base64-key",
		":" + key1:                           "key id",
		"k 1:" + key1:                        "key id",
		strings.Repeat("k", 33) + ":" + key1: "key id",
		"k1:not base64!":                     "not base64",
		"k1:" + short:                        "5 bytes, want 32",
		"k1:" + key1 + ",k1:" + key2:         "twice",
		"k1:" + key1 + ",k2:" + key2:         "no key is marked current",
		"*k1:" + key1 + ",*k2:" + key2:       "more than one",
	} {
		_, err := Parse(spec)
		if err == nil {
			t.Errorf("Parse(%q) accepted it", spec)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q): %v, want it to say %q", spec, err, want)
		}
		for _, k := range []string{key1, key2, short} {
			if strings.Contains(err.Error(), k) {
				t.Errorf("Parse(%q): the message shows a key: %v", spec, err)
			}
		}
	}
}

// TestRotation: data sealed with an old key opens while that key is in the ring; new data
// is sealed with the current key; a key taken out of the ring is named.
func TestRotation(t *testing.T) {
	old := mustParse(t, "k1:"+key1)
	id, sealed, err := old.Seal([]byte("catatan"), "p")
	if err != nil || id != "k1" {
		t.Fatalf("Seal: %q %v", id, err)
	}
	rotated := mustParse(t, "*k2:"+key2+",k1:"+key1)
	if got, err := rotated.Open(id, sealed, "p"); err != nil || string(got) != "catatan" {
		t.Errorf("old data after rotation: %q %v", got, err)
	}
	id2, sealed2, _ := rotated.Seal([]byte("catatan"), "p")
	if id2 != "k2" {
		t.Errorf("new data sealed with %q, want k2", id2)
	}
	retired := mustParse(t, "k2:"+key2)
	if _, err := retired.Open(id, sealed, "p"); !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), `"k1"`) {
		t.Errorf("data of a retired key: %v, want ErrUnknownKey naming k1", err)
	}
	if got, err := retired.Open(id2, sealed2, "p"); err != nil || string(got) != "catatan" {
		t.Errorf("after retiring k1: %q %v", got, err)
	}
}

// TestOpenRefuses: altered data, another purpose, or a key id that names another key.
func TestOpenRefuses(t *testing.T) {
	r := mustParse(t, "*k2:"+key2+",k1:"+key1)
	id, sealed, _ := r.Seal([]byte("jawaban mitra"), "payload")
	if strings.Contains(string(sealed), "jawaban") {
		t.Fatal("sealed data holds the plaintext")
	}
	flipped := append([]byte(nil), sealed...)
	flipped[len(flipped)-1] ^= 1
	for name, try := range map[string]func() error{
		"altered":       func() error { _, err := r.Open(id, flipped, "payload"); return err },
		"truncated":     func() error { _, err := r.Open(id, sealed[:10], "payload"); return err },
		"other purpose": func() error { _, err := r.Open(id, sealed, "totp:admin"); return err },
		"other key id":  func() error { _, err := r.Open("k1", sealed, "payload"); return err },
	} {
		if err := try(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: %v, want ErrOpen", name, err)
		}
	}
	// Two seals of the same text differ (a fresh nonce each time).
	_, again, _ := r.Seal([]byte("jawaban mitra"), "payload")
	if string(again) == string(sealed) {
		t.Error("the same plaintext sealed twice gives the same bytes")
	}
}

func TestNewKey(t *testing.T) {
	a, b := NewKey("demo"), NewKey("demo")
	if a == b {
		t.Fatal("two new keys are equal")
	}
	if r := mustParse(t, a); r.Current() != "demo" {
		t.Errorf("NewKey gives %q", r.Current())
	}
}

func mustParse(t *testing.T, spec string) *Ring {
	t.Helper()
	r, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
