package notify

import (
	"strings"
	"testing"

	"aduan/domain"
)

var complainantKinds = []domain.NotifyKind{domain.NotifyAck, domain.NotifyQuestion, domain.NotifyAnswer, domain.NotifyAnswerPrivate}

func TestRenderAckExact(t *testing.T) {
	m, err := Render(domain.NotifyAck, AudienceComplainant, Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusReceived,
		BaseURL: "https://aduan.mamujukab.go.id/", Channel: ChannelWhatsApp})
	if err != nil {
		t.Fatal(err)
	}
	want := "Terima kasih, aduan Anda sudah kami terima dengan kode ADU-7K3Q-XW2M. Simpan kode ini. Pantau statusnya di " +
		"https://aduan.mamujukab.go.id/lacak/ADU-7K3Q-XW2M atau balas pesan ini untuk menambahkan keterangan."
	if m.Template != "ack.pelapor" || m.Text != want {
		t.Errorf("got %s %q\nwant %q", m.Template, m.Text, want)
	}
	// By e-mail a reply does not reach us: no "balas pesan ini", and the link ends the text.
	m, _ = Render(domain.NotifyAck, AudienceComplainant, Data{Code: "ADU-7K3Q-XW2M", BaseURL: "http://x", Channel: ChannelEmail})
	if strings.Contains(m.Text, "balas") || !strings.HasSuffix(m.Text, "http://x/lacak/ADU-7K3Q-XW2M") {
		t.Errorf("ack by e-mail: %q", m.Text)
	}
	if got := Subject(Notification{Kind: domain.NotifyAck, Code: "ADU-7K3Q-XW2M"}); got != "[Aduan] Aduan Anda diterima — ADU-7K3Q-XW2M" {
		t.Errorf("subject %q", got)
	}
}

func TestRenderComplainantKinds(t *testing.T) {
	const question = "Di dusun mana tepatnya bantuan belum sampai?"
	const title, answer = "Distribusi beras di Botteng", "Distribusi dijadwalkan hari Jumat di balai desa."
	const private = "Laporan Anda sudah kami teruskan ke inspektorat; petugas yang bersangkutan sudah diperiksa."
	for _, kind := range complainantKinds {
		for _, ch := range []string{ChannelWhatsApp, ChannelSMS, ChannelEmail, ChannelLog} {
			for _, dl := range []bool{true, false} {
				for _, filled := range []bool{true, false} {
					d := Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusAwaitingInfo, Pokja: "Pokja Logistik dan Bantuan",
						Partner: "Yayasan Plan Internasional Indonesia", BaseURL: "http://x", Channel: ch}
					if dl {
						d.Deadline = deadline()
					}
					if filled {
						d.Question, d.AnswerTitle, d.Answer = question, title, answer
						if kind == domain.NotifyAnswerPrivate {
							d.AnswerTitle, d.Answer = "", private
						}
					}
					name := string(kind) + "/" + ch
					m, err := Render(kind, AudienceComplainant, d)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					txt := m.Text
					if m.Template != string(kind)+".pelapor" {
						t.Errorf("%s: template %q", name, m.Template)
					}
					if strings.Contains(txt, "<no value>") || strings.Contains(txt, "{{") || strings.Contains(txt, "  ") ||
						strings.Contains(txt, "\n\n") || strings.Contains(txt, " \n") {
						t.Errorf("%s: badly rendered: %q", name, txt)
					}
					if !strings.Contains(txt, "ADU-7K3Q-XW2M") || !strings.Contains(txt, "aduan Anda") && !strings.Contains(txt, "Aduan Anda") {
						t.Errorf("%s: no code: %q", name, txt)
					}
					if strings.Contains(txt, "/staff/") || !strings.Contains(txt, "http://x/lacak/ADU-7K3Q-XW2M") {
						t.Errorf("%s: want the public tracking link only: %q", name, txt)
					}
					if strings.Contains(txt, "Pokja") || strings.Contains(txt, "Yayasan") {
						t.Errorf("%s: names the groups: %q", name, txt)
					}
					reply := strings.Contains(txt, "balas pesan ini")
					if want := ch == ChannelWhatsApp || ch == ChannelSMS; (kind == domain.NotifyAck || kind == domain.NotifyQuestion) && reply != want {
						t.Errorf("%s: asks for a reply to the message: %v, want %v: %q", name, reply, want, txt)
					}
					if kind == domain.NotifyQuestion && dl != strings.Contains(txt, "Senin, 07-12-2026 16:00 WITA") {
						t.Errorf("%s: deadline %v, text %q", name, dl, txt)
					}
					if !filled {
						continue
					}
					switch kind {
					case domain.NotifyQuestion:
						if !strings.Contains(txt, ":\n"+question+"\n") {
							t.Errorf("%s: no question: %q", name, txt)
						}
					case domain.NotifyAnswer:
						if !strings.Contains(txt, "\n"+title+"\n"+answer+"\n") {
							t.Errorf("%s: no title and answer: %q", name, txt)
						}
					case domain.NotifyAnswerPrivate:
						if !strings.Contains(txt, "\n"+private+"\n") || !strings.Contains(txt, "tidak kami umumkan") {
							t.Errorf("%s: no private answer: %q", name, txt)
						}
					}
				}
			}
		}
	}
}

// TestStaffTextsNeverCarryComplainantTexts: the question and answer a complainant is
// sent never reach a staff text, whatever the kind.
func TestStaffTextsNeverCarryComplainantTexts(t *testing.T) {
	d := Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusAtPokja, BaseURL: "http://x", Channel: ChannelEmail,
		Question: "PERTANYAAN-RAHASIA", AnswerTitle: "JUDUL-RAHASIA", Answer: "JAWABAN-RAHASIA"}
	for _, kind := range append(append([]domain.NotifyKind{}, allKinds...), complainantKinds...) {
		m, err := Render(kind, AudienceStaff, d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(m.Text, "RAHASIA") {
			t.Errorf("%s: staff text carries a complainant text: %q", kind, m.Text)
		}
	}
}
