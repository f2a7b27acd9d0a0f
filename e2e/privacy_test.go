package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"aduan/domain"
)

// assertAbsent fails for every secret found in text.
func assertAbsent(t testing.TB, where, text string, secrets map[string]string) {
	t.Helper()
	for what, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s contains the %s %q", where, what, s)
		}
	}
}

// protoTexts renders a message both ways a secret could hide in it: the binary wire form
// (payload bytes appear verbatim) and protojson (which base64-encodes bytes fields, so it
// alone would miss them).
func protoTexts(t testing.TB, m proto.Message) string {
	t.Helper()
	bin, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	js, err := protojson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(bin) + "\n" + string(js)
}

// TestTemporalVisibilityWithoutPersonalData: the complaint's workflow is findable by its
// search attributes, and nothing Temporal stores about it (ID, search attributes, summary,
// details, history) holds the complainant's name, phone, e-mail or text.
func TestTemporalVisibilityWithoutPersonalData(t *testing.T) {
	t.Parallel()
	const name, phone, email = "Nurhayati Binti Usman", "+62 813 5555 0123", "nurhayati.usman@example.org"
	text := uniqueText(t)
	code := submitBody(t, map[string]any{"text": text, "name": name, "phone": phone, "email": email,
		"kecamatan": "tapalang-barat", "desa": "dungkait"}, nil)
	// The number is kept in one form (country code, digits), so WhatsApp and SMS find it.
	if v := view(t, "admin", code); v.Name != name || v.Phone != domain.NormalizePhone(phone) || v.Email != email {
		t.Fatalf("intake did not keep the identity for the admin: %q %q %q", v.Name, v.Phone, v.Email)
	}
	triage(t, code, "logistik", "bantuan_logistik")
	forward(t, code, "pokja-logistik", "ypii")
	step(t, "admin", code, "note", map[string]any{"note": "Pelapor sudah dihubungi kembali."}, domain.StatusAtPartner)
	secrets := map[string]string{"name": name, "phone": phone, "phone (stored form)": domain.NormalizePhone(phone),
		"e-mail": email, "complaint text": text}

	wid := domain.WorkflowID(code)
	if wid != "complaint/"+code {
		t.Errorf("workflow ID %q", wid)
	}
	assertAbsent(t, "the workflow ID", wid, secrets)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	query := "AduanStatus='at_partner' AND AduanPartner='ypii'"
	var listed *workflowservice.ListWorkflowExecutionsResponse
	found := eventually(10*time.Second, func() bool {
		var token []byte
		for {
			res, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
				Namespace: "default", Query: query, NextPageToken: token})
			if err != nil {
				t.Logf("list workflows: %v", err)
				return false
			}
			for _, ex := range res.Executions {
				if ex.GetExecution().GetWorkflowId() == wid {
					listed = res
					return true
				}
			}
			if token = res.NextPageToken; len(token) == 0 {
				return false
			}
		}
	})
	if !found {
		t.Fatalf("visibility query %q did not list %s within 10 s", query, wid)
	}
	assertAbsent(t, "the visibility listing", protoTexts(t, listed), secrets)
	// Other values do not match.
	res, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: "default",
		Query: "AduanPartner='pmi' AND WorkflowId='" + wid + "'"})
	if err != nil || len(res.Executions) != 0 {
		t.Errorf("AduanPartner='pmi' lists %s (err %v)", wid, err)
	}

	described, err := tc.DescribeWorkflow(ctx, wid, "")
	if err != nil {
		t.Fatalf("describe %s: %v", wid, err)
	}
	desc := described.RawResponse
	assertAbsent(t, "DescribeWorkflowExecution", protoTexts(t, desc), secrets)
	dc := e2eDataConverter // the summary is sealed like every payload; search attributes are not
	attrs := map[string]string{}
	for k, p := range desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields() {
		var s string
		if err := dc.FromPayload(p, &s); err == nil {
			attrs[k] = s
		}
	}
	for k, want := range map[string]string{"AduanStatus": "at_partner", "AduanPartner": "ypii", "AduanPokja": "logistik",
		"AduanChannel": "web", "AduanCategory": "bantuan_logistik", "AduanPriority": "high",
		"AduanKecamatan": "tapalang-barat", "AduanDesa": "dungkait"} {
		if attrs[k] != want {
			t.Errorf("search attribute %s = %q, want %q (all: %v)", k, attrs[k], want, attrs)
		}
	}
	var summary string
	if p := desc.GetExecutionConfig().GetUserMetadata().GetSummary(); p == nil {
		t.Errorf("workflow has no static summary")
	} else if err := dc.FromPayload(p, &summary); err != nil {
		t.Errorf("decode summary: %v", err)
	}
	if !strings.Contains(summary, code) || !strings.Contains(summary, "web") {
		t.Errorf("summary %q lacks the code or channel", summary)
	}
	assertAbsent(t, "the summary", summary, secrets)
	if memo := desc.GetWorkflowExecutionInfo().GetMemo(); memo != nil {
		assertAbsent(t, "the memo", protoTexts(t, memo), secrets)
	}

	// What the workflow itself answers: its state and its current details.
	val, err := tc.QueryWorkflow(ctx, wid, "", "state")
	if err != nil {
		t.Fatalf("query state: %v", err)
	}
	var state domain.CaseState
	if err := val.Get(&state); err != nil {
		t.Fatal(err)
	}
	if state.Code != code || state.Status != domain.StatusAtPartner || state.Partner != "ypii" || state.Seq != 4 {
		t.Errorf("workflow state %+v, want at_partner at ypii after 4 events", state)
	}
	raw, _ := json.Marshal(state)
	assertAbsent(t, "the workflow's state", string(raw), secrets)
	val, err = tc.QueryWorkflow(ctx, wid, "", "__temporal_workflow_metadata")
	if err != nil {
		t.Fatalf("query metadata: %v", err)
	}
	var meta sdkpb.WorkflowMetadata
	if err := val.Get(&meta); err != nil {
		t.Fatal(err)
	}
	if d := meta.GetCurrentDetails(); !strings.Contains(d, "at_partner") || !strings.Contains(d, "ypii") {
		t.Errorf("current details %q", d)
	}
	assertAbsent(t, "the workflow metadata", protoTexts(t, &meta), secrets)

	h := decodedHistory(t, code)
	all := protoTexts(t, h)
	for _, e := range h.Events {
		assertAbsent(t, "history event "+e.GetEventType().String(), protoTexts(t, e), secrets)
	}
	// The search above must be able to find things: staff text and the place do appear.
	for _, control := range []string{"Uji bantuan_logistik", "Pelapor sudah dihubungi kembali.", "dungkait", taskQueue} {
		if !strings.Contains(all, control) {
			t.Errorf("history lacks %q; the absence checks above would prove nothing", control)
		}
	}
}

