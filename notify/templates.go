package notify

import (
	"strings"
	"time"

	"aduan/domain"
)

// Audience is who reads a notification: staff or the complainant. Their texts differ:
// staff texts carry no personal data of the complainant, complainant texts no staff
// usernames (neither is ever given to a template).
type Audience string

const (
	AudienceStaff       Audience = "staff"
	AudienceComplainant Audience = "pelapor"
)

// Data is everything a notification text may say. It deliberately has no field for the
// complainant's name, contact or words, nor for any staff username.
//
// Question, AnswerTitle and Answer are staff-written texts meant for the complainant
// (the admin's question, the answer): they reach complainant texts only, never a staff
// text, and a complaint's go to its own complainant alone.
type Data struct {
	Code   string
	Status domain.Status
	// Pokja and Partner are the assigned groups' names (or IDs); staff texts only.
	Pokja   string
	Partner string
	// Deadline is the stage's (or, for the overall kinds, the legal) deadline.
	Deadline *time.Time
	// BaseURL is ADUAN_PUBLIC_URL: staff texts link to the staff view, complainant texts
	// to the public tracking view.
	BaseURL string
	// Channel is the recipient's channel (ChannelWhatsApp, ...): a complainant text asks
	// them to reply to the message only where a reply reaches us (WhatsApp, SMS).
	Channel string
	// Question is the admin's question (NotifyQuestion).
	Question string
	// AnswerTitle and Answer are the published title and answer (NotifyAnswer), or the
	// answer alone of a complaint closed without publishing (NotifyAnswerPrivate).
	AnswerTitle string
	Answer      string
	// DuplicateOf is the complaint that carries a merged duplicate (NotifyDuplicate). No
	// text shows it: the complainant follows their complaint through their own code.
	DuplicateOf string
	// Unconfirmed says the complainant's number was typed into the web form and its
	// owner has not confirmed it: the acknowledgement asks them to, by replying the code.
	Unconfirmed bool
	// Zone is the regency's time zone, in which the texts show dates (the SLA policy's,
	// domain.SLAPolicy.Location); nil means domain.DefaultUTCOffsetHours (WITA).
	Zone *time.Location
}

// Message is a rendered notification.
type Message struct {
	// Template names the template used, e.g. "reminder.staff".
	Template string
	Text     string
}

var hari = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// FormatTime formats t as the regency reads it, in zone (nil: the default zone, WITA):
// "Senin, 07-12-2026 16:00 WITA". The zone is named as domain.ZoneAt names it (WIB,
// WITA, WIT, else UTC+n).
func FormatTime(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = domain.ZoneAt(domain.DefaultUTCOffsetHours)
	}
	l := t.In(zone)
	name, _ := l.Zone()
	return hari[l.Weekday()] + ", " + l.Format("02-01-2006 15:04") + " " + name
}

// staffView is what a staff text sees: nothing of the complainant's (no personal data,
// none of the texts written for them). A field missing here is one a staff text cannot
// name, whatever an admin writes (Validate refuses it by name first).
type staffView struct {
	Code, StatusLabel, Pokja, Partner, Deadline, Link string
}

// complainantView is what a complainant text sees. It names no group and no staff
// member, and not the complaint a duplicate was merged into (its tracking page no longer
// names the other complaint's code either).
type complainantView struct {
	Code, StatusLabel, Deadline, Link string
	Question, AnswerTitle, Answer     string
	// Reply says a reply to the message reaches us (WhatsApp, SMS).
	Reply bool
	// Confirm asks the owner of an unconfirmed number to reply with the code; Call is a
	// text an operator reads out on the telephone.
	Confirm, Call bool
	// FeedbackLink is the complainant's own feedback link (answer texts): the tracking
	// link with a secret token, which the outbox draws (FeedbackTokenPlaceholder).
	FeedbackLink string
}

// FeedbackTokenPlaceholder stands in a complainant's text for the secret feedback token.
// The token is drawn as the text is written to the outbox (a trigger of migration 00015
// replaces the placeholder and keeps only the token's hash), so it exists in clear in that
// one message alone: the code is public once an answer is published, the token proves the
// feedback comes from the complainant. A text read out by an operator never carries it
// (staff would see it).
const FeedbackTokenPlaceholder = "{TOKEN-TANGGAPAN}"

const staffFooter = `{{if .Pokja}}
Pokja: {{.Pokja}}{{end}}{{if .Partner}}
Lembaga mitra: {{.Partner}}{{end}}
Buka aduan: {{.Link}}`

const complainantFooter = `
Lacak aduan Anda: {{.Link}}`

