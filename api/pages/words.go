package pages

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"aduan/domain"
)

var monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// Date is a date and time in zone as Indonesians write it: 5 Maret 2026, 14.05 WITA.
func Date(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	return DateOnly(t, zone) + ", " + t.Format("15.04") + " " + t.Format("MST")
}

// DateOnly is the date alone: 5 Maret 2026.
func DateOnly(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	return strconv.Itoa(t.Day()) + " " + monthNames[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// WaitText says how long to wait, in seconds or minutes.
func WaitText(d time.Duration) string {
	secs := int(math.Ceil(d.Seconds()))
	if secs <= 90 {
		return strconv.Itoa(secs) + " detik"
	}
	return strconv.Itoa((secs+59)/60) + " menit"
}

// Sentence starts a message with a capital letter.
func Sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Shorten cuts text to at most n characters at a word boundary, with an ellipsis.
func Shorten(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// CategoryName is a category's Indonesian name (its id when unknown).
func CategoryName(id string) string {
	if c, ok := domain.CategoryByID(id); ok {
		return c.Name
	}
	return id
}

var digitWords = [...]string{"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"}

// SpellCode spells a code for reading aloud in Indonesian: ADU-7K3Q-XW2M is
// "ADU – tujuh, K, tiga, Q – X, W, dua, M".
func SpellCode(code string) string {
	groups := strings.Split(code, "-")
	for i, g := range groups {
		if i == 0 {
			continue
		}
		parts := make([]string, 0, len(g))
		for _, r := range g {
			if r >= '0' && r <= '9' {
				parts = append(parts, digitWords[r-'0'])
			} else {
				parts = append(parts, string(r))
			}
		}
		groups[i] = strings.Join(parts, ", ")
	}
	return strings.Join(groups, " – ")
}

// messageKinds name what a complainant's message carried.
var messageKinds = map[domain.MessageKind]string{domain.MessageText: "teks", domain.MessageImage: "foto",
	domain.MessageVideo: "video", domain.MessageDocument: "dokumen", domain.MessageAudio: "rekaman suara",
	domain.MessageSticker: "stiker", domain.MessageLocation: "lokasi", domain.MessageContacts: "kontak",
	domain.MessageButton: "tombol", domain.MessageOther: "jenis lain"}

// KindLabel names a message's kind ("pesan suara" for a voice note).
func KindLabel(k domain.MessageKind, voice bool) string {
	if k == domain.MessageAudio && voice {
		return "pesan suara"
	}
	if l, ok := messageKinds[k]; ok {
		return l
	}
	return string(k)
}

// DeliveryLabel says what became of a message sent to the complainant on channel.
func DeliveryLabel(channel, sentVia, status string, sent bool) string {
	switch {
	case channel == domain.ReachCallBack && sent:
		return "disampaikan lewat telepon oleh " + strings.TrimPrefix(sentVia, "callback:")
	case channel == domain.ReachCallBack:
		return "menunggu ditelepon operator"
	case status == "read":
		return "dibaca"
	case status == "delivered":
		return "sampai"
	case status == "failed":
		return "GAGAL"
	case sentVia == "log":
		return "hanya dicatat (kanal belum dikonfigurasi)"
	case status == "sent" || sent:
		return "terkirim"
	}
	return "menunggu dikirim"
}

// SizeLabel is a file size as people read it: 340 KB, 2,5 MB.
func SizeLabel(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n < 1<<20:
		return strconv.FormatInt((n+1023)>>10, 10) + " KB"
	}
	return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".", ",", 1) + " MB"
}

// notifyKinds name the messages Aduan sends.
var notifyKinds = map[domain.NotifyKind]string{domain.NotifyAck: "tanda terima (kode aduan)",
	domain.NotifyQuestion: "pertanyaan admin", domain.NotifyAnswer: "jawaban yang diterbitkan",
	domain.NotifyAnswerPrivate: "jawaban (tidak diterbitkan)", domain.NotifyDuplicate: "pemberitahuan aduan ganda",
	domain.NotifyNoReplyClosed: "ditutup karena tidak ada balasan", domain.NotifyReminder: "pengingat",
	domain.NotifyOverdueReminder: "pengingat keterlambatan", domain.NotifyEscalation: "eskalasi",
	domain.NotifyEscalationHead: "eskalasi ke kepala dinas", domain.NotifyOverallReminder: "pengingat batas penyelesaian",
	domain.NotifyOverallEscalation: "eskalasi batas penyelesaian", domain.NotifyAutoReply: "balasan otomatis"}

// NotifyLabel names a kind of message Aduan sends.
func NotifyLabel(k domain.NotifyKind) string {
	if l, ok := notifyKinds[k]; ok {
		return l
	}
	return string(k)
}
