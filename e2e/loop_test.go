package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"aduan/domain"
)

// publishedComplaint walks a fresh complaint to published and returns its code.
func publishedComplaint(t *testing.T, body map[string]any) string {
	t.Helper()
	code := submitBody(t, body, nil)
	triage(t, code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Beras dikirim Jumat."}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Distribusi beras", "public_answer": "Beras dikirim Jumat."},
		domain.StatusPublished)
	return code
}

// TestPublishRedactsPersonalData: phone numbers, e-mail addresses and NIK never reach the
// public text, and the admin sees what was taken out.
func TestPublishRedactsPersonalData(t *testing.T) {
	t.Parallel()
	code := submit(t, uniqueText(t))
	triage(t, code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Sudah ditangani."}, domain.StatusReadyToPublish)
	answer := "Hubungi Pak Rahman di 0812-3456-7890 atau rahman@example.org; NIK 7306012345678901 sudah terdaftar."
	r := act(t, "admin", code, "publish", map[string]any{"public_title": "Info +62 811 2222 3333", "public_answer": answer})
	if r.Status != http.StatusOK {
		t.Fatalf("publish: %s", r)
	}
	var v struct {
		staffView
		Redactions []domain.Redaction `json:"redactions"`
	}
	r.decode(t, &v)
	for _, secret := range []string{"0812-3456-7890", "rahman@example.org", "7306012345678901", "811 2222 3333"} {
		if strings.Contains(v.PublicAnswer+v.PublicTitle, secret) {
			t.Errorf("public text still has %q: %q / %q", secret, v.PublicTitle, v.PublicAnswer)
		}
	}
	counts := map[string]int{}
	for _, x := range v.Redactions {
		counts[x.Kind] = x.Count
	}
	if counts["phone"] != 2 || counts["email"] != 1 || counts["nik"] != 1 {
		t.Errorf("redactions %+v, want 2 phones, 1 e-mail, 1 NIK", v.Redactions)
	}
	if !strings.Contains(v.last().Note, "Disamarkan") {
		t.Errorf("publish event note %q does not say what was redacted", v.last().Note)
	}
	var pub map[string]any
	do(t, "GET", "/api/v1/publications/"+code, "", nil, nil).decode(t, &pub)
	if a, _ := pub["answer"].(string); strings.Contains(a, "0812") || !strings.Contains(a, "[nomor telepon disamarkan]") {
		t.Errorf("published answer %q", a)
	}
}

// TestFeedbackReopensThenCloses: "not solved" reopens the complaint to its pokja with the
// comment kept for staff; "solved" closes it; feedback outside the window is refused.
func TestFeedbackReopensThenCloses(t *testing.T) {
	t.Parallel()
	code := publishedComplaint(t, map[string]any{"text": uniqueText(t)})
	token := feedbackTokenOf(t, code, code) // of the link sent with the answer
	wantError(t, do(t, "POST", "/api/v1/complaints/"+code+"/feedback", "", map[string]any{"comment": "x"}, nil),
		http.StatusBadRequest, "invalid")
	r := do(t, "POST", "/api/v1/complaints/"+code+"/feedback", "", map[string]any{"satisfied": false, "comment": "Beras belum datang",
		"token": token}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("feedback: %s", r)
	}
	v := view(t, "admin", code)
	if v.Status != "at_pokja" || v.last().Action != "reopen" || v.last().Role != "complainant" {
		t.Fatalf("after 'not solved': %s, last %+v", v.Status, v.last())
	}
	var rc int
	_ = testDB.Get(&rc, `SELECT reopen_count FROM complaints WHERE code = $1`, code)
	var comment string
	_ = testDB.Get(&comment, `SELECT comment FROM complaint_feedback WHERE code = $1`, code)
	if rc != 1 || comment != "Beras belum datang" {
		t.Errorf("reopen_count %d, stored comment %q", rc, comment)
	}
	if tr := tracking(t, code); tr.Status != "at_pokja" || len(tr.Timeline) < 2 {
		t.Errorf("tracking after reopen: %+v", tr)
	}
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Beras dikirim ulang Senin."}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Distribusi beras", "public_answer": "Dikirim ulang Senin."}, domain.StatusPublished)
	if r := do(t, "POST", "/api/v1/complaints/"+code+"/feedback", "", map[string]any{"satisfied": true, "token": token}, nil); r.Status != http.StatusOK {
		t.Fatalf("feedback yes: %s", r)
	}
	if v := view(t, "admin", code); v.Status != "closed" || v.last().Action != "feedback" {
		t.Fatalf("after 'solved': %s %+v", v.Status, v.last())
	}
	wantError(t, do(t, "POST", "/api/v1/complaints/"+code+"/feedback", "", map[string]any{"satisfied": false, "token": token}, nil),
		http.StatusConflict, "invalid_transition")
	recordHistory(t, code, "feedback_reopen_close")
}