// TestTrackingViewWithoutPersonalData: the public tracking view (and the publication) never
// shows the complainant's identity, internal notes or the partner's own answer.
func TestTrackingViewWithoutPersonalData(t *testing.T) {
	t.Parallel()
	const name, phone, email = "Andi Baso Tracking", "0813 4444 9876", "andi.baso@example.net"
	salt := randomHex(4)
	text := uniqueText(t)
	code := submitBody(t, map[string]any{"text": text, "name": name, "phone": phone, "email": email,
		"kecamatan": "simboro", "desa": "botteng"}, nil)
	secrets := map[string]string{
		"name": name, "phone": phone, "e-mail": email, "complaint text": text,
		"triage note":    "Catatan triase internal " + salt,
		"forward note":   "Catatan penerusan internal " + salt,
		"pokja note":     "Catatan pokja internal " + salt,
		"partner answer": "Jawaban mitra apa adanya " + salt,
		"title":          "Judul internal " + salt,
	}
	step(t, "admin", code, "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal",
		"title": secrets["title"], "note": secrets["triage note"]}, domain.StatusAtPokja)
	step(t, "pokja-logistik", code, "forward", map[string]any{"partner": "ypii", "note": secrets["forward note"]}, domain.StatusAtPartner)
	step(t, "pokja-logistik", code, "note", map[string]any{"note": secrets["pokja note"]}, domain.StatusAtPartner)

	r := do(t, "GET", "/api/v1/complaints/"+code, "", nil, nil)
	assertAbsent(t, "the tracking view at_partner", string(r.Raw), secrets)

	partnerAnswer(t, code, "mitra-ypii", secrets["partner answer"])
	step(t, "pokja-logistik", code, "approve", map[string]any{"answer": "Jawaban akhir pokja."}, domain.StatusReadyToPublish)
	const publicTitle, publicAnswer = "Penyaluran kembali beras", "Beras telah dibagikan kembali."
	step(t, "admin", code, "publish", map[string]any{"public_title": publicTitle, "public_answer": publicAnswer}, domain.StatusPublished)

	r = do(t, "GET", "/api/v1/complaints/"+code, "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("tracking: %s", r)
	}
	assertAbsent(t, "the tracking view", string(r.Raw), secrets)
	var top map[string]json.RawMessage
	r.decode(t, &top)
	allowed := []string{"code", "status", "status_label", "created_at", "deadline", "question", "timeline", "answer"}
	for k := range top {
		if !slices.Contains(allowed, k) {
			t.Errorf("tracking view has field %q", k)
		}
	}
	for _, k := range []string{"code", "status", "status_label", "created_at", "timeline", "answer"} {
		if top[k] == nil {
			t.Errorf("tracking view lacks %q: %s", k, r.Raw)
		}
	}
	var timeline []map[string]any
	if err := json.Unmarshal(top["timeline"], &timeline); err != nil || len(timeline) == 0 {
		t.Fatalf("timeline %s", top["timeline"])
	}
	for _, e := range timeline {
		if len(e) != 3 || e["at"] == nil || e["status"] == nil || e["status_label"] == nil {
			t.Errorf("timeline entry %v, want exactly at, status, status_label", e)
		}
	}
	tr := tracking(t, code)
	if tr.Status != "published" || tr.Answer == nil || tr.Answer.Title != publicTitle || tr.Answer.Text != publicAnswer {
		t.Errorf("tracking view %+v", tr)
	}

	r = do(t, "GET", "/api/v1/publications/"+code, "", nil, nil)
	assertAbsent(t, "the publication", string(r.Raw), secrets)
	r = do(t, "GET", "/api/v1/publications?q="+code, "", nil, nil)
	assertAbsent(t, "the publications list", string(r.Raw), secrets)
}

