package notify

import "aduan/domain"

// The automatic replies to a citizen's message that opened nothing, in Bahasa Indonesia.
// They go out as free text inside the 24-hour window the citizen's message opened.

// GreetingReply answers a greeting or a short text from a number with no open complaint.
func GreetingReply(formURL string) string {
	s := "Halo, terima kasih sudah menghubungi Call Center Aduan. Silakan tuliskan masalah Anda dalam satu pesan: " +
		"apa yang terjadi, di desa/kelurahan dan kecamatan mana, dan sejak kapan. Anda juga boleh mengirim foto atau pesan suara."
	if formURL != "" {
		s += " Atau isi formulir di " + formURL
	}
	return s
}

// UnsupportedReply answers a kind of message Aduan cannot use.
func UnsupportedReply() string {
	return "Maaf, jenis pesan ini belum dapat kami terima. Kirimkan aduan Anda sebagai teks, foto, video, " +
		"dokumen, pesan suara, atau bagikan lokasi."
}

// TooLargeReply answers a file larger than Aduan keeps (domain.MediaLimit).
func TooLargeReply(kind domain.MessageKind) string {
	switch kind {
	case domain.MessageDocument:
		return "Maaf, dokumen ini terlalu besar untuk kami simpan (paling besar 20 MB). Kirimkan foto halaman yang penting saja."
	case domain.MessageVideo:
		return "Maaf, video ini terlalu besar untuk kami simpan (paling besar 16 MB). Kirimkan video yang lebih pendek atau foto."
	case domain.MessageAudio:
		return "Maaf, rekaman ini terlalu besar untuk kami simpan (paling besar 16 MB). Kirimkan pesan suara yang lebih pendek."
	}
	return "Maaf, berkas ini terlalu besar untuk kami simpan. Kirimkan berkas yang lebih kecil."
}

// MediaOnlyText is a complaint's text when it was opened by a file without a caption:
// staff read that it waits for someone to listen or look.
func MediaOnlyText(kind domain.MessageKind) string {
	switch kind {
	case domain.MessageAudio:
		return "(Pesan suara dari pelapor, tanpa teks. Dengarkan lampirannya.)"
	case domain.MessageVideo:
		return "(Video dari pelapor, tanpa teks. Lihat lampirannya.)"
	case domain.MessageDocument:
		return "(Dokumen dari pelapor, tanpa teks. Buka lampirannya.)"
	}
	return "(Foto dari pelapor, tanpa teks. Lihat lampirannya.)"
}
