package staffpages

import (
	"strings"
	"testing"
	"time"

	"aduan/complaints"
	"aduan/domain"
)

// TestConsoleCaseHeld: a message held for office hours says until when; once sent, its
// delivery state as any other.
func TestConsoleCaseHeld(t *testing.T) {
	at := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC) // 22:00 WITA
	hold := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	view := complaints.StaffView{Summary: complaints.Summary{Code: "ADU-AAAA-BBBB", Status: domain.StatusAwaitingInfo, Channel: "sms",
		CreatedAt: at}}
	view.Outbox = []complaints.Sent{
		{At: at, Kind: domain.NotifyQuestion, Channel: "sms", HoldUntil: &hold},
		{At: at, Kind: domain.NotifyAnswer, Channel: "sms", SentVia: "sms", HoldUntil: &hold},
	}
	out := render(t, "console-case", caseData{Frame: frame(domain.RoleAdmin), View: view})
	if n := strings.Count(out, "ditahan sampai 2 Desember 2026, 08.00 WITA"); n != 1 {
		t.Errorf("held rows say so %d times, want once (the sent one is sent):\n%s", n, out)
	}
	if !strings.Contains(out, "terkirim") {
		t.Error("the row sent after its hold does not say so")
	}
}
