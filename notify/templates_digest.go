package notify

import (
	"fmt"
	"strings"
)

// The officer's daily digest as a text of the catalog (digest.staff): its default says
// exactly what DigestText says, and an admin may word it otherwise, keeping the list and
// ending with the link (a digest cut to a template's or an SMS's length keeps its last
// line's link: CutKeepingLink).

const digestSource = "Ringkasan harian Aduan: {{.Count}} pengingat.{{if .Reminders}}\n{{.Reminders}}{{end}}\n" +
	"Buka notifikasi Anda: {{.Link}}"

// digestView is what the digest's text sees: how many reminders, their lines (numbered,
// one per line: the first line of each reminder's text) and the link to the officer's
// notifications.
type digestView struct {
	Count     int
	Reminders string
	Link      string
}

func digestViewOf(reminders []string, baseURL string) digestView {
	lines := make([]string, len(reminders))
	for i, text := range reminders {
		line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		lines[i] = fmt.Sprintf("%d. %s", i+1, line)
	}
	return digestView{Count: len(reminders), Reminders: strings.Join(lines, "\n"),
		Link: strings.TrimRight(baseURL, "/") + "/staf/notifikasi"}
}

// Digest is an officer's daily digest of reminders (each a reminder's text), written by
// the text in force; DigestText when it cannot be written.
func (t Templates) Digest(reminders []string, baseURL string) string {
	s, err := t.execute("digest.staff", digestViewOf(reminders, baseURL))
	if err != nil {
		return DigestText(reminders, baseURL)
	}
	return s
}

// checkDigest checks a digest text written for sample reminders: it lists them and ends
// with the link.
func checkDigest(spec *Spec, text string, v digestView) *TemplateError {
	switch {
	case !strings.Contains(text, v.Reminders):
		return refuse(spec.Name, "harus memuat daftar pengingat {{.Reminders}}.")
	case !strings.HasSuffix(strings.TrimSpace(text), v.Link):
		return refuse(spec.Name, "harus diakhiri tautan {{.Link}}: pesan yang dipotong agar muat tetap memuatnya.")
	}
	return nil
}
