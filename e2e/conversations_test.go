package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"aduan/domain"
)

// Conversations as citizens write them on WhatsApp, each case of the conversations issue
// driven through the webhook with the Cloud API's documented payloads, and what the
// citizen receives read from the providers' stand-in (sink).

// waDelivery is one webhook delivery of messages (raw JSON objects) from one number.
func waDelivery(from string, msgs ...string) []byte {
	return []byte(fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":"99"},"contacts":[{"profile":{"name":"Warga Uji"},"wa_id":%q}],
"messages":[%s]}}]}]}`, from, strings.Join(msgs, ",")))
}

func waText(from, id, text string) string {
	return fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"%d","type":"text","text":{"body":%q}}`, from, id, time.Now().Unix(), text)
}

func postWA(t testing.TB, base string, body []byte) {
	t.Helper()
	if status, raw := postSigned(t, base, "/webhooks/whatsapp", "X-Hub-Signature-256", waSecret, "application/json", body); status != http.StatusOK {
		t.Fatalf("whatsapp webhook: %d %s", status, raw)
	}
}

// sentTo waits for what the citizen at phone receives, until want says it is there.
func sentTo(t testing.TB, phone string, want func([]providerCall) bool) []providerCall {
	t.Helper()
	var got []providerCall
	if !eventually(15*time.Second, func() bool { got = sink.callsTo(phone); return want(got) }) {
		t.Fatalf("the citizen at the number received %d messages: %+v", len(got), got)
	}
	return got
}

func textOf(c providerCall) string {
	switch c.Body["type"] {
	case "template":
		// The approved template's one body parameter carries the whole text.
		var b strings.Builder
		tpl, _ := c.Body["template"].(map[string]any)
		comps, _ := tpl["components"].([]any)
		for _, comp := range comps {
			m, _ := comp.(map[string]any)
			params, _ := m["parameters"].([]any)
			for _, p := range params {
				pm, _ := p.(map[string]any)
				s, _ := pm["text"].(string)
				b.WriteString(s)
			}
		}
		return b.String()
	case "text":
		m, _ := c.Body["text"].(map[string]any)
		s, _ := m["body"].(string)
		return s
	case "interactive":
		m, _ := c.Body["interactive"].(map[string]any)
		b, _ := m["body"].(map[string]any)
		s, _ := b["text"].(string)
		return s
	}
	s, _ := c.Body["text"].(string)
	return s
}

func wid() string { return "wamid." + randomHex(8) }

// A greeting from a new number gets one friendly reply (not two the same day), opens
// nothing, and is kept: the next real message opens the complaint with it.
func TestConversationGreeting(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := uniquePhone()
	postWA(t, base, waDelivery(phone, waText(phone, wid(), "Halo")))
	postWA(t, base, waDelivery(phone, waText(phone, wid(), "Assalamualaikum")))
	if codes := complaintsOf(t, phone); len(codes) != 0 {
		t.Fatalf("a greeting opened %v", codes)
	}
	sentTo(t, phone, func(c []providerCall) bool { return len(c) >= 1 })
	time.Sleep(1500 * time.Millisecond) // a second reply, if any, would be out by now
	got := sink.callsTo(phone)
	if len(got) != 1 || got[0].Body["type"] != "text" || !strings.Contains(textOf(got[0]), "Silakan tuliskan masalah Anda") ||
		!strings.Contains(textOf(got[0]), "http://test/lapor") {
		t.Fatalf("replies to two greetings: %+v, want one friendly text", got)
	}
	postWA(t, base, waDelivery(phone, waText(phone, wid(), "Pagi pak, bantuan beras belum sampai di Desa Bebanga")))
	codes := complaintsOf(t, phone)
	if len(codes) != 1 {
		t.Fatalf("the real message opened %v", codes)
	}
	v := view(t, "admin", codes[0])
	if v.Text != "Pagi pak, bantuan beras belum sampai di Desa Bebanga" || len(v.Messages) != 2 ||
		v.Messages[0].Text != "Halo" || v.Messages[1].Text != "Assalamualaikum" {
		t.Fatalf("complaint text %q, messages %+v: want the greetings kept", v.Text, v.Messages)
	}
	// The acknowledgement follows as usual.
	sentTo(t, phone, func(c []providerCall) bool {
		return len(c) == 2 && strings.Contains(textOf(c[1]), codes[0])
	})
}