// sources holds the default of every notification text, named kind.audience; "generic"
// covers a kind without its own text. They are the texts in force until an admin stores
// others (Templates); the catalog (catalog.go) says what each is for.
var sources = map[string]string{
	"reminder.staff": `{{if .Deadline}}Pengingat: aduan {{.Code}} ({{.StatusLabel}}) harus ditindaklanjuti sebelum {{.Deadline}}.` +
		`{{else}}Pengingat: aduan {{.Code}} ({{.StatusLabel}}) menunggu tindak lanjut.{{end}}` + staffFooter,
	"overdue_reminder.staff": `Aduan {{.Code}} ({{.StatusLabel}}) telah melewati batas waktu{{if .Deadline}} {{.Deadline}}{{end}}` +
		` dan belum ditindaklanjuti. Mohon segera ditangani.` + staffFooter,
	"escalation.staff": `Eskalasi: aduan {{.Code}} ({{.StatusLabel}}) melewati batas waktu tahap ini{{if .Deadline}} ({{.Deadline}}){{end}}.` +
		` Mohon ditinjau dan ditindaklanjuti, misalnya dengan mengalihkan penanganan atau memperpanjang batas waktu.` + staffFooter,
	"escalation_head.staff": `Eskalasi tingkat kedua: aduan {{.Code}} ({{.StatusLabel}}) masih melewati batas waktu tahap ini` +
		`{{if .Deadline}} ({{.Deadline}}){{end}} setelah dieskalasi ke supervisor. Mohon perhatian dan arahan Bapak/Ibu.` + staffFooter,
	"overall_reminder.staff": `Pengingat batas waktu penyelesaian: aduan {{.Code}} ({{.StatusLabel}}) harus sudah dijawab` +
		`{{if .Deadline}} sebelum {{.Deadline}}{{end}} (paling lama 60 hari sejak diterima, Perpres 76/2013).` + staffFooter,
	"overall_escalation.staff": `Eskalasi: aduan {{.Code}} ({{.StatusLabel}}) belum dijawab dan telah melewati batas waktu penyelesaian` +
		`{{if .Deadline}} ({{.Deadline}}){{end}}, paling lama 60 hari sejak diterima (Perpres 76/2013).` + staffFooter,
	"no_reply_closed.staff": `Aduan {{.Code}} ditutup karena pelapor tidak memberikan informasi tambahan` +
		`{{if .Deadline}} hingga {{.Deadline}}{{end}}.` + staffFooter,
	"question_unreached.staff": `Pertanyaan admin untuk aduan {{.Code}} tidak dapat disampaikan kepada pelapor: tidak ada nomor` +
		` atau e-mail yang dapat dipakai, dan aduan ini tidak dapat ditelepon balik. Aduan tidak akan ditutup otomatis;` +
		` mohon diputuskan: teruskan ke pokja dengan informasi yang ada, atau tolak dengan alasan.` + staffFooter,
	"generic.staff": `Pemberitahuan: aduan {{.Code}} ({{.StatusLabel}}).{{if .Deadline}} Batas waktu: {{.Deadline}}.{{end}}` + staffFooter,

	"reminder.pelapor": `Pengingat: aduan Anda {{.Code}} menunggu informasi tambahan dari Anda.` +
		`{{if .Deadline}} Mohon kirim jawaban sebelum {{.Deadline}} agar aduan dapat kami proses.` +
		`{{else}} Mohon kirim jawaban agar aduan dapat kami proses.{{end}}` + complainantFooter,
	"overdue_reminder.pelapor": `Aduan Anda {{.Code}} masih menunggu informasi tambahan dari Anda` +
		`{{if .Deadline}}; batas waktunya, {{.Deadline}}, telah lewat{{end}}. Mohon segera kirim jawaban agar aduan tidak ditutup.` +
		complainantFooter,
	"no_reply_closed.pelapor": `Aduan Anda {{.Code}} kami tutup karena informasi tambahan yang kami minta belum kami terima` +
		`{{if .Deadline}} hingga {{.Deadline}}{{end}}. Anda dapat menyampaikan aduan baru kapan saja.` + complainantFooter,
	// Closing the loop: what the complainant hears on the channel they used.
	"ack.pelapor": `Terima kasih, aduan Anda sudah kami terima dengan kode {{.Code}}. Simpan kode ini.` +
		`{{if .Confirm}} Nomor ini dicantumkan di formulir web. Jika benar Anda yang mengirim aduan ini, balas pesan ini` +
		` dengan kode {{.Code}}: setelah itu pertanyaan dan jawaban atas aduan Anda kami kirim ke nomor ini,` +
		` dan balasan Anda masuk ke aduan Anda. Pantau statusnya di {{.Link}}` +
		`{{else if .Reply}} Pantau statusnya di {{.Link}} atau balas pesan ini untuk menambahkan keterangan.` +
		`{{else}} Pantau statusnya di {{.Link}}{{end}}`,
	"question.pelapor": `Kami memerlukan keterangan tambahan untuk aduan Anda {{.Code}}{{if .Question}}:
{{.Question}}{{else}}.{{end}}
{{if .Reply}}Silakan balas pesan ini dengan jawaban Anda{{else if .Call}}Mohon sampaikan jawaban Anda kepada petugas sekarang, atau hubungi Call Center{{else}}Silakan kirim jawaban Anda melalui halaman aduan Anda{{end}}` +
		`{{if .Deadline}} sebelum {{.Deadline}}{{end}}.` + complainantFooter,
	"answer.pelapor": `{{if .Answer}}Terima kasih sudah menunggu. Berikut jawaban atas aduan Anda {{.Code}}:{{if .AnswerTitle}}
{{.AnswerTitle}}{{end}}
{{.Answer}}
Jawaban ini juga kami umumkan tanpa identitas Anda.` +
		`{{else}}Aduan Anda {{.Code}} sudah dijawab dan jawabannya kami umumkan tanpa identitas Anda.{{end}}
Apakah jawaban ini menyelesaikan masalah Anda? ` +
		`{{if .Reply}}Balas YA jika sudah selesai, atau BELUM disertai keterangan jika belum; atau beri tanggapan di {{.FeedbackLink}}` +
		`{{else if .Call}}Beri tanggapan di {{.Link}}{{else}}Beri tanggapan di {{.FeedbackLink}}{{end}}` +
		complainantFooter,
	"duplicate.pelapor": `Aduan Anda {{.Code}} kami gabungkan dengan aduan lain yang melaporkan masalah yang sama,` +
		` agar ditangani sekaligus. Perkembangannya tetap dapat Anda pantau dengan kode Anda di {{.Link}},` +
		` dan jawabannya akan kami kirimkan juga kepada Anda.` + complainantFooter,
	"answer_private.pelapor": `{{if .Answer}}Terima kasih sudah menunggu. Berikut jawaban atas aduan Anda {{.Code}}:
{{.Answer}}
Jawaban ini hanya untuk Anda dan tidak kami umumkan.{{else}}Aduan Anda {{.Code}} sudah selesai kami tangani.{{end}}` +
		complainantFooter,
	"generic.pelapor": `Ada kabar tentang aduan Anda {{.Code}}: status saat ini {{.StatusLabel}}.` +
		`{{if .Deadline}} Batas waktu: {{.Deadline}}.{{end}}` + complainantFooter,
}

