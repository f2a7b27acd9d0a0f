package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/domain"
)

// TestHappyPath walks one complaint from web intake to a published answer, checking after
// every action that the answer and a following read show the new state.
func TestHappyPath(t *testing.T) {
	t.Parallel()
	text := uniqueText(t)
	const name, phone = "Siti Rahmawati Happy", "+62 812 3456 7001"
	code := submitBody(t, map[string]any{
		"text": text, "name": name, "phone": phone, "kecamatan": "simboro", "desa": "botteng",
	}, nil)

	v := view(t, "admin", code)
	checkEvents(t, v)
	if v.Status != "received" || v.Channel != "web" || v.Text != text || v.Name != name || v.Phone != domain.NormalizePhone(phone) ||
		v.Kecamatan != "simboro" || v.Desa != "botteng" || v.Confidential {
		t.Errorf("intake recorded %+v", v)
	}
	if len(v.Events) != 1 || v.Events[0].Action != "submit" || v.Events[0].Actor != "pelapor" ||
		v.Events[0].Role != "complainant" || v.Events[0].Status != "received" {
		t.Errorf("intake events %+v, want one submit by pelapor (complainant)", v.Events)
	}
	// Three working days on the regency's calendar (WITA office hours, weekends and
	// holidays skipped), and the 60-day limit of Perpres 76/2013.
	if want := domain.DefaultCalendar().AddWorking(v.CreatedAt, 3*8*time.Hour); v.Deadline == nil || !v.Deadline.Equal(want) {
		t.Errorf("intake deadline %v for created_at %v, want three working days later: %v", v.Deadline, v.CreatedAt, want)
	}
	if v.OverallDeadline == nil || v.OverallDeadline.Sub(v.CreatedAt) != 60*24*time.Hour {
		t.Errorf("overall deadline %v for created_at %v, want 60 days later", v.OverallDeadline, v.CreatedAt)
	}
	if !slices.Contains(v.AllowedActions, "triage") || slices.Contains(v.AllowedActions, "publish") {
		t.Errorf("admin's allowed actions in received: %v", v.AllowedActions)
	}

	const title = "Beras belum tiba di Botteng"
	v = step(t, "admin", code, "triage", map[string]any{
		"pokja": "logistik", "category": "bantuan_logistik", "priority": "high", "title": title,
		"note": "Mohon dicek daftar penerima.",
	}, domain.StatusAtPokja)
	if v.Pokja != "logistik" || v.Category != "bantuan_logistik" || v.Priority != "high" || v.Title != title {
		t.Errorf("after triage: pokja %q category %q priority %q title %q", v.Pokja, v.Category, v.Priority, v.Title)
	}
	if v.last().Note != "Mohon dicek daftar penerima." {
		t.Errorf("triage note %q", v.last().Note)
	}
	pv := view(t, "pokja-logistik", code)
	if pv.Name != "" || pv.Phone != "" || pv.Text != text {
		t.Errorf("pokja's view: name %q phone %q text %q; want the text without the complainant's identity", pv.Name, pv.Phone, pv.Text)
	}
	for _, a := range []string{"forward", "answer", "return", "note"} {
		if !slices.Contains(pv.AllowedActions, a) {
			t.Errorf("pokja's allowed actions in at_pokja %v lack %s", pv.AllowedActions, a)
		}
	}

	v = step(t, "pokja-logistik", code, "forward", map[string]any{"partner": "ypii", "note": "Mohon distribusi ulang."},
		domain.StatusAtPartner)
	if v.Partner != "ypii" || v.Pokja != "logistik" {
		t.Errorf("after forward: pokja %q partner %q", v.Pokja, v.Partner)
	}

	const partnerText = "Beras 10 kg sudah dikirim ulang pada hari Senin."
	v = step(t, "mitra-ypii", code, "partner_answer", map[string]any{"answer": partnerText}, domain.StatusPokjaReview)
	if v.PartnerAnswer != partnerText {
		t.Errorf("partner_answer %q", v.PartnerAnswer)
	}

	v = step(t, "pokja-logistik", code, "approve", map[string]any{}, domain.StatusReadyToPublish)
	if v.Answer != partnerText {
		t.Errorf("approve without an edit: answer %q, want the partner's %q", v.Answer, partnerText)
	}

	const publicTitle, publicAnswer = "Bantuan beras di Botteng", "Bantuan beras telah dikirim ulang kepada warga."
	v = step(t, "admin", code, "publish", map[string]any{"public_title": publicTitle, "public_answer": publicAnswer},
		domain.StatusPublished)
	if v.PublicTitle != publicTitle || v.PublicAnswer != publicAnswer || v.PublishedAt == nil {
		t.Errorf("after publish: %q %q %v", v.PublicTitle, v.PublicAnswer, v.PublishedAt)
	}
	if len(v.Events) != 6 {
		t.Errorf("want 6 events (submit and five actions), got %+v", v.Events)
	}
	wantActions := []string{"submit", "triage", "forward", "partner_answer", "approve", "publish"}
	for i, e := range v.Events {
		if i < len(wantActions) && e.Action != wantActions[i] {
			t.Errorf("event %d is %s, want %s", i+1, e.Action, wantActions[i])
		}
	}

	// The public sees the answer.
	r := do(t, "GET", "/api/v1/publications", "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("publications: %s", r)
	}
	var list struct {
		Items []struct {
			Code        string    `json:"code"`
			Title       string    `json:"title"`
			Answer      string    `json:"answer"`
			PublishedAt time.Time `json:"published_at"`
		} `json:"items"`
		Total int `json:"total"`
	}
	r.decode(t, &list)
	found := false
	for i, it := range list.Items {
		if it.Code == code {
			found = true
			if it.Title != publicTitle || it.Answer != publicAnswer {
				t.Errorf("publication in list: %+v", it)
			}
		}
		if i > 0 && it.PublishedAt.After(list.Items[i-1].PublishedAt) {
			t.Errorf("publications not newest first: %v after %v", it.PublishedAt, list.Items[i-1].PublishedAt)
		}
	}
	if !found || list.Total < 1 {
		t.Errorf("publications list (total %d) lacks %s", list.Total, code)
	}
	if codes := listCodes(t, "", "/api/v1/publications?q="+code); !codes[code] {
		t.Errorf("publications?q=%s lacks it", code)
	}
	if codes := listCodes(t, "", "/api/v1/publications?kecamatan=tapalang-barat"); codes[code] {
		t.Errorf("publications?kecamatan=tapalang-barat lists %s from simboro", code)
	}

	r = do(t, "GET", "/api/v1/publications/"+code, "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("publication %s: %s", code, r)
	}
	pub := r.object(t)
	if pub["code"] != code || pub["title"] != publicTitle || pub["answer"] != publicAnswer ||
		pub["kecamatan"] != "simboro" || pub["category"] != "bantuan_logistik" {
		t.Errorf("publication %s", r.Raw)
	}

	tr := tracking(t, code)
	if tr.Status != "published" || tr.StatusLabel != "Dijawab dan diterbitkan" || tr.Answer == nil ||
		tr.Answer.Title != publicTitle || tr.Answer.Text != publicAnswer {
		t.Errorf("tracking view after publish: %+v", tr)
	}
	wantTimeline := []string{"received", "at_pokja", "at_partner", "pokja_review", "ready_to_publish", "published"}
	if got := timelineStatuses(tr); !slices.Equal(got, wantTimeline) {
		t.Errorf("timeline %v, want %v", got, wantTimeline)
	}

	recordHistory(t, code, "announce_queued_happy_path")
}

