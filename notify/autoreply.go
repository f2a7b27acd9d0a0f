package notify

import "aduan/domain"

// The automatic replies to a citizen's message that opened nothing, in Bahasa Indonesia.
// They go out as free text inside the 24-hour window the citizen's message opened. The
// package functions write the defaults; the methods of Templates the texts in force.

// replySources holds the default of every automatic reply, and of the text a complaint
// opened by a file without a caption gets (media_only.*: staff read it in the console).
var replySources = map[string]string{
	"greeting": `Halo, terima kasih sudah menghubungi Call Center Aduan. Silakan tuliskan masalah Anda dalam satu pesan: ` +
		`apa yang terjadi, di desa/kelurahan dan kecamatan mana, dan sejak kapan. Anda juga boleh mengirim foto atau pesan suara.` +
		`{{if .FormURL}} Atau isi formulir di {{.FormURL}}{{end}}`,
	"unsupported": `Maaf, jenis pesan ini belum dapat kami terima. Kirimkan aduan Anda sebagai teks, foto, video, ` +
		`dokumen, pesan suara, atau bagikan lokasi.`,
	"too_large.document": `Maaf, dokumen ini terlalu besar untuk kami simpan (paling besar 20 MB). Kirimkan foto halaman yang penting saja.`,
	"too_large.video":    `Maaf, video ini terlalu besar untuk kami simpan (paling besar 16 MB). Kirimkan video yang lebih pendek atau foto.`,
	"too_large.audio":    `Maaf, rekaman ini terlalu besar untuk kami simpan (paling besar 16 MB). Kirimkan pesan suara yang lebih pendek.`,
	"too_large.other":    `Maaf, berkas ini terlalu besar untuk kami simpan. Kirimkan berkas yang lebih kecil.`,

	"media_only.audio":    `(Pesan suara dari pelapor, tanpa teks. Dengarkan lampirannya.)`,
	"media_only.video":    `(Video dari pelapor, tanpa teks. Lihat lampirannya.)`,
	"media_only.document": `(Dokumen dari pelapor, tanpa teks. Buka lampirannya.)`,
	"media_only.image":    `(Foto dari pelapor, tanpa teks. Lihat lampirannya.)`,
}

// replyView is what an automatic reply sees: the greeting the web form's address, the
// others nothing.
type replyView struct {
	FormURL string
}

// reply writes the automatic reply name; a text that cannot be written (none should:
// Validate tried each) falls back to the default, and that to nothing.
func (t Templates) reply(name string, v replyView) string {
	s, err := t.execute(name, v)
	if err != nil {
		return ""
	}
	return s
}

// Greeting answers a greeting or a short text from a number with no open complaint;
// formURL is the web form's address ("" when there is none).
func (t Templates) Greeting(formURL string) string {
	return t.reply("greeting", replyView{FormURL: formURL})
}

// Unsupported answers a kind of message Aduan cannot use.
func (t Templates) Unsupported() string { return t.reply("unsupported", replyView{}) }

// TooLarge answers a file larger than Aduan keeps (domain.MediaLimit).
func (t Templates) TooLarge(kind domain.MessageKind) string {
	switch kind {
	case domain.MessageDocument, domain.MessageVideo, domain.MessageAudio:
		return t.reply("too_large."+string(kind), replyView{})
	}
	return t.reply("too_large.other", replyView{})
}

// MediaOnly is a complaint's text when it was opened by a file without a caption: staff
// read that it waits for someone to listen or look.
func (t Templates) MediaOnly(kind domain.MessageKind) string {
	switch kind {
	case domain.MessageAudio, domain.MessageVideo, domain.MessageDocument:
		return t.reply("media_only."+string(kind), replyView{})
	}
	return t.reply("media_only.image", replyView{})
}

// GreetingReply is Greeting with the default text.
func GreetingReply(formURL string) string { return Templates{}.Greeting(formURL) }

// UnsupportedReply is Unsupported with the default text.
func UnsupportedReply() string { return Templates{}.Unsupported() }

// TooLargeReply is TooLarge with the default text.
func TooLargeReply(kind domain.MessageKind) string { return Templates{}.TooLarge(kind) }

// MediaOnlyText is MediaOnly with the default text.
func MediaOnlyText(kind domain.MessageKind) string { return Templates{}.MediaOnly(kind) }
