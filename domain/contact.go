package domain

import (
	"regexp"
	"strings"
)

// Whose number is it? A reply from a phone number is routed to a complaint only when the
// complaint's number is known to be its complainant's. Otherwise anyone who typed a
// stranger's number into the web form would capture that stranger's messages (and a
// "YA" from them would close the complaint).

// ConfirmedByMessage marks a number its owner wrote from: a complaint that came in over
// WhatsApp or SMS, or a web complaint whose number later sent its code.
const ConfirmedByMessage = "pesan"

// PhoneConfirmation says, at intake, who vouches that the complaint's number is the
// complainant's: the message itself (WhatsApp, SMS), the operator who took it down from
// the caller or at the desk ("operator:<username>"), or nobody yet ("": the web form).
func PhoneConfirmation(channel, takenBy string) string {
	switch channel {
	case "whatsapp", "sms":
		return ConfirmedByMessage
	case "phone", "desk":
		if takenBy == "" {
			takenBy = "admin"
		}
		return "operator:" + takenBy
	}
	return ""
}

// RoutesReplies reports whether messages from a complaint's number reach it.
func RoutesReplies(confirmedBy string) bool { return confirmedBy != "" }

var codeInText = regexp.MustCompile(`(?i)\bADU-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)

// CodeIn finds a complaint code written in a message ("" when none): a web complainant
// confirms their number by sending the code their acknowledgement carried.
func CodeIn(text string) string {
	return NormalizeCode(codeInText.FindString(strings.ToUpper(text)))
}

// Greeting replies: a number with no open complaint that writes something too short to
// be a complaint ("Halo", "Pagi pak") hears once a day how to complain.

// IsTooShortForComplaint reports whether a text alone cannot open a complaint: shorter
// than MinIntakeText, or nothing but a greeting ("Assalamualaikum", "Selamat pagi pak").
func IsTooShortForComplaint(text string) bool {
	return len([]rune(strings.TrimSpace(text))) < MinIntakeText || IsGreeting(text)
}

// greetingWords are the words a greeting is made of, as people here write them.
var greetingWords = map[string]bool{
	"halo": true, "hallo": true, "helo": true, "hello": true, "hai": true, "hay": true, "hi": true, "hy": true,
	"assalamualaikum": true, "assalamu'alaikum": true, "asalamualaikum": true, "assalamualaikom": true,
	"assalamu": true, "alaikum": true, "aslm": true, "ass": true, "wr": true, "wb": true, "warahmatullahi": true,
	"wabarakatuh": true, "salam": true, "sejahtera": true, "shalom": true, "om": true, "swastiastu": true,
	"selamat": true, "pagi": true, "siang": true, "sore": true, "malam": true, "met": true,
	"pak": true, "bapak": true, "bu": true, "ibu": true, "min": true, "admin": true, "kak": true, "kakak": true,
	"mas": true, "mbak": true, "bang": true, "dik": true, "permisi": true, "maaf": true, "mengganggu": true,
	"tes": true, "test": true, "p": true, "ping": true, "ada": true, "orang": true, "yang": true, "bisa": true,
	"bantu": true, "dibantu": true, "tolong": true, "mohon": true, "info": true, "dan": true, "semua": true,
}

// IsGreeting reports whether a text is only a greeting, whatever its length: every word
// (letters only) is one of greetingWords.
func IsGreeting(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '\'')
	})
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !greetingWords[strings.Trim(w, "'")] && !greetingWords[w] {
			return false
		}
	}
	return true
}