// subjects are the e-mail subjects per kind (the code is appended).
var subjects = map[domain.NotifyKind]string{
	domain.NotifyReminder:          "Pengingat",
	domain.NotifyOverdueReminder:   "Lewat batas waktu",
	domain.NotifyEscalation:        "Eskalasi",
	domain.NotifyEscalationHead:    "Eskalasi tingkat kedua",
	domain.NotifyOverallReminder:   "Pengingat batas waktu penyelesaian",
	domain.NotifyOverallEscalation: "Eskalasi batas waktu penyelesaian",
	domain.NotifyNoReplyClosed:     "Aduan ditutup",
	domain.NotifyAck:               "Aduan Anda diterima",
	domain.NotifyQuestion:          "Keterangan tambahan diperlukan",
	domain.NotifyAnswer:            "Jawaban aduan Anda",
	domain.NotifyAnswerPrivate:     "Jawaban aduan Anda",
	domain.NotifyDuplicate:         "Aduan Anda digabungkan",
}

// Subject is the e-mail subject of a notification, e.g. "[Aduan] Pengingat — ADU-7K3Q-XW2M".
func Subject(n Notification) string {
	s, ok := subjects[n.Kind]
	if !ok {
		s = "Pemberitahuan"
	}
	return "[Aduan] " + s + " — " + n.Code
}

// Render writes the text of a notification of kind for audience with the default texts
// (the code's; Templates.Render uses a stored version's).
func Render(kind domain.NotifyKind, audience Audience, d Data) (Message, error) {
	return Templates{}.Render(kind, audience, d)
}

// viewOf is what a text for audience sees of d.
func viewOf(audience Audience, d Data) any {
	base := strings.TrimRight(d.BaseURL, "/")
	deadline := ""
	if d.Deadline != nil {
		deadline = FormatTime(*d.Deadline, d.Zone)
	}
	if audience == AudienceStaff {
		return staffView{Code: d.Code, StatusLabel: d.Status.Label(), Pokja: d.Pokja, Partner: d.Partner, Deadline: deadline,
			Link: base + "/staf/aduan/" + d.Code}
	}
	v := complainantView{Code: d.Code, StatusLabel: d.Status.Label(), Deadline: deadline, Link: base + "/lacak/" + d.Code,
		Question: d.Question, AnswerTitle: d.AnswerTitle, Answer: d.Answer}
	v.FeedbackLink = v.Link + "/tanggapan/" + FeedbackTokenPlaceholder
	v.Reply = d.Channel == ChannelWhatsApp || d.Channel == ChannelSMS
	v.Confirm = v.Reply && d.Unconfirmed
	v.Call = d.Channel == domain.ReachCallBack
	return v
}
