package notify

import (
	"strings"
	"testing"
)

func TestDigestText(t *testing.T) {
	got := DigestText([]string{
		"Pengingat: aduan ADU-AAAA-BBBB (Ditangani pokja) harus ditindaklanjuti sebelum Senin, 07-12-2026 16:00 WITA.\nPokja: Pokja Hunian\nBuka: http://x/staf/aduan/ADU-AAAA-BBBB",
		"Pengingat: aduan ADU-CCCC-DDDD sudah lewat tenggat.",
	}, "http://x/")
	want := "Ringkasan harian Aduan: 2 pengingat.\n" +
		"1. Pengingat: aduan ADU-AAAA-BBBB (Ditangani pokja) harus ditindaklanjuti sebelum Senin, 07-12-2026 16:00 WITA.\n" +
		"2. Pengingat: aduan ADU-CCCC-DDDD sudah lewat tenggat.\n" +
		"Buka notifikasi Anda: http://x/staf/notifikasi"
	if got != want {
		t.Errorf("digest\n%s\nwant\n%s", got, want)
	}
	// Cut for a template parameter, the link stays.
	many := make([]string, 30)
	for i := range many {
		many[i] = "Pengingat: aduan ADU-AAAA-BBBB (Ditangani pokja) harus ditindaklanjuti sebelum Senin, 07-12-2026 16:00 WITA."
	}
	if p := TemplateParam(DigestText(many, "http://x"), 900); !strings.HasSuffix(p, "http://x/staf/notifikasi") || len([]rune(p)) > 900 {
		t.Errorf("a long digest as a template parameter: %q", p)
	}
}
