package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"aduan/domain"
)

// Everyone hears back: the route follows what the complainant gave, not how they came.

// registerAs logs a phone or desk complaint as the operator and returns its code.
func registerAs(t *testing.T, channel, phone string) string {
	t.Helper()
	body := map[string]any{"channel": channel, "text": uniqueText(t), "kecamatan": "simboro", "name": "Pak Hamzah"}
	if phone != "" {
		body["phone"] = phone
	}
	r := do(t, "POST", "/api/v1/staff/complaints", "admin", body, nil)
	var created struct {
		Code string `json:"code"`
	}
	r.decode(t, &created)
	if r.Status != http.StatusCreated || created.Code == "" {
		t.Fatalf("register %s: %s", channel, r)
	}
	return created.Code
}

// callBacksFor lists the operator's call-back tasks of one complaint.
func callBacksFor(t *testing.T, code string) []struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Kind string `json:"kind"`
	Text string `json:"text"`
} {
	t.Helper()
	var list struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
			Kind string `json:"kind"`
			Text string `json:"text"`
		} `json:"items"`
	}
	do(t, "GET", "/api/v1/staff/callbacks", "admin", nil, nil).decode(t, &list)
	out := list.Items[:0]
	for _, c := range list.Items {
		if c.Code == code {
			out = append(out, c)
		}
	}
	return out
}

// A complaint phoned in with a mobile number hears back on WhatsApp like one that came
// by WhatsApp: the acknowledgement, the question and the answer.
func TestReachPhoneComplainantByWhatsApp(t *testing.T) {
	t.Parallel()
	phone := uniquePhone()
	code := registerAs(t, "phone", "0"+phone[2:])
	sentTo(t, phone, func(c []providerCall) bool { return len(c) == 1 && strings.Contains(textOf(c[0]), code) })
	if r := act(t, "admin", code, "request_info", map[string]any{"question": "Rumah nomor berapa di dusun itu?"}); r.Status != http.StatusOK {
		t.Fatalf("request_info: %s", r)
	}
	got := sentTo(t, phone, func(c []providerCall) bool { return len(c) == 2 })
	if !strings.Contains(textOf(got[1]), "Rumah nomor berapa") {
		t.Fatalf("the question on WhatsApp: %+v", got[1].Body)
	}
	// The question reached them: its clock runs.
	if v := view(t, "admin", code); v.Deadline == nil {
		t.Errorf("the question reached the complainant but has no deadline")
	}
	v := view(t, "admin", code)
	if len(v.Outbox) != 2 || v.Outbox[1].Kind != "question" || v.Outbox[1].Channel != "whatsapp" {
		t.Errorf("outbox %+v", v.Outbox)
	}
}