// confidentialIntake submits a complaint in a sensitive category.
func confidentialIntake(t testing.TB, text, name, phone string) string {
	t.Helper()
	return submitBody(t, map[string]any{"text": text, "name": name, "phone": phone, "category": "perlindungan",
		"kecamatan": "simboro", "desa": "botteng"}, nil)
}

// TestConfidential: a sensitive category makes a complaint confidential for good; only
// admin and supervisor read it in full, and it is never published.
func TestConfidential(t *testing.T) {
	t.Parallel()
	text := "Saya dilecehkan oleh petugas pembagi bantuan, mohon dirahasiakan " + randomHex(4)
	const name, phone = "Korban Rahasia Satu", "+62 811 0000 1111"
	code := confidentialIntake(t, text, name, phone)
	for _, user := range []string{"admin", "supervisor"} {
		v := view(t, user, code)
		if !v.Confidential || v.Text != text || v.Name != name || v.Phone != domain.NormalizePhone(phone) || v.ReportedCategory != "perlindungan" || v.Desa != "botteng" {
			t.Errorf("%s's view of a confidential complaint: %+v", user, v)
		}
	}

	// Triage to a harmless category does not lift confidentiality.
	v := triage(t, code, "logistik", "bantuan_logistik")
	if !v.Confidential || v.Category != "bantuan_logistik" {
		t.Errorf("after triage: confidential %v category %q", v.Confidential, v.Category)
	}
	pv, r := viewAs(t, "pokja-logistik", code)
	if r.Status != http.StatusOK {
		t.Fatalf("assigned pokja cannot read the confidential complaint: %s", r)
	}
	assertAbsent(t, "the pokja's staff view", string(r.Raw), map[string]string{"text": text, "name": name, "phone": phone})
	if !pv.Confidential || pv.Text == "" || pv.Name != "" || pv.Phone != "" || pv.Desa != "" || pv.Title == "" {
		t.Errorf("pokja's view: confidential %v, text %q, name %q, phone %q, desa %q, title %q",
			pv.Confidential, pv.Text, pv.Name, pv.Phone, pv.Desa, pv.Title)
	}
	if slices.Contains(pv.AllowedActions, "publish") {
		t.Errorf("pokja offered publish: %v", pv.AllowedActions)
	}

	v = step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Sudah ditangani secara tertutup."},
		domain.StatusReadyToPublish)
	if slices.Contains(v.AllowedActions, "publish") {
		t.Errorf("admin offered publish of a confidential complaint: %v", v.AllowedActions)
	}
	n := len(v.Events)
	r = act(t, "admin", code, "publish", map[string]any{"public_title": "Judul", "public_answer": "Jawaban"})
	wantError(t, r, http.StatusConflict, "invalid_transition")
	if after := view(t, "admin", code); after.Status != "ready_to_publish" || len(after.Events) != n || after.PublicAnswer != "" {
		t.Errorf("refused publish changed the complaint: %s, %d→%d events", after.Status, n, len(after.Events))
	}
	wantError(t, do(t, "GET", "/api/v1/publications/"+code, "", nil, nil), http.StatusNotFound, "not_found")
	if tr := tracking(t, code); tr.Answer != nil {
		t.Errorf("tracking view of a confidential complaint has an answer: %+v", tr.Answer)
	}
	// Its end: the admin closes it, the answer having gone to the complainant privately.
	if !slices.Contains(v.AllowedActions, "close") {
		t.Errorf("admin not offered close: %v", v.AllowedActions)
	}
	closed := step(t, "admin", code, "close", map[string]any{"note": "Jawaban disampaikan langsung kepada pelapor."}, domain.StatusClosed)
	if closed.PublishedAt != nil {
		t.Errorf("a privately closed complaint has published_at %v", closed.PublishedAt)
	}
	wantError(t, do(t, "GET", "/api/v1/publications/"+code, "", nil, nil), http.StatusNotFound, "not_found")

	// A complaint the admin recognises as sensitive at triage becomes confidential too.
	plain := submit(t, uniqueText(t))
	if v := view(t, "admin", plain); v.Confidential {
		t.Fatalf("plain complaint is confidential")
	}
	if v := triage(t, plain, "logistik", "penyalahgunaan"); !v.Confidential {
		t.Errorf("triage to penyalahgunaan left the complaint public")
	}
	if pv := view(t, "pokja-logistik", plain); !pv.Confidential || strings.Contains(pv.Text, "Aduan uji") {
		t.Errorf("pokja reads the text of a complaint made confidential at triage: %q", pv.Text)
	}
	// The complainant can ask for confidentiality at intake.
	asked := submitBody(t, map[string]any{"text": uniqueText(t), "confidential": true}, nil)
	if v := view(t, "admin", asked); !v.Confidential {
		t.Errorf("confidential: true at intake was ignored")
	}
}