// A photo with a caption opens a complaint whose text is the caption; the picture is kept
// with it and fetched from the Cloud API. A voice note alone opens one marked for a
// listen. A location after a text is kept on the complaint.
func TestConversationMediaAndLocation(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	photo := uniquePhone()
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, []byte("foto beras rusak "+randomHex(8))...)
	mediaID := "media-" + randomHex(6)
	sum := sink.addMedia(mediaID, "image/jpeg", jpeg)
	caption := "Foto beras rusak di posko Desa Bebanga, tidak layak dimakan"
	postWA(t, base, waDelivery(photo, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1764200000","type":"image",
		"image":{"caption":%q,"mime_type":"image/jpeg","sha256":%q,"id":%q}}`, photo, wid(), caption, sum, mediaID)))
	codes := complaintsOf(t, photo)
	if len(codes) != 1 {
		t.Fatalf("a captioned photo opened %v", codes)
	}
	v := view(t, "admin", codes[0])
	if v.Text != caption || v.NeedsReview || len(v.Messages) != 1 || v.Messages[0].Kind != "image" || v.Messages[0].Media == nil ||
		v.Messages[0].Text != caption {
		t.Fatalf("photo complaint: text %q needs_review %v messages %+v", v.Text, v.NeedsReview, v.Messages)
	}
	sentTo(t, photo, func(c []providerCall) bool { return len(c) == 1 && strings.Contains(textOf(c[0]), codes[0]) })
	// The picture is fetched from the Cloud API, checked and kept; staff open it.
	if !eventually(15*time.Second, func() bool {
		m := view(t, "admin", codes[0]).Messages[0].Media
		return m != nil && m.State == "stored"
	}) {
		t.Fatalf("the photo was not kept: %+v", view(t, "admin", codes[0]).Messages[0].Media)
	}
	file := do(t, "GET", view(t, "admin", codes[0]).Messages[0].Media.URL, "admin", nil, nil)
	if file.Status != http.StatusOK || string(file.Raw) != string(jpeg) {
		t.Fatalf("GET the photo: %d, %d bytes", file.Status, len(file.Raw))
	}

	// A location shared after the text.
	postWA(t, base, waDelivery(photo, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1764200001","type":"location",
		"location":{"latitude":-2.6749,"longitude":118.8885,"name":"Posko Bebanga","address":"Jl. Poros Mamuju"}}`, photo, wid())))
	v = view(t, "admin", codes[0])
	if len(v.Messages) != 2 || v.Messages[1].Kind != "location" || v.Messages[1].Location == nil ||
		v.Messages[1].Location.Latitude != -2.6749 || v.Messages[1].Location.Name != "Posko Bebanga" ||
		!strings.HasPrefix(v.Messages[1].Location.MapURL, "https://www.openstreetmap.org/") {
		t.Fatalf("location message %+v", v.Messages)
	}

	// A voice note from someone who does not type.
	voice := uniquePhone()
	audioID := "audio-" + randomHex(6)
	ogg := append([]byte("OggS"), []byte(randomHex(16))...)
	asum := sink.addMedia(audioID, "audio/ogg", ogg)
	postWA(t, base, waDelivery(voice, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1764200000","type":"audio",
		"audio":{"mime_type":"audio/ogg; codecs=opus","sha256":%q,"id":%q,"voice":true}}`, voice, wid(), asum, audioID)))
	codes = complaintsOf(t, voice)
	if len(codes) != 1 {
		t.Fatalf("a voice note opened %v", codes)
	}
	v = view(t, "admin", codes[0])
	if !v.NeedsReview || !strings.Contains(v.Text, "Pesan suara") || len(v.Messages) != 1 || v.Messages[0].Kind != "audio" ||
		v.Messages[0].Media == nil || !v.Messages[0].Media.Voice {
		t.Fatalf("voice complaint: text %q needs_review %v messages %+v", v.Text, v.NeedsReview, v.Messages)
	}
	sentTo(t, voice, func(c []providerCall) bool { return len(c) == 1 && strings.Contains(textOf(c[0]), codes[0]) })
	// A video over the limit is not kept, and its sender hears why.
	big := uniquePhone()
	videoID := "video-" + randomHex(6)
	vsum := sink.addMedia(videoID, "video/mp4", make([]byte, domain.MediaLimit(domain.MessageVideo)+1))
	postWA(t, base, waDelivery(big, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1764200000","type":"video",
		"video":{"caption":"Video jalan longsor di Tapalang menutup akses","mime_type":"video/mp4","sha256":%q,"id":%q}}`, big, wid(), vsum, videoID)))
	sentTo(t, big, func(c []providerCall) bool {
		for _, x := range c {
			if strings.Contains(textOf(x), "video ini terlalu besar") {
				return true
			}
		}
		return false
	})
	if m := view(t, "admin", complaintsOf(t, big)[0]).Messages[0].Media; m == nil || m.State != "failed" {
		t.Errorf("the oversize video: %+v, want failed", m)
	}

	// Nothing of it reaches Temporal: not the caption, the coordinates, the numbers or
	// the media ids, in either complaint's workflow ID or history.
	secrets := map[string]string{"caption": caption, "latitude": "-2.6749", "longitude": "118.8885",
		"place": "Posko Bebanga", "photo sender": photo, "voice sender": voice, "media id": mediaID, "audio id": audioID}
	for _, c := range append(complaintsOf(t, photo), codes...) {
		triage(t, c, "logistik", "bantuan_logistik")
		assertAbsent(t, "the workflow ID", domain.WorkflowID(c), secrets)
		for _, e := range decodedHistory(t, c).Events {
			assertAbsent(t, "history event "+e.GetEventType().String(), protoTexts(t, e), secrets)
		}
	}
}

