package domain

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := []struct {
		in, want string
		kinds    string
	}{
		{"Hubungi 0812-3456-7890 untuk info", "Hubungi [nomor telepon disamarkan] untuk info", "phone"},
		{"WA +62 812 3456 7890 ya", "WA [nomor telepon disamarkan] ya", "phone"},
		{"nomor 6281234567890.", "nomor [nomor telepon disamarkan].", "phone"},
		{"kantor (0426) 21234", "kantor [nomor telepon disamarkan]", "phone"},
		{"NIK 7306012345678901 terdaftar", "NIK [NIK disamarkan] terdaftar", "nik"},
		{"NIK 7306 0123 4567 8901", "NIK [NIK disamarkan]", "nik"},
		{"surel siti.rahma@example.co.id", "surel [e-mail disamarkan]", "email"},
		{"Bantuan tahap 2 untuk 120 KK tanggal 12-12-2026", "Bantuan tahap 2 untuk 120 KK tanggal 12-12-2026", ""},
		{"RT 002 RW 005, 45 kg beras", "RT 002 RW 005, 45 kg beras", ""},
		{"Ibu Siti 081234567890 dan a@b.id", "Ibu Siti [nomor telepon disamarkan] dan [e-mail disamarkan]", "email,phone"},
	}
	for _, tc := range cases {
		got, rs := Redact(tc.in)
		if got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var kinds []string
		for _, r := range rs {
			kinds = append(kinds, r.Kind)
		}
		if strings.Join(kinds, ",") != tc.kinds {
			t.Errorf("Redact(%q) kinds %v, want %s", tc.in, kinds, tc.kinds)
		}
	}
	if note := DescribeRedactions([]Redaction{{"phone", "nomor telepon", 2}}); !strings.Contains(note, "2 nomor telepon") {
		t.Errorf("note %q", note)
	}
}