// A desk complainant without a number: the question becomes a call-back task with the
// text to read out; its clock waits for the call; the call recorded (no answer, then
// told) lands in the audit trail and starts the clock.
func TestReachDeskComplainantByCallBack(t *testing.T) {
	t.Parallel()
	code := registerAs(t, "desk", "")
	if r := act(t, "admin", code, "request_info", map[string]any{"question": "Kapan terakhir bantuan datang?"}); r.Status != http.StatusOK {
		t.Fatalf("request_info: %s", r)
	}
	var tasks []struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
		Kind string `json:"kind"`
		Text string `json:"text"`
	}
	if !eventually(15*time.Second, func() bool { tasks = callBacksFor(t, code); return len(tasks) == 1 }) {
		t.Fatalf("no call-back task for %s", code)
	}
	if tasks[0].Kind != "question" || !strings.Contains(tasks[0].Text, "Kapan terakhir bantuan datang?") {
		t.Fatalf("task %+v", tasks[0])
	}
	var held staffView
	if !eventually(15*time.Second, func() bool { held = view(t, "admin", code); return held.last().Action == "question_held" }) {
		t.Fatalf("the question's clock was not held: %+v", held.Events)
	}
	if held.Deadline != nil {
		t.Errorf("a question waiting for a call has a deadline %v", held.Deadline)
	}
	// Only admins call back; a bad outcome is refused.
	if r := do(t, "POST", fmt.Sprintf("/api/v1/staff/callbacks/%d", tasks[0].ID), "pokja-logistik", map[string]any{"outcome": "told"}, nil); r.Status != http.StatusForbidden {
		t.Errorf("a pokja recording a call: %s", r)
	}
	wantError(t, do(t, "POST", fmt.Sprintf("/api/v1/staff/callbacks/%d", tasks[0].ID), "admin", map[string]any{"outcome": "maybe"}, nil),
		http.StatusBadRequest, "invalid")
	if r := do(t, "POST", fmt.Sprintf("/api/v1/staff/callbacks/%d", tasks[0].ID), "admin", map[string]any{"outcome": "no_answer"}, nil); r.Status != http.StatusNoContent {
		t.Fatalf("no answer: %s", r)
	}
	if len(callBacksFor(t, code)) != 1 {
		t.Fatal("an unanswered call closed the task")
	}
	if r := do(t, "POST", fmt.Sprintf("/api/v1/staff/callbacks/%d", tasks[0].ID), "admin",
		map[string]any{"outcome": "told", "note": "Dijawab: Senin lalu."}, nil); r.Status != http.StatusNoContent {
		t.Fatalf("told: %s", r)
	}
	v := view(t, "admin", code)
	if v.Deadline == nil || len(callBacksFor(t, code)) != 0 {
		t.Fatalf("after the call: deadline %v, tasks %v", v.Deadline, callBacksFor(t, code))
	}
	notes := ""
	for _, e := range v.Events {
		if e.Action == "callback" {
			notes += e.Note + "|"
		}
	}
	if !strings.Contains(notes, "tidak diangkat") || !strings.Contains(notes, "pertanyaan admin disampaikan. Dijawab: Senin lalu.") {
		t.Errorf("audit trail of the calls: %q", notes)
	}
	recordHistory(t, code, "question_callback")
	// Recorded twice (a form sent again): refused, nothing more.
	if r := do(t, "POST", fmt.Sprintf("/api/v1/staff/callbacks/%d", tasks[0].ID), "admin", map[string]any{"outcome": "told"}, nil); r.Status != http.StatusConflict {
		t.Errorf("a call recorded again: %s", r)
	}
}

// A web complaint with only a phone number: the acknowledgement asks the number's owner
// to confirm with the code; the question cannot go to an unconfirmed number, so the
// admin is told at once and nothing closes; once confirmed, the answer reaches them.
func TestReachWebPhoneAfterConfirmation(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := uniquePhone()
	code := submitBody(t, map[string]any{"text": uniqueText(t), "phone": "0" + phone[2:], "kecamatan": "simboro"}, nil)
	ack := sentTo(t, phone, func(c []providerCall) bool { return len(c) == 1 })[0]
	if !strings.Contains(textOf(ack), "balas pesan ini dengan kode "+code) {
		t.Fatalf("the acknowledgement to an unconfirmed number: %q", textOf(ack))
	}
	// (Not step: the question's fate may be recorded before the action's answer.)
	if r := act(t, "admin", code, "request_info", map[string]any{"question": "Di desa mana?"}); r.Status != http.StatusOK {
		t.Fatalf("request_info: %s", r)
	}
	var v staffView
	if !eventually(15*time.Second, func() bool { v = view(t, "admin", code); return v.last().Action == "question_held" }) {
		t.Fatalf("an unreachable question was not flagged: %+v", v.Events)
	}
	// The admins' message is written by the Notify activity the held question sets off,
	// a moment after the event itself.
	var told int
	eventually(15*time.Second, func() bool {
		_ = testDB.Get(&told, `SELECT count(*) FROM notifications WHERE code = $1 AND kind = 'question_unreached' AND recipient = 'admin'`, code)
		return told >= 1
	})
	if told != 1 || len(sink.callsTo(phone)) != 1 {
		t.Errorf("admins told %d times; messages to the unconfirmed number %d (want only the acknowledgement)", told, len(sink.callsTo(phone)))
	}
	// The owner replies with the code: confirmed, and the reply answers the question.
	postWA(t, base, waDelivery(phone, waText(phone, wid(), code+" di Desa Bebanga, dekat masjid")))
	v = view(t, "admin", code)
	if v.PhoneConfirmedBy != "pesan" || v.Status != "received" {
		t.Fatalf("after the code: confirmed by %q, status %s", v.PhoneConfirmedBy, v.Status)
	}
	triage(t, code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Bantuan dikirim besok."}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Bantuan di Bebanga", "public_answer": "Bantuan dikirim besok."}, domain.StatusPublished)
	sentTo(t, phone, func(c []providerCall) bool {
		return len(c) >= 2 && strings.Contains(textOf(c[len(c)-1]), "Bantuan dikirim besok")
	})
	recordHistory(t, code, "question_unreached_confirmed")
}