// Every kind of message is kept; one Aduan cannot use is answered with what it can take.
// One delivery may carry several messages from several numbers.
func TestConversationEveryKindKept(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	a, b := uniquePhone(), uniquePhone()
	postWA(t, base, waDelivery(a, waText(a, wid(), "Tenda pengungsian di Kalukku bocor semua saat hujan")))
	code := complaintsOf(t, a)[0]
	body := fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":"99"},
"contacts":[{"profile":{"name":"A"},"wa_id":%[1]q},{"profile":{"name":"B"},"wa_id":%[2]q}],
"messages":[
 {"from":%[1]q,"id":%[3]q,"timestamp":"1764200000","type":"sticker","sticker":{"mime_type":"image/webp","sha256":"x","id":"st-1","animated":false}},
 {"from":%[1]q,"id":%[4]q,"timestamp":"1764200000","type":"contacts","contacts":[{"name":{"formatted_name":"Pak Kades"},"phones":[{"phone":"+62 811 1111 111"}]}]},
 {"from":%[1]q,"id":%[5]q,"timestamp":"1764200000","type":"document","document":{"caption":"Daftar pengungsi","filename":"daftar.pdf","mime_type":"application/pdf","sha256":"x","id":"doc-1"}},
 {"from":%[1]q,"id":%[6]q,"timestamp":"1764200000","type":"video","video":{"mime_type":"video/mp4","sha256":"x","id":"vid-1"}},
 {"from":%[1]q,"id":%[7]q,"timestamp":"1764200000","type":"reaction","reaction":{"message_id":"wamid.x","emoji":"👍"}},
 {"from":%[2]q,"id":%[8]q,"timestamp":"1764200000","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]}
]}}]}]}`, a, b, wid(), wid(), wid(), wid(), wid(), wid())
	postWA(t, base, []byte(body))
	postWA(t, base, []byte(body)) // delivered twice: kept once
	v := view(t, "admin", code)
	var kinds []string
	for _, m := range v.Messages {
		kinds = append(kinds, m.Kind)
	}
	if strings.Join(kinds, ",") != "sticker,contacts,document,video,other" {
		t.Fatalf("kinds kept %v, messages %+v", kinds, v.Messages)
	}
	if !strings.Contains(v.Messages[1].Text, "Pak Kades") || v.Messages[2].Text != "Daftar pengungsi" || v.Messages[2].Media == nil {
		t.Errorf("contacts/document kept as %+v", v.Messages)
	}
	// B's unknown message opened nothing, is kept with the number, and B is told what we take.
	if codes := complaintsOf(t, b); len(codes) != 0 {
		t.Errorf("an unsupported message opened %v", codes)
	}
	var kept int
	_ = testDB.Get(&kept, `SELECT count(*) FROM complaint_messages WHERE code IS NULL AND from_phone = $1 AND kind = 'other'`, b)
	if kept != 1 {
		t.Errorf("unattached messages of B: %d, want 1", kept)
	}
	got := sentTo(t, b, func(c []providerCall) bool { return len(c) >= 1 })
	if !strings.Contains(textOf(got[0]), "jenis pesan ini belum dapat kami terima") {
		t.Errorf("reply to an unsupported message: %q", textOf(got[0]))
	}
	// A, whose complaint is open, is told too (once a day) for the reaction.
	sentTo(t, a, func(c []providerCall) bool {
		for _, x := range c {
			if strings.Contains(textOf(x), "jenis pesan ini belum dapat kami terima") {
				return true
			}
		}
		return false
	})
}

// A delivery WhatsApp reports failed is recorded on its outbox row and tried again:
// outside the window as the approved template, and when that fails too, by SMS. Staff see
// each state; `aduan verify` lists what never arrived.
func TestConversationFailedDelivery(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := uniquePhone()
	postWA(t, base, waDelivery(phone, waText(phone, wid(), "Jembatan ke dusun Salubarani putus sejak gempa")))
	code := complaintsOf(t, phone)[0]
	ack := sentTo(t, phone, func(c []providerCall) bool { return len(c) == 1 })[0]
	if ack.Body["type"] != "text" {
		t.Fatalf("acknowledgement %+v", ack)
	}
	status := func(ref, st, errs string) []byte {
		return []byte(fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":"99"},
"statuses":[{"id":%q,"status":%q,"timestamp":"%d","recipient_id":%q%s}]}}]}]}`, ref, st, time.Now().Unix(), phone, errs))
	}
	postWA(t, base, status(ack.Ref, "sent", ""))
	postWA(t, base, status(ack.Ref, "delivered", ""))
	postWA(t, base, status(ack.Ref, "sent", "")) // late, out of order: no step back
	v := view(t, "admin", code)
	if len(v.Outbox) != 1 || v.Outbox[0].DeliveryStatus != "delivered" || v.Outbox[0].SentVia != "whatsapp:text" {
		t.Fatalf("outbox seen by staff %+v", v.Outbox)
	}
	postWA(t, base, status(ack.Ref, "failed",
		`,"errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed"}}]`))
	// The resend goes as the template.
	got := sentTo(t, phone, func(c []providerCall) bool { return len(c) == 2 })
	if got[1].Body["type"] != "template" {
		t.Fatalf("resend %+v, want the template", got[1])
	}
	v = view(t, "admin", code)
	if len(v.Outbox) != 2 || v.Outbox[0].DeliveryStatus != "failed" || !strings.Contains(v.Outbox[0].DeliveryError, "131047") {
		t.Fatalf("outbox after the failure %+v", v.Outbox)
	}
	// The template fails as well: SMS.
	postWA(t, base, status(got[1].Ref, "failed", `,"errors":[{"code":131026,"title":"Message undeliverable"}]`))
	got = sentTo(t, phone, func(c []providerCall) bool { return len(c) == 3 })
	if got[2].Path != "/sms/send" || !strings.Contains(textOf(got[2]), code) {
		t.Fatalf("second resend %+v, want an SMS with the code", got[2])
	}
	// The SMS fails too (the gateway's report): nothing is left, and verify says so.
	if _, err := testDB.ExecContext(context.Background(), `UPDATE notifications SET delivery_status = 'failed',
		delivery_error = 'nomor tidak aktif' WHERE provider_ref = $1`, got[2].Ref); err != nil {
		t.Fatal(err)
	}
	if !eventually(10*time.Second, func() bool {
		lost, err := testDB.UndeliveredToComplainants(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range lost {
			if u.Code == code && u.Kind == string(domain.NotifyAck) && u.Problem == "nomor tidak aktif" {
				return true
			}
		}
		return false
	}) {
		t.Fatal("verify does not list the acknowledgement that never arrived")
	}
	// A status for a message we never sent is answered 200 and changes nothing.
	postWA(t, base, status("wamid.unknown-"+randomHex(4), "failed", ""))
}

