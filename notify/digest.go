package notify

import (
	"fmt"
	"strings"
)

// DigestText is an officer's daily digest: one line per reminder (the first line of its
// text, which names the complaint, its stage and its deadline), numbered, then the link
// to their notifications in the console. The line with the link comes last, so a digest
// cut to a WhatsApp template's or an SMS's length keeps it (CutKeepingLink).
func DigestText(reminders []string, baseURL string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Ringkasan harian Aduan: %d pengingat.", len(reminders))
	for i, text := range reminders {
		line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
		fmt.Fprintf(&b, "\n%d. %s", i+1, line)
	}
	b.WriteString("\nBuka notifikasi Anda: " + strings.TrimRight(baseURL, "/") + "/staf/notifikasi")
	return b.String()
}
