package domain

import "testing"

func TestRouteToComplainant(t *testing.T) {
	all := Providers{WhatsApp: true, SMS: true, Email: true}
	smsOnly := Providers{SMS: true}
	none := Providers{}
	const mobile, landline = "6281234567890", "62426123456"
	cases := []struct {
		name string
		c    ComplainantContact
		kind NotifyKind
		p    Providers
		want string
	}{
		{"whatsapp complainant", ComplainantContact{Origin: "whatsapp", Phone: mobile, PhoneConfirmedBy: "pesan"}, NotifyAnswer, all, ReachWhatsApp},
		{"sms complainant stays on sms", ComplainantContact{Origin: "sms", Phone: mobile, PhoneConfirmedBy: "pesan"}, NotifyQuestion, all, ReachSMS},
		{"phoned in with a mobile: whatsapp", ComplainantContact{Origin: "phone", Phone: mobile, PhoneConfirmedBy: "operator:admin"}, NotifyQuestion, all, ReachWhatsApp},
		{"desk with a mobile, sms only", ComplainantContact{Origin: "desk", Phone: mobile, PhoneConfirmedBy: "operator:admin"}, NotifyAnswer, smsOnly, ReachSMS},
		{"phoned in, landline: call back", ComplainantContact{Origin: "phone", Phone: landline, PhoneConfirmedBy: "operator:admin"}, NotifyQuestion, all, ReachCallBack},
		{"desk, no number: call back", ComplainantContact{Origin: "desk"}, NotifyAnswerPrivate, all, ReachCallBack},
		{"desk, no number, acknowledgement given in person", ComplainantContact{Origin: "desk"}, NotifyAck, all, ReachNone},
		{"phoned in, no provider: call back", ComplainantContact{Origin: "phone", Phone: mobile, PhoneConfirmedBy: "operator:admin"}, NotifyQuestion, none, ReachCallBack},
		{"web, unconfirmed number: the acknowledgement only", ComplainantContact{Origin: "web", Phone: mobile}, NotifyAck, all, ReachWhatsApp},
		{"web, unconfirmed number, question: nobody", ComplainantContact{Origin: "web", Phone: mobile}, NotifyQuestion, all, ReachNone},
		{"web, unconfirmed number and e-mail", ComplainantContact{Origin: "web", Phone: mobile, Email: "a@b.id"}, NotifyQuestion, all, ReachEmail},
		{"web, confirmed number", ComplainantContact{Origin: "web", Phone: mobile, PhoneConfirmedBy: "pesan"}, NotifyQuestion, smsOnly, ReachSMS},
		{"whatsapp, nothing configured", ComplainantContact{Origin: "whatsapp", Phone: mobile, PhoneConfirmedBy: "pesan"}, NotifyAck, none, ReachWhatsApp},
		{"web e-mail, no SMTP: logged as e-mail", ComplainantContact{Origin: "web", Email: "a@b.id"}, NotifyAnswer, none, ReachEmail},
		{"anonymous web", ComplainantContact{Origin: "web"}, NotifyAnswer, all, ReachNone},
	}
	for _, c := range cases {
		if got := RouteToComplainant(c.c, c.kind, c.p); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
