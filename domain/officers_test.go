package domain

import "testing"

func TestRouteToOfficer(t *testing.T) {
	all := Providers{WhatsApp: true, SMS: true, Email: true}
	smsOnly := Providers{SMS: true}
	mailOnly := Providers{Email: true}
	none := Providers{}
	const mobile, landline, mail = "6281234567890", "62426123456", "kadis@mamujukab.go.id"
	cases := []struct {
		name string
		o    OfficerPrefs
		p    Providers
		want string
	}{
		{"whatsapp chosen", OfficerPrefs{Channel: OfficerWhatsApp, Phone: mobile, Email: mail}, all, ReachWhatsApp},
		{"sms chosen", OfficerPrefs{Channel: OfficerSMS, Phone: mobile}, all, ReachSMS},
		{"e-mail chosen, a number given too", OfficerPrefs{Channel: OfficerEmail, Phone: mobile, Email: mail}, all, ReachEmail},
		{"console only: nothing sent", OfficerPrefs{Channel: OfficerConsole, Phone: mobile, Email: mail}, all, ReachNone},
		{"whatsapp chosen, only sms configured", OfficerPrefs{Channel: OfficerWhatsApp, Phone: mobile}, smsOnly, ReachSMS},
		{"whatsapp chosen, only e-mail configured", OfficerPrefs{Channel: OfficerWhatsApp, Phone: mobile, Email: mail}, mailOnly, ReachEmail},
		{"e-mail chosen, no SMTP, whatsapp configured", OfficerPrefs{Channel: OfficerEmail, Phone: mobile, Email: mail}, Providers{WhatsApp: true}, ReachWhatsApp},
		{"whatsapp chosen, nothing configured: the log stands in", OfficerPrefs{Channel: OfficerWhatsApp, Phone: mobile}, none, ReachWhatsApp},
		{"a landline takes no whatsapp", OfficerPrefs{Channel: OfficerWhatsApp, Phone: landline, Email: mail}, all, ReachEmail},
		{"a landline and nothing else", OfficerPrefs{Channel: OfficerSMS, Phone: landline}, all, ReachNone},
		{"not chosen yet, e-mail on file", OfficerPrefs{Email: mail, Phone: mobile}, all, ReachEmail},
		{"not chosen yet, e-mail on file, no SMTP", OfficerPrefs{Email: mail}, none, ReachEmail},
		{"not chosen yet, no e-mail", OfficerPrefs{Phone: mobile}, all, ReachNone},
	}
	for _, c := range cases {
		if got := RouteToOfficer(c.o, c.p); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestOfficerChannels(t *testing.T) {
	for _, ch := range []string{"whatsapp", "sms", "email", "console"} {
		if !ValidOfficerChannel(ch) {
			t.Errorf("%s refused", ch)
		}
	}
	for _, ch := range []string{"", "log", "callback", "WhatsApp"} {
		if ValidOfficerChannel(ch) {
			t.Errorf("%q accepted", ch)
		}
	}
	for _, k := range []NotifyKind{NotifyReminder, NotifyOverdueReminder, NotifyOverallReminder} {
		if !IsReminder(k) || IsEscalation(k) {
			t.Errorf("%s: a reminder", k)
		}
	}
	for _, k := range []NotifyKind{NotifyEscalation, NotifyEscalationHead, NotifyOverallEscalation} {
		if IsReminder(k) || !IsEscalation(k) {
			t.Errorf("%s: an escalation", k)
		}
	}
	if IsReminder(NotifyQuestion) || IsEscalation(NotifyQuestionUnreached) {
		t.Error("messages to complainants and alerts are neither")
	}
}
