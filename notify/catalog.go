package notify

import (
	"time"

	"aduan/domain"
)

// The catalog: every text Aduan sends (and the one it writes into a complaint opened by
// a file alone), in one list, with who reads it, when it goes out, what it may say and
// how it travels on WhatsApp. The texts themselves are sources and replySources; an
// admin changes them as stored versions (Templates). The README lists the catalog and
// `aduan templates` prints it.

// Form is how a text is written, which decides what it sees.
type Form string

const (
	// FormNotification is a notification text (Render): Data as staffView or
	// complainantView.
	FormNotification Form = "notification"
	// FormReply is an automatic reply to a citizen's message (replyView).
	FormReply Form = "reply"
	// FormComplaintText is written into a complaint, not sent (replyView, no field).
	FormComplaintText Form = "complaint_text"
	// FormDigest is an officer's daily digest (digestView).
	FormDigest Form = "digest"
)

// WhatsAppUse is how a text travels on WhatsApp.
type WhatsAppUse string

const (
	// WhatsAppWindow: free text inside the complainant's 24-hour window, the registered
	// template (TemplateUpdate) outside it.
	WhatsAppWindow WhatsAppUse = "window"
	// WhatsAppAlwaysTemplate: always the registered template (an officer rarely has a
	// window open with the business number).
	WhatsAppAlwaysTemplate WhatsAppUse = "template"
	// WhatsAppReply: free text inside the window the citizen's message just opened; the
	// template only when that fails (Fallback).
	WhatsAppReply WhatsAppUse = "reply"
	// WhatsAppNever: not sent.
	WhatsAppNever WhatsAppUse = ""
)

// Spec is one text of the catalog.
type Spec struct {
	// Name is the template's name, as the outbox's template column shows it for
	// notifications ("ack.pelapor", "reminder.staff").
	Name     string
	Audience Audience
	Form     Form
	// Title and When say, in Bahasa Indonesia, what the text is and when it goes out.
	Title, When string
	// Fields are the fields the text may use ({{.Code}}…).
	Fields []string
	// Subject is the e-mail subject ("" for a text never e-mailed).
	Subject  string
	WhatsApp WhatsAppUse
}

// Field is one field a text may use, with what it holds.
type Field struct {
	Name, Help string
}

var (
	staffFields       = []string{"Code", "StatusLabel", "Deadline", "Pokja", "Partner", "Link"}
	complainantFields = []string{"Code", "StatusLabel", "Deadline", "Link", "Reply", "Call"}
)

func with(base []string, more ...string) []string {
	return append(append([]string(nil), base...), more...)
}