// trackingView is the public tracking view.
type trackingView struct {
	Code        string     `json:"code"`
	Status      string     `json:"status"`
	StatusLabel string     `json:"status_label"`
	CreatedAt   time.Time  `json:"created_at"`
	Deadline    *time.Time `json:"deadline"`
	Question    string     `json:"question"`
	Timeline    []struct {
		At          time.Time `json:"at"`
		Status      string    `json:"status"`
		StatusLabel string    `json:"status_label"`
	} `json:"timeline"`
	Answer *struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"answer"`
}

func tracking(t testing.TB, code string) trackingView {
	t.Helper()
	r := do(t, "GET", "/api/v1/complaints/"+code, "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("tracking %s: %s", code, r)
	}
	var v trackingView
	r.decode(t, &v)
	if v.Code != code {
		t.Errorf("tracking view of %s shows code %q", code, v.Code)
	}
	return v
}

func timelineStatuses(v trackingView) []string {
	var out []string
	for _, e := range v.Timeline {
		out = append(out, e.Status)
	}
	return out
}

// TestRequestInfoLoop: the admin asks, the complainant answers on the tracking endpoint,
// and the complaint is back with the admin.
func TestRequestInfoLoop(t *testing.T) {
	t.Parallel()
	code := submit(t, uniqueText(t))
	const question = "Di dusun mana Bapak/Ibu tinggal?"
	v := step(t, "admin", code, "request_info", map[string]any{"question": question}, domain.StatusAwaitingInfo)
	if v.Question != question {
		t.Errorf("staff view question %q", v.Question)
	}
	tr := tracking(t, code)
	if tr.Status != "awaiting_info" || tr.StatusLabel != "Menunggu informasi pelapor" || tr.Question != question {
		t.Errorf("tracking view while awaiting info: %+v", tr)
	}

	// An empty reply is refused before anything happens.
	r := do(t, "POST", "/api/v1/complaints/"+code+"/info", "", map[string]any{"text": "   "}, nil)
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "text")

	const reply = "Kami tinggal di Dusun Botteng Utara, RT 02."
	r = do(t, "POST", "/api/v1/complaints/"+code+"/info", "", map[string]any{"text": reply}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("info reply: %s", r)
	}
	var after trackingView
	r.decode(t, &after)
	if after.Status != "received" || after.Question != "" {
		t.Errorf("info reply answered %+v, want status received without the question", after)
	}
	v = view(t, "admin", code)
	checkEvents(t, v)
	if e := v.last(); v.Status != "received" || e.Action != "info" || e.Actor != "pelapor" || e.Role != "complainant" {
		t.Errorf("after the reply: status %s, last event %+v", v.Status, e)
	}
	// The reply is kept in PostgreSQL as the complainant's message; the audit trail (and
	// so Temporal) refers to it by id only.
	if m := v.lastMessage(); m.Text != reply || m.Channel != "web" || !strings.Contains(v.last().Note, fmt.Sprintf("#%d", m.ID)) {
		t.Errorf("reply message %+v, event note %q", m, v.last().Note)
	}
	if v.Question != "" {
		t.Errorf("question %q still set after the reply", v.Question)
	}

	// The same reply again (a retry whose answer was lost) is the same reply, taken once
	// (issue 14); another reply finds nobody waiting.
	r = do(t, "POST", "/api/v1/complaints/"+code+"/info", "", map[string]any{"text": reply}, nil)
	if again := view(t, "admin", code); r.Status != http.StatusOK || len(again.Messages) != len(v.Messages) {
		t.Errorf("the same reply again: %s, messages %d, want %d", r, len(again.Messages), len(v.Messages))
	}
	r = do(t, "POST", "/api/v1/complaints/"+code+"/info", "", map[string]any{"text": "Satu lagi: dekat masjid."}, nil)
	wantError(t, r, http.StatusConflict, "invalid_transition")

	triage(t, code, "logistik", "bantuan_logistik")
}

// TestRejection covers reject (also from awaiting_info), its reasons and duplicate_of, and
// that a rejected complaint takes no further action.
func TestRejection(t *testing.T) {
	t.Parallel()
	// Asked, answered, then rejected as spam: the "request_info_reject" history.
	spam := submit(t, uniqueText(t))
	step(t, "admin", spam, "request_info", map[string]any{"question": "Apa maksud pesan ini?"}, domain.StatusAwaitingInfo)
	r := do(t, "POST", "/api/v1/complaints/"+spam+"/info", "", map[string]any{"text": "Hanya iseng mencoba aplikasi."}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("info reply: %s", r)
	}
	v := step(t, "admin", spam, "reject", map[string]any{"reason": "spam", "note": "Pesan uji coba, bukan aduan."},
		domain.StatusRejected)
	if v.RejectReason != "spam" || v.last().Note != "Pesan uji coba, bukan aduan." {
		t.Errorf("after reject: reason %q, last event %+v", v.RejectReason, v.last())
	}
	if len(v.AllowedActions) != 1 || v.AllowedActions[0] != "note" {
		t.Errorf("admin's allowed actions on a rejected complaint: %v, want only note", v.AllowedActions)
	}
	n := len(v.Events)
	r = act(t, "admin", spam, "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal", "title": "x"})
	wantError(t, r, http.StatusConflict, "invalid_transition")
	r = act(t, "admin", spam, "reject", map[string]any{"reason": "spam", "note": "lagi"})
	wantError(t, r, http.StatusConflict, "invalid_transition")
	if got := view(t, "admin", spam); len(withoutQuestionFate(got.Events)) != n || got.Status != "rejected" {
		t.Errorf("refused actions changed the complaint: %d→%d events, status %s", n, len(got.Events), got.Status)
	}
	if tr := tracking(t, spam); tr.Status != "rejected" || tr.Deadline != nil {
		t.Errorf("tracking view of a rejected complaint: %+v", tr)
	}
	recordHistory(t, spam, "request_info_reject")

	// Rejected straight from awaiting_info.
	silent := submit(t, uniqueText(t))
	step(t, "admin", silent, "request_info", map[string]any{"question": "Mohon lengkapi alamat."}, domain.StatusAwaitingInfo)
	step(t, "admin", silent, "reject", map[string]any{"reason": "out_of_scope", "note": "Di luar wilayah."}, domain.StatusRejected)

	// A duplicate names the original (a lower-case code is normalised).
	dup := submit(t, uniqueText(t))
	r = act(t, "admin", dup, "reject", map[string]any{"reason": "duplicate", "duplicate_of": dup, "note": "diri sendiri"})
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "duplicate_of")
	r = act(t, "admin", dup, "reject", map[string]any{"reason": "duplicate", "duplicate_of": "bukan-kode", "note": "x"})
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "duplicate_of")
	v = step(t, "admin", dup, "reject", map[string]any{"reason": "duplicate", "duplicate_of": strings.ToLower(spam),
		"note": "Sama dengan aduan sebelumnya."}, domain.StatusRejected)
	if v.RejectReason != "duplicate" || v.DuplicateOf != spam {
		t.Errorf("duplicate reject: reason %q duplicate_of %q, want duplicate of %s", v.RejectReason, v.DuplicateOf, spam)
	}

	// Unknown reason, and a reject without its note.
	bogus := submit(t, uniqueText(t))
	r = act(t, "admin", bogus, "reject", map[string]any{"reason": "bogus", "note": "x"})
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "reason")
	r = act(t, "admin", bogus, "reject", map[string]any{"reason": "spam"})
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "note")
	if got := view(t, "admin", bogus); got.Status != "received" || len(got.Events) != 1 {
		t.Errorf("invalid rejects changed the complaint: %s, %d events", got.Status, len(got.Events))
	}
}

// TestDeclineAndSendBack: a partner declines, the pokja forwards to another partner, sends
// the answer back once, then approves it with an edit.
func TestDeclineAndSendBack(t *testing.T) {
	t.Parallel()
	code := newAtPartner(t)

	v := step(t, "mitra-ypii", code, "decline", map[string]any{"note": "Bukan wilayah kerja YPII."}, domain.StatusAtPokja)
	if v.Partner != "" || v.Pokja != "logistik" {
		t.Errorf("after decline: pokja %q partner %q, want logistik and no partner", v.Pokja, v.Partner)
	}
	if _, r := viewAs(t, "mitra-ypii", code); r.Status != http.StatusForbidden {
		t.Errorf("declining partner still reads the complaint: %s", r)
	}

	forward(t, code, "pokja-logistik", "pmi")
	partnerAnswer(t, code, "mitra-pmi", "Sudah kami cek, bantuan tertunda.")
	v = step(t, "pokja-logistik", code, "send_back", map[string]any{"note": "Mohon sebutkan tanggal pengiriman."},
		domain.StatusAtPartner)
	if v.Partner != "pmi" {
		t.Errorf("after send_back: partner %q, want pmi", v.Partner)
	}
	const second = "Bantuan dikirim tanggal 12, diterima 40 KK."
	v = partnerAnswer(t, code, "mitra-pmi", second)
	if v.PartnerAnswer != second {
		t.Errorf("second partner answer %q", v.PartnerAnswer)
	}
	const edited = "Bantuan telah dikirim pada tanggal 12 dan diterima 40 KK."
	v = step(t, "pokja-logistik", code, "approve", map[string]any{"answer": edited}, domain.StatusReadyToPublish)
	if v.Answer != edited || v.PartnerAnswer != second {
		t.Errorf("approve with an edit: answer %q partner_answer %q", v.Answer, v.PartnerAnswer)
	}
	want := []string{"submit", "triage", "forward", "decline", "forward", "partner_answer", "send_back", "partner_answer", "approve"}
	var got []string
	for _, e := range v.Events {
		got = append(got, e.Action)
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit trail %v, want %v", got, want)
	}
	recordHistory(t, code, "decline_send_back")
}

// TestReturnToAdmin: a pokja returns a complaint that is not theirs; the admin triages it
// to another pokja and the first one loses access.
func TestReturnToAdmin(t *testing.T) {
	t.Parallel()
	code := newAtPokja(t)
	v := step(t, "pokja-logistik", code, "return", map[string]any{"note": "Ini soal hunian, bukan logistik."},
		domain.StatusReceived)
	if v.Pokja != "" || v.Partner != "" {
		t.Errorf("after return: pokja %q partner %q, want none", v.Pokja, v.Partner)
	}
	v = step(t, "admin", code, "triage", map[string]any{"pokja": "hunian", "category": "hunian", "priority": "normal",
		"title": "Rumah rusak"}, domain.StatusAtPokja)
	if v.Pokja != "hunian" || v.Category != "hunian" {
		t.Errorf("after the second triage: pokja %q category %q", v.Pokja, v.Category)
	}
	n := len(v.Events)

	if _, r := viewAs(t, "pokja-logistik", code); r.Status != http.StatusForbidden {
		t.Errorf("former pokja reads the staff view: %s", r)
	} else {
		wantError(t, r, http.StatusForbidden, "forbidden")
	}
	for action, body := range map[string]any{
		"forward": map[string]any{"partner": "ypii", "note": "x"},
		"answer":  map[string]any{"answer": "x"},
		"return":  map[string]any{"note": "x"},
		"note":    map[string]any{"note": "x"},
	} {
		wantError(t, act(t, "pokja-logistik", code, action, body), http.StatusForbidden, "forbidden")
	}
	if codes := listCodes(t, "pokja-logistik", "/api/v1/staff/complaints?q="+code); codes[code] {
		t.Errorf("former pokja still finds %s in search", code)
	}
	if got := view(t, "pokja-hunian", code); got.Status != "at_pokja" || len(got.Events) != n {
		t.Errorf("refused actions changed the complaint: %s, %d→%d events", got.Status, n, len(got.Events))
	}
}

// TestReassignExtendNote covers the supervisor's tools and internal notes.
func TestReassignExtendNote(t *testing.T) {
	t.Parallel()
	code := newAtPokja(t)

	wantError(t, act(t, "pokja-logistik", code, "reassign", map[string]any{"pokja": "hunian", "note": "x"}),
		http.StatusForbidden, "forbidden")
	wantError(t, act(t, "mitra-ypii", code, "reassign", map[string]any{"pokja": "hunian", "note": "x"}),
		http.StatusForbidden, "forbidden")
	// No partner yet: nothing to replace.
	wantError(t, act(t, "admin", code, "reassign", map[string]any{"partner": "pmi", "note": "x"}),
		http.StatusConflict, "invalid_transition")
	wantFields(t, wantError(t, act(t, "admin", code, "reassign", map[string]any{"note": "x"}),
		http.StatusBadRequest, "invalid"), "pokja")
	wantFields(t, wantError(t, act(t, "admin", code, "reassign", map[string]any{"pokja": "nope", "note": "x"}),
		http.StatusBadRequest, "invalid"), "pokja")

	v := step(t, "admin", code, "reassign", map[string]any{"pokja": "hunian", "note": "Beban kerja logistik penuh."},
		domain.StatusAtPokja)
	if v.Pokja != "hunian" {
		t.Errorf("after reassign: pokja %q", v.Pokja)
	}
	if _, r := viewAs(t, "pokja-logistik", code); r.Status != http.StatusForbidden {
		t.Errorf("pokja reassigned away still reads: %s", r)
	}
	view(t, "pokja-hunian", code)

	forward(t, code, "pokja-hunian", "ypii")
	v = step(t, "supervisor", code, "reassign", map[string]any{"partner": "pmi", "note": "YPII tidak menjangkau desa ini."},
		domain.StatusAtPartner)
	if v.Partner != "pmi" || v.Pokja != "hunian" {
		t.Errorf("after partner reassign: pokja %q partner %q", v.Pokja, v.Partner)
	}
	wantError(t, act(t, "mitra-ypii", code, "note", map[string]any{"note": "masih ada?"}), http.StatusForbidden, "forbidden")

	// Extend: the supervisor only, to a time in the future.
	until := time.Now().Add(72 * time.Hour).Truncate(time.Second).In(domain.ZoneAt(8))
	wantError(t, act(t, "admin", code, "extend", map[string]any{"until": until.Format(time.RFC3339), "note": "x"}),
		http.StatusForbidden, "forbidden")
	wantFields(t, wantError(t, act(t, "supervisor", code, "extend", map[string]any{
		"until": time.Now().Add(-time.Hour).Format(time.RFC3339), "note": "x"}), http.StatusBadRequest, "invalid"), "until")
	wantFields(t, wantError(t, act(t, "supervisor", code, "extend", map[string]any{"until": "besok", "note": "x"}),
		http.StatusBadRequest, "invalid"), "until")
	v = step(t, "supervisor", code, "extend", map[string]any{"until": until.Format(time.RFC3339), "note": "Akses jalan terputus."},
		domain.StatusAtPartner)
	if v.Deadline == nil || !v.Deadline.Equal(until) {
		t.Errorf("after extend: deadline %v, want %v", v.Deadline, until)
	}
	if tr := tracking(t, code); tr.Deadline == nil || !tr.Deadline.Equal(until) {
		t.Errorf("tracking deadline %v, want %v", tr.Deadline, until)
	}

	// Notes: everyone who sees the complaint, and nothing else changes.
	for _, user := range []string{"admin", "supervisor", "pokja-hunian", "mitra-pmi"} {
		note := "Catatan internal dari " + user + "."
		v = step(t, user, code, "note", map[string]any{"note": note}, domain.StatusAtPartner)
		if v.last().Note != note || v.Partner != "pmi" || v.Deadline == nil || !v.Deadline.Equal(until) {
			t.Errorf("note by %s: last event %+v, partner %q, deadline %v", user, v.last(), v.Partner, v.Deadline)
		}
	}
	for _, user := range []string{"pokja-logistik", "mitra-ypii"} {
		wantError(t, act(t, user, code, "note", map[string]any{"note": "x"}), http.StatusForbidden, "forbidden")
	}
}

// TestStaffRegistration: an admin records a complaint taken by phone.
func TestStaffRegistration(t *testing.T) {
	t.Parallel()
	text := uniqueText(t)
	r := do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{
		"channel": "phone", "text": text, "name": "Pak Darwis", "phone": "081299990001",
		"kecamatan": "Tapalang Barat", "desa": "Dungkait", "category": "hunian",
	}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("staff registration: %s", r)
	}
	var v staffView
	r.decode(t, &v)
	if !codePattern.MatchString(v.Code) || v.Status != "received" || v.Channel != "phone" || v.TakenBy != "admin" ||
		v.Text != text || v.Name != "Pak Darwis" || v.Kecamatan != "tapalang-barat" || v.Desa != "dungkait" ||
		v.ReportedCategory != "hunian" {
		t.Errorf("registered complaint: %s", r.Raw)
	}
	if len(v.Events) != 1 || v.Events[0].Actor != "admin" || v.Events[0].Role != "admin" || v.Events[0].Action != "submit" {
		t.Errorf("registered complaint's events: %+v", v.Events)
	}
	again := view(t, "admin", v.Code)
	if again.TakenBy != "admin" || again.Channel != "phone" {
		t.Errorf("read back: taken_by %q channel %q", again.TakenBy, again.Channel)
	}
	// Its workflow runs: it can be triaged.
	triage(t, v.Code, "hunian", "hunian")

	r = do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{"channel": "web", "text": text}, nil)
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "channel")
	r = do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{"text": text}, nil)
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "channel")
	for _, user := range []string{"pokja-logistik", "mitra-ypii", "supervisor"} {
		r = do(t, "POST", "/api/v1/staff/complaints", user, map[string]any{"channel": "desk", "text": text}, nil)
		wantError(t, r, http.StatusForbidden, "forbidden")
	}
}

// TestConcurrentConflictingActions: two admins triage the same complaint at once; exactly
// one wins and exactly one triage is recorded.
func TestConcurrentConflictingActions(t *testing.T) {
	t.Parallel()
	code := submit(t, uniqueText(t))
	pokja := []string{"logistik", "hunian"}
	statuses := make([]int, len(pokja))
	var wg sync.WaitGroup
	for i, p := range pokja {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := act(t, "admin", code, "triage", map[string]any{"pokja": p, "category": "lainnya", "priority": "normal", "title": "Balapan " + p})
			statuses[i] = r.Status
		}()
	}
	wg.Wait()
	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{http.StatusOK, http.StatusConflict}) {
		t.Errorf("concurrent triages answered %v, want one 200 and one 409", statuses)
	}
	v := view(t, "admin", code)
	checkEvents(t, v)
	triages := 0
	for _, e := range v.Events {
		if e.Action == "triage" {
			triages++
		}
	}
	if triages != 1 || v.Status != "at_pokja" || !slices.Contains(pokja, v.Pokja) || v.Title != "Balapan "+v.Pokja {
		t.Errorf("after the race: %d triage events, status %s, pokja %q, title %q", triages, v.Status, v.Pokja, v.Title)
	}
}