// Inside the window the published answer offers the two buttons; a press is the
// complainant's feedback, as the typed word would be.
func TestConversationFeedbackButtons(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := uniquePhone()
	postWA(t, base, waDelivery(phone, waText(phone, wid(), "Air bersih di pengungsian Simboro habis sejak kemarin")))
	code := complaintsOf(t, phone)[0]
	triage(t, code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Tangki air dikirim hari ini."}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Air bersih di Simboro",
		"public_answer": "Tangki air dikirim ke pengungsian hari ini."}, domain.StatusPublished)
	// The acknowledger may still be holding the acknowledgement back while other tests'
	// intake keeps PostgreSQL busy, so the answer can arrive first: find it wherever it is.
	var last providerCall
	sentTo(t, phone, func(c []providerCall) bool {
		for _, x := range c {
			if x.Body["type"] == "interactive" {
				last = x
				return true
			}
		}
		return false
	})
	it, _ := last.Body["interactive"].(map[string]any)
	action, _ := it["action"].(map[string]any)
	buttons, _ := action["buttons"].([]any)
	if it["type"] != "button" || len(buttons) != 2 || !strings.Contains(textOf(last), "Tangki air") {
		t.Fatalf("answer message %+v", last.Body)
	}
	postWA(t, base, waDelivery(phone, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"1764200000","type":"interactive",
		"context":{"from":"6281100000000","id":%q},"interactive":{"type":"button_reply","button_reply":{"id":"YA","title":"YA"}}}`,
		phone, wid(), last.Ref)))
	if !eventually(10*time.Second, func() bool { return view(t, "admin", code).Status == string(domain.StatusClosed) }) {
		t.Fatalf("after the YA button: %s, want closed", view(t, "admin", code).Status)
	}
}

// A number typed into the web form captures nothing until its owner sends the code: the
// owner's own message opens their own complaint instead of landing on the stranger's.
func TestConversationUnconfirmedNumber(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	owner := uniquePhone()
	stranger := submitBody(t, map[string]any{"text": uniqueText(t), "phone": "+" + owner, "kecamatan": "simboro"}, nil)
	if v := view(t, "admin", stranger); v.PhoneConfirmedBy != "" {
		t.Fatalf("a web number starts confirmed by %q", v.PhoneConfirmedBy)
	}
	postWA(t, base, waDelivery(owner, waText(owner, wid(), "YA")))
	if v := view(t, "admin", stranger); len(v.Messages) != 0 || v.Status != "received" {
		t.Fatalf("the owner's message reached the stranger's complaint: %+v", v.Messages)
	}
	postWA(t, base, waDelivery(owner, waText(owner, wid(), "Rumah saya di Karema retak, mohon diperiksa")))
	codes := complaintsOf(t, owner)
	if len(codes) != 2 || codes[0] != stranger {
		t.Fatalf("complaints with the number %v: want the stranger's and the owner's own", codes)
	}
	// The stranger was the owner after all: sending the code confirms the number, and
	// the message joins that complaint.
	other := uniquePhone()
	web := submitBody(t, map[string]any{"text": uniqueText(t), "phone": "0" + other[2:], "kecamatan": "simboro"}, nil)
	postWA(t, base, waDelivery(other, waText(other, wid(), "Kode saya "+strings.ToLower(web)+", fotonya menyusul")))
	v := view(t, "admin", web)
	if v.PhoneConfirmedBy != "pesan" || len(v.Messages) != 1 || !strings.Contains(v.Messages[0].Text, "fotonya menyusul") {
		t.Fatalf("after the code: confirmed by %q, messages %+v", v.PhoneConfirmedBy, v.Messages)
	}
	// An operator's phone complaint counts as confirmed, with the operator's name.
	op := do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{"channel": "phone", "text": uniqueText(t),
		"phone": "0812 9" + fmt.Sprint(time.Now().UnixNano()%10000000), "kecamatan": "simboro"}, nil)
	var created struct {
		Code string `json:"code"`
	}
	op.decode(t, &created)
	if v := view(t, "admin", created.Code); v.PhoneConfirmedBy != "operator:admin" {
		t.Errorf("phone complaint confirmed by %q", v.PhoneConfirmedBy)
	}
}