// catalog is every text, in the order the page and the README list them.
var catalog = []Spec{
	{Name: "ack.pelapor", Title: "Tanda terima aduan", When: "Segera setelah aduan diterima: kode dan tautan lacak. Nomor yang " +
		"diketik di formulir web dan belum dikonfirmasi diminta membalas dengan kode.", Fields: with(complainantFields, "Confirm")},
	{Name: "question.pelapor", Title: "Permintaan keterangan tambahan", When: "Saat admin meminta keterangan tambahan; " +
		"dibacakan petugas bila pelapor hanya dapat ditelepon balik.", Fields: with(complainantFields, "Question")},
	{Name: "answer.pelapor", Title: "Jawaban yang diumumkan", When: "Saat jawaban diterbitkan: jawaban, pertanyaan apakah " +
		"masalah selesai, dan tautan tanggapan pribadi pelapor.", Fields: with(complainantFields, "AnswerTitle", "Answer", "FeedbackLink")},
	{Name: "answer_private.pelapor", Title: "Jawaban pribadi", When: "Saat aduan ditutup tanpa diumumkan (mis. aduan " +
		"rahasia): jawaban hanya untuk pelapor.", Fields: with(complainantFields, "Answer")},
	{Name: "duplicate.pelapor", Title: "Aduan digabungkan", When: "Saat aduan digabungkan dengan aduan lain yang " +
		"melaporkan masalah yang sama.", Fields: complainantFields},
	{Name: "reminder.pelapor", Title: "Pengingat kepada pelapor", When: "Saat aduan menunggu keterangan pelapor: di " +
		"tengah masa tunggu.", Fields: complainantFields},
	{Name: "overdue_reminder.pelapor", Title: "Pengingat keterangan terlambat", When: "Bila keterangan pelapor belum " +
		"datang setelah batas waktunya.", Fields: complainantFields},
	{Name: "no_reply_closed.pelapor", Title: "Aduan ditutup tanpa balasan", When: "Saat aduan ditutup karena keterangan " +
		"yang diminta tidak datang (10 hari kerja).", Fields: complainantFields},
	{Name: "generic.pelapor", Title: "Pemberitahuan umum kepada pelapor", When: "Untuk pemberitahuan kepada pelapor yang " +
		"belum punya teks sendiri.", Fields: complainantFields},

	{Name: "reminder.staff", Title: "Pengingat tahap", When: "Kepada yang memegang aduan: di tengah waktu tahap dan 1 jam " +
		"kerja sebelum batas waktu.", Fields: staffFields},
	{Name: "overdue_reminder.staff", Title: "Pengingat tahap terlambat", When: "Setiap hari kerja setelah batas waktu " +
		"tahap lewat, paling banyak 10 kali.", Fields: staffFields},
	{Name: "escalation.staff", Title: "Eskalasi ke supervisor", When: "Saat batas waktu tahap lewat: kepada supervisor " +
		"(dan pokja bila lembaga mitra yang terlambat).", Fields: staffFields},
	{Name: "escalation_head.staff", Title: "Eskalasi ke kepala dinas", When: "2 hari kerja setelah batas waktu tahap " +
		"lewat: kepada kepala dinas.", Fields: staffFields},
	{Name: "overall_reminder.staff", Title: "Pengingat batas 60 hari", When: "10 hari sebelum batas penyelesaian 60 hari " +
		"(Perpres 76/2013): kepada supervisor.", Fields: staffFields},
	{Name: "overall_escalation.staff", Title: "Eskalasi batas 60 hari", When: "Saat batas penyelesaian 60 hari lewat: " +
		"kepada supervisor dan kepala dinas.", Fields: staffFields},
	{Name: "question_unreached.staff", Title: "Pertanyaan tidak tersampaikan", When: "Seketika bila pertanyaan admin " +
		"tidak dapat sampai kepada pelapor: kepada admin.", Fields: staffFields},
	{Name: "no_reply_closed.staff", Title: "Aduan ditutup tanpa balasan (staf)", When: "Cadangan: penutupan karena " +
		"pelapor tidak membalas kini hanya diberitahukan kepada pelapor.", Fields: staffFields},
	{Name: "generic.staff", Title: "Pemberitahuan umum kepada staf", When: "Untuk pemberitahuan kepada staf yang belum " +
		"punya teks sendiri.", Fields: staffFields},
	{Name: "digest.staff", Audience: AudienceStaff, Form: FormDigest, Title: "Ringkasan harian", When: "Pada jam buka " +
		"kantor, kepada staf yang memilih ringkasan harian: semua pengingatnya dalam satu pesan.",
		Fields: []string{"Count", "Reminders", "Link"}, Subject: subjects[domain.NotifyReminder]},

	{Name: "greeting", Audience: AudienceComplainant, Form: FormReply, Title: "Balasan salam", When: "Balasan otomatis, " +
		"paling banyak sekali sehari per nomor, untuk salam atau pesan pendek dari nomor tanpa aduan terbuka.",
		Fields: []string{"FormURL"}},
	{Name: "unsupported", Audience: AudienceComplainant, Form: FormReply, Title: "Balasan jenis pesan tidak didukung",
		When: "Balasan otomatis untuk pesan yang tidak dapat dibaca (mis. stiker) atau berkas yang jenisnya tidak disimpan."},
	{Name: "too_large.document", Audience: AudienceComplainant, Form: FormReply, Title: "Balasan dokumen terlalu besar",
		When: "Balasan otomatis bila dokumen lebih dari 20 MB."},
	{Name: "too_large.video", Audience: AudienceComplainant, Form: FormReply, Title: "Balasan video terlalu besar",
		When: "Balasan otomatis bila video lebih dari 16 MB."},
	{Name: "too_large.audio", Audience: AudienceComplainant, Form: FormReply, Title: "Balasan rekaman terlalu besar",
		When: "Balasan otomatis bila pesan suara atau rekaman lebih dari 16 MB."},
	{Name: "too_large.other", Audience: AudienceComplainant, Form: FormReply, Title: "Balasan berkas terlalu besar",
		When: "Balasan otomatis bila berkas lain terlalu besar untuk disimpan."},

	{Name: "media_only.audio", Audience: AudienceStaff, Form: FormComplaintText, Title: "Teks aduan dari pesan suara",
		When: "Tidak dikirim: teks aduan yang dibuka oleh pesan suara tanpa keterangan, dibaca staf di konsol."},
	{Name: "media_only.video", Audience: AudienceStaff, Form: FormComplaintText, Title: "Teks aduan dari video",
		When: "Tidak dikirim: teks aduan yang dibuka oleh video tanpa keterangan."},
	{Name: "media_only.document", Audience: AudienceStaff, Form: FormComplaintText, Title: "Teks aduan dari dokumen",
		When: "Tidak dikirim: teks aduan yang dibuka oleh dokumen tanpa keterangan."},
	{Name: "media_only.image", Audience: AudienceStaff, Form: FormComplaintText, Title: "Teks aduan dari foto",
		When: "Tidak dikirim: teks aduan yang dibuka oleh foto (atau berkas lain) tanpa keterangan."},
}

// specs is catalog by name, with what follows from the name filled in.
var specs = func() map[string]*Spec {
	out := make(map[string]*Spec, len(catalog))
	for i := range catalog {
		s := &catalog[i]
		if s.Form == "" {
			s.Form = FormNotification
			kind, audience := splitName(s.Name)
			s.Audience = audience
			if sub, ok := subjects[kind]; ok {
				s.Subject = sub
			} else {
				s.Subject = "Pemberitahuan"
			}
		}
		switch {
		case s.Form == FormDigest:
			s.WhatsApp = WhatsAppAlwaysTemplate
		case s.Form == FormReply:
			s.WhatsApp = WhatsAppReply
		case s.Form == FormNotification && s.Audience == AudienceStaff:
			s.WhatsApp = WhatsAppAlwaysTemplate
		case s.Form == FormNotification:
			s.WhatsApp = WhatsAppWindow
		}
		out[s.Name] = s
	}
	return out
}()

