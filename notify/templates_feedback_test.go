package notify

import (
	"strings"
	"testing"

	"aduan/domain"
)

// Issue 14, item 1: the answer sent to the complainant carries their own feedback link,
// whose token the outbox draws in place of FeedbackTokenPlaceholder, on every channel
// where the complainant reads it; a text an operator reads out carries none (staff
// would see the token).
func TestAnswerCarriesTheFeedbackLink(t *testing.T) {
	link := "http://x/lacak/ADU-7K3Q-XW2M/tanggapan/" + FeedbackTokenPlaceholder
	for _, ch := range []string{ChannelWhatsApp, ChannelSMS, ChannelEmail, ChannelLog, domain.ReachCallBack} {
		m, err := Render(domain.NotifyAnswer, AudienceComplainant, Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusPublished,
			BaseURL: "http://x", Channel: ch, AnswerTitle: "Distribusi beras", Answer: "Dikirim Jumat."})
		if err != nil {
			t.Fatal(err)
		}
		if want := ch != domain.ReachCallBack; strings.Contains(m.Text, link) != want {
			t.Errorf("%s: feedback link %v, want %v: %q", ch, !want, want, m.Text)
		}
	}
	for _, kind := range []domain.NotifyKind{domain.NotifyAck, domain.NotifyQuestion, domain.NotifyDuplicate, domain.NotifyAnswerPrivate} {
		m, _ := Render(kind, AudienceComplainant, Data{Code: "ADU-7K3Q-XW2M", BaseURL: "http://x", Channel: ChannelEmail})
		if strings.Contains(m.Text, FeedbackTokenPlaceholder) {
			t.Errorf("%s carries a feedback token: %q", kind, m.Text)
		}
	}
	m, _ := Render(domain.NotifyAnswer, AudienceStaff, Data{Code: "ADU-7K3Q-XW2M", BaseURL: "http://x", Channel: ChannelEmail})
	if strings.Contains(m.Text, FeedbackTokenPlaceholder) {
		t.Errorf("a staff text carries a feedback token: %q", m.Text)
	}
}
