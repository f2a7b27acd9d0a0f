package webhooks

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/complaints"
	"aduan/domain"
)

// waEveryKind is one delivery with every message type, from two numbers, as the Cloud
// API's webhook payload examples show them, and two status callbacks.
const waEveryKind = `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
 "contacts":[{"profile":{"name":"Ibu Siti"},"wa_id":"6281234567890"},{"profile":{"name":"Pak Amir"},"wa_id":"6285298765432"}],
 "messages":[
  {"from":"6281234567890","id":"wamid.T","timestamp":"1764200000","type":"text","text":{"body":"Halo"}},
  {"from":"6281234567890","id":"wamid.I","timestamp":"1764200001","type":"image","image":{"caption":"Foto beras rusak","mime_type":"image/jpeg","sha256":"KVCAXrl9e7sFjGxBq3Lz8lg7bN1e2VLZo5qJdqDzpKk=","id":"1003383421387256"}},
  {"from":"6281234567890","id":"wamid.A","timestamp":"1764200002","type":"audio","audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"abc=","id":"2003","voice":true}},
  {"from":"6281234567890","id":"wamid.D","timestamp":"1764200003","type":"document","document":{"caption":"Daftar","filename":"daftar.pdf","mime_type":"application/pdf","sha256":"d=","id":"3003"}},
  {"from":"6281234567890","id":"wamid.V","timestamp":"1764200004","type":"video","video":{"mime_type":"video/mp4","sha256":"v=","id":"4003"}},
  {"from":"6281234567890","id":"wamid.S","timestamp":"1764200005","type":"sticker","sticker":{"mime_type":"image/webp","sha256":"s=","id":"5003","animated":false}},
  {"from":"6285298765432","id":"wamid.L","timestamp":"1764200006","type":"location","location":{"address":"Jl. Poros Mamuju","latitude":-2.6749,"longitude":118.8885,"name":"Posko Bebanga","url":"https://foursquare.com/v/x"}},
  {"from":"6285298765432","id":"wamid.C","timestamp":"1764200007","type":"contacts","contacts":[{"name":{"first_name":"Kades","formatted_name":"Pak Kades"},"phones":[{"phone":"+62 811 1111 111","type":"CELL","wa_id":"628111111111"}]}]},
  {"from":"6285298765432","id":"wamid.B","timestamp":"1764200008","context":{"from":"15550783881","id":"wamid.OUT"},"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"YA","title":"YA"}}},
  {"from":"6285298765432","id":"wamid.Q","timestamp":"1764200009","context":{"from":"15550783881","id":"wamid.TPL"},"type":"button","button":{"payload":"BELUM","text":"Belum"}},
  {"from":"6285298765432","id":"wamid.R","timestamp":"1764200010","type":"reaction","reaction":{"message_id":"wamid.OUT","emoji":"👍"}},
  {"from":"6285298765432","id":"wamid.U","timestamp":"1764200011","type":"unsupported","errors":[{"code":131051,"details":"Message type is not currently supported","title":"Unsupported message type"}]}
 ],
 "statuses":[
  {"id":"wamid.OUT1","status":"delivered","timestamp":"1764200100","recipient_id":"6281234567890"},
  {"id":"wamid.OUT2","status":"failed","timestamp":"1764200200","recipient_id":"6281234567890","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]}
 ]}}]}]}`

// statusTaker records what reaches the core.
type statusTaker struct {
	msgs     []complaints.InboundMessage
	statuses []complaints.DeliveryStatus
}

func (s *statusTaker) TakeMessage(_ context.Context, m complaints.InboundMessage) error {
	s.msgs = append(s.msgs, m)
	return nil
}

func (s *statusTaker) TakeStatus(_ context.Context, st complaints.DeliveryStatus) error {
	s.statuses = append(s.statuses, st)
	return nil
}

func TestWhatsAppEveryMessageKind(t *testing.T) {
	got := &statusTaker{}
	gin.SetMode(gin.ReleaseMode)
	h := gin.New()
	Register(h, got, Config{WAAppSecret: testSecret})
	if w := post(h, "/webhooks/whatsapp", "X-Hub-Signature-256", []byte(waEveryKind), "application/json"); w.Code != http.StatusOK {
		t.Fatalf("delivery: %d %s", w.Code, w.Body)
	}
	want := []struct {
		id   string
		kind domain.MessageKind
		text string
	}{{"wamid.T", "text", "Halo"}, {"wamid.I", "image", "Foto beras rusak"}, {"wamid.A", "audio", ""},
		{"wamid.D", "document", "Daftar"}, {"wamid.V", "video", ""}, {"wamid.S", "sticker", ""},
		{"wamid.L", "location", ""}, {"wamid.C", "contacts", "Pak Kades +62 811 1111 111"},
		{"wamid.B", "button", "YA"}, {"wamid.Q", "button", "Belum"}, {"wamid.R", "other", ""}, {"wamid.U", "other", ""}}
	if len(got.msgs) != len(want) {
		t.Fatalf("routed %d messages, want %d: %+v", len(got.msgs), len(want), got.msgs)
	}
	for i, w := range want {
		m := got.msgs[i]
		if m.ID != w.id || m.Type != w.kind || m.Text != w.text || m.Channel != "whatsapp" {
			t.Errorf("message %d: %+v, want %s %s %q", i, m, w.id, w.kind, w.text)
		}
	}
	img, audio, doc := got.msgs[1].Media, got.msgs[2].Media, got.msgs[3].Media
	if img == nil || img.Ref != "1003383421387256" || img.MimeType != "image/jpeg" || img.SHA256 != "KVCAXrl9e7sFjGxBq3Lz8lg7bN1e2VLZo5qJdqDzpKk=" {
		t.Errorf("image media %+v", img)
	}
	if audio == nil || !audio.Voice || audio.MimeType != "audio/ogg; codecs=opus" || doc == nil || doc.Filename != "daftar.pdf" {
		t.Errorf("audio %+v, document %+v", audio, doc)
	}
	if l := got.msgs[6].Location; l == nil || l.Latitude != -2.6749 || l.Longitude != 118.8885 || l.Name != "Posko Bebanga" ||
		l.Address != "Jl. Poros Mamuju" {
		t.Errorf("location %+v", l)
	}
	if got.msgs[8].Button != "YA" || got.msgs[8].Context != "wamid.OUT" || got.msgs[9].Button != "BELUM" {
		t.Errorf("buttons %+v %+v", got.msgs[8], got.msgs[9])
	}
	if got.msgs[10].OtherType != "reaction" || got.msgs[11].OtherType != "unsupported" || got.msgs[6].Name != "Pak Amir" {
		t.Errorf("other kinds %+v %+v", got.msgs[10], got.msgs[11])
	}
	if len(got.statuses) != 2 || got.statuses[0].Status != "delivered" || got.statuses[0].Ref != "wamid.OUT1" ||
		!got.statuses[0].At.Equal(time.Unix(1764200100, 0)) || got.statuses[1].ErrorCode != "131047" ||
		got.statuses[1].ErrorTitle != "Re-engagement message" {
		t.Errorf("statuses %+v", got.statuses)
	}
}