// splitName is a notification text's kind and audience ("ack.pelapor": ack, pelapor).
func splitName(name string) (domain.NotifyKind, Audience) {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return domain.NotifyKind(name[:i]), Audience(name[i+1:])
		}
	}
	return domain.NotifyKind(name), ""
}

// Catalog is every text, in order (a copy: changing it changes nothing).
func Catalog() []Spec {
	out := make([]Spec, len(catalog))
	for i, s := range catalog {
		s.Fields = append([]string(nil), s.Fields...)
		out[i] = s
	}
	return out
}

// Lookup is the text name of the catalog.
func Lookup(name string) (Spec, bool) {
	s, ok := specs[name]
	if !ok {
		return Spec{}, false
	}
	c := *s
	c.Fields = append([]string(nil), s.Fields...)
	return c, true
}

// Sent says whether the text goes to anyone (a complaint's text written for a file
// alone does not).
func (s Spec) Sent() bool { return s.Form != FormComplaintText }

// AudienceLabel names who reads the text, in Bahasa Indonesia.
func (s Spec) AudienceLabel() string {
	if s.Audience == AudienceStaff {
		return "staf"
	}
	return "pelapor"
}

// FieldHelp is each field the text may use, with what it holds.
func (s Spec) FieldHelp() []Field {
	out := make([]Field, 0, len(s.Fields))
	for _, f := range s.Fields {
		help := fieldHelp[f]
		switch {
		case f == "Link" && s.Form == FormDigest:
			help = "tautan halaman notifikasi staf"
		case f == "Link" && s.Audience == AudienceStaff:
			help = "tautan aduan di konsol staf"
		}
		out = append(out, Field{Name: f, Help: help})
	}
	return out
}

// WhatsAppNote says, in Bahasa Indonesia, how the text travels on WhatsApp, with the
// registered template's name.
func (s Spec) WhatsAppNote(templateName string) string {
	switch s.WhatsApp {
	case WhatsAppWindow:
		return "Teks biasa bila pelapor menulis dalam 24 jam terakhir; selain itu lewat templat " + templateName + " sebagai {{1}}."
	case WhatsAppAlwaysTemplate:
		return "Selalu lewat templat " + templateName + " sebagai {{1}}."
	case WhatsAppReply:
		return "Teks biasa dalam 24 jam sejak pesan warga; bila gagal, lewat templat " + templateName + " sebagai {{1}}."
	}
	return "Tidak dikirim."
}

var fieldHelp = map[string]string{
	"Code":         "kode aduan, mis. ADU-7K3Q-XW2M",
	"StatusLabel":  "status aduan, mis. Ditangani pokja",
	"Deadline":     "batas waktu, mis. Senin, 07-12-2026 16:00 WITA (kosong bila tidak ada)",
	"Pokja":        "nama pokja (kosong bila belum ada)",
	"Partner":      "nama lembaga mitra (kosong bila belum ada)",
	"Link":         "tautan lacak aduan untuk pelapor",
	"Reply":        "benar bila pelapor dapat membalas pesan ini (WhatsApp, SMS)",
	"Call":         "benar bila teks dibacakan petugas lewat telepon balik",
	"Confirm":      "benar bila nomor dari formulir web belum dikonfirmasi pemiliknya",
	"Question":     "pertanyaan admin",
	"AnswerTitle":  "judul jawaban yang diumumkan (boleh kosong)",
	"Answer":       "jawaban",
	"FeedbackLink": "tautan tanggapan pribadi pelapor (berisi token rahasia; jangan dibacakan)",
	"FormURL":      "alamat formulir /lapor (kosong bila tidak ada)",
	"Count":        "jumlah pengingat",
	"Reminders":    "daftar pengingat bernomor, satu per baris (baris pertama tiap pengingat)",
}

// Example is the text name of t written for a sample complaint, as the admin's page shows
// it: a complainant's as a WhatsApp message carries it (reply, deadline, question and
// answer filled in), a staff member's with a pokja and a deadline ("" for a name not in
// the catalog).
func Example(t Templates, name string) string {
	spec, ok := specs[name]
	if !ok {
		return ""
	}
	var v any = replyView{FormURL: sampleBase + "/lapor"}
	switch spec.Form {
	case FormDigest:
		v = sampleDigest()
	case FormNotification:
		deadline := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
		v = viewOf(spec.Audience, Data{Code: sampleCode, Status: domain.StatusAtPokja, Pokja: "Pokja Logistik dan Bantuan",
			Deadline: &deadline, BaseURL: sampleBase, Channel: ChannelWhatsApp, Question: sampleQuestion,
			AnswerTitle: sampleTitle, Answer: sampleAnswer})
	}
	s, _ := t.execute(name, v)
	return s
}