// TestConfidentialInfoReplyWithheld: what the complainant adds to a confidential complaint
// (the reply to request_info) is as confidential as the complaint's text.
func TestConfidentialInfoReplyWithheld(t *testing.T) {
	t.Parallel()
	code := confidentialIntake(t, "Ada kekerasan di pengungsian, mohon dirahasiakan "+randomHex(4), "Korban Rahasia Dua", "081100002222")
	step(t, "admin", code, "request_info", map[string]any{"question": "Di tenda mana kejadiannya?"}, domain.StatusAwaitingInfo)
	reply := "Pelakunya Pak Rahman, tenda nomor 14, nomor saya 0811 0000 2222 " + randomHex(4)
	if r := do(t, "POST", "/api/v1/complaints/"+code+"/info", "", map[string]any{"text": reply}, nil); r.Status != http.StatusOK {
		t.Fatalf("info reply: %s", r)
	}
	v := view(t, "admin", code)
	if v.lastMessage().Text != reply {
		t.Errorf("admin does not see the reply: %+v", v.Messages)
	}
	if strings.Contains(v.last().Note, reply) {
		t.Errorf("the reply is copied into the audit trail: %+v", v.last())
	}
	triage(t, code, "logistik", "perlindungan")
	_, r := viewAs(t, "pokja-logistik", code)
	if r.Status != http.StatusOK {
		t.Fatalf("pokja view: %s", r)
	}
	if strings.Contains(string(r.Raw), reply) {
		t.Errorf("the pokja's staff view of a confidential complaint shows the complainant's reply %q in the audit "+
			"trail (events[].note of the info event), although its text is withheld", reply)
	}
}

// TestConfidentialListsWithhold: the inbox and search show a pokja no more of a
// confidential complaint than its staff view does.
func TestConfidentialListsWithhold(t *testing.T) {
	t.Parallel()
	secretWord := "kata" + randomHex(6)
	code := confidentialIntake(t, "Pelecehan oleh petugas, "+secretWord+", mohon dirahasiakan", "Korban Rahasia Tiga", "081100003333")
	triage(t, code, "logistik", "perlindungan")
	if pv := view(t, "pokja-logistik", code); pv.Desa != "" {
		t.Fatalf("staff view shows the desa of a confidential complaint to the pokja: %q", pv.Desa)
	}
	for _, path := range []string{"/api/v1/staff/tasks", "/api/v1/staff/complaints?q=" + code} {
		r := do(t, "GET", path, "pokja-logistik", nil, nil)
		var out struct {
			Items []staffView `json:"items"`
		}
		r.decode(t, &out)
		seen := false
		for _, it := range out.Items {
			if it.Code == code {
				seen = true
				if it.Desa != "" {
					t.Errorf("GET %s shows the pokja desa %q of confidential %s; its staff view withholds it", path, it.Desa, code)
				}
			}
		}
		if !seen {
			t.Errorf("GET %s as pokja-logistik lacks %s", path, code)
		}
	}
	if got := listCodes(t, "pokja-logistik", "/api/v1/staff/complaints?q="+secretWord); got[code] {
		t.Errorf("pokja's search for a word of the withheld text (%q) finds %s: the search confirms what the view withholds", secretWord, code)
	}
	if got := listCodes(t, "admin", "/api/v1/staff/complaints?q="+secretWord); !got[code] {
		t.Errorf("admin's search for %q lacks %s", secretWord, code)
	}
}