// TestWhatsAppFeedbackAndDuplicates: a WhatsApp "BELUM" reopens a published complaint; a
// complaint merged as a duplicate tells its complainant and later hears the answer.
func TestWhatsAppFeedbackAndDuplicates(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := freshPhone()
	sendWA(t, base, phone, "wamid."+randomHex(6), "Bantuan beras belum sampai ke dusun kami di Botteng")
	codes := complaintsOf(t, phone)
	if len(codes) != 1 {
		t.Fatalf("complaints %v", codes)
	}
	original := codes[0]

	// Another citizen reports the same failure by SMS; the admin merges it.
	other := freshPhone()
	sendSMS(t, base, other, "sms-"+randomHex(6), "Beras untuk dusun Botteng belum dibagikan sama sekali")
	dups := complaintsOf(t, other)
	if len(dups) != 1 {
		t.Fatalf("duplicate complaints %v", dups)
	}
	dup := dups[0]
	step(t, "admin", dup, "reject", map[string]any{"reason": "duplicate", "duplicate_of": original, "note": "Sama dengan aduan WA"},
		domain.StatusRejected)
	var told string
	if !eventually(15*time.Second, func() bool {
		return testDB.Get(&told, `SELECT text FROM notifications WHERE code = $1 AND kind = 'duplicate'`, dup) == nil
	}) || !strings.Contains(told, "kami gabungkan dengan aduan lain") || strings.Contains(told, original) {
		t.Fatalf("duplicate's complainant not told it was merged, or told the original's code: %q", told)
	}

	triage(t, original, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", original, "answer", map[string]any{"answer": "Beras dikirim Jumat."}, domain.StatusReadyToPublish)
	step(t, "admin", original, "publish", map[string]any{"public_title": "Beras Botteng", "public_answer": "Dikirim Jumat."}, domain.StatusPublished)
	var dupAnswer struct {
		Channel string `db:"channel"`
		Text    string `db:"text"`
	}
	if !eventually(15*time.Second, func() bool {
		return testDB.Get(&dupAnswer, `SELECT channel, text FROM notifications WHERE code = $1 AND kind = 'answer'`, dup) == nil
	}) {
		t.Fatal("the duplicate's complainant did not receive the answer")
	}
	if dupAnswer.Channel != "sms" || !strings.Contains(dupAnswer.Text, "Dikirim Jumat.") {
		t.Errorf("duplicate's answer %+v", dupAnswer)
	}

	// The WhatsApp complainant answers "BELUM": reopened.
	if st := sendWA(t, base, phone, "wamid."+randomHex(6), "BELUM, beras baru sebagian yang datang"); st != 200 {
		t.Fatalf("feedback by WhatsApp: %d", st)
	}
	if v := view(t, "admin", original); v.Status != "at_pokja" || v.last().Action != "reopen" {
		t.Fatalf("after WhatsApp BELUM: %s %+v", v.Status, v.last())
	}
	recordHistory(t, original, "whatsapp_publish_reopen")
	recordHistory(t, dup, "sms_merged_duplicate")
}
