package rest_test

// Regression tests of issue 14 ("nobody acts in another's name") against the real core,
// with Temporal's client mocks and the strict stand-in store (complaints/storefake), which
// fails like PostgreSQL on a parameter it cannot take.

import (
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"

	"aduan/api"
	"aduan/complaints"
	"aduan/complaints/storefake"
	"aduan/domain"
	"aduan/store"
)

// feedbackToken is the secret of the feedback link in these tests.
const feedbackToken = "Zk3pQm9xT2vB7nLc4rYw1a"

// publishedStore holds one published complaint whose complainant was sent feedbackToken.
func publishedStore() *storefake.Store {
	db := storefake.New()
	db.Put(storefake.Published(code, feedbackToken))
	db.TokenHashes[code] = []string{store.HashToken(feedbackToken)}
	return db
}

// callFrom is call from the client at remote (host:port).
func callFrom(t *testing.T, h http.Handler, remote, method, path, body string, header map[string]string) answer {
	t.Helper()
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = remote
		h.ServeHTTP(w, r)
	})
	return call(t, wrapped, method, path, "", body, header)
}

// page is a GET of an HTML page from the client at remote.
func page(h http.Handler, remote, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// Item 1: feedback needs the token of the complainant's link; the code alone (public
// once published) is refused with 403 and nothing reaches the workflow.
func TestFeedbackNeedsTheComplainantsToken(t *testing.T) {
	db := publishedStore()
	tc := mocks.NewClient(t)
	var sent client.UpdateWorkflowOptions
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		sent = args.Get(1).(client.UpdateWorkflowOptions)
	}).Return(updateAnswering(t, nil), nil).Once()
	h := server(t, db, tc)
	path := "/api/v1/complaints/" + code + "/feedback"
	for _, body := range []string{
		`{"satisfied": true}`,
		`{"satisfied": true, "token": ""}`,
		`{"satisfied": true, "token": "Zk3pQm9xT2vB7nLc4rYwXX"}`,
		`{"satisfied": true, "token": "x"}`,
		`{"satisfied": true, "token": "` + feedbackToken + `\u0000"}`,
	} {
		a := call(t, h, "POST", path, "", body, nil)
		wantError(t, a, http.StatusForbidden, "forbidden")
		if msg := a.body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "tautan") {
			t.Errorf("403 does not say how to give feedback: %q", msg)
		}
	}
	if len(db.Feedbacks) != 0 {
		t.Fatalf("feedback written without the token: %+v", db.Feedbacks)
	}
	a := call(t, h, "POST", path, "", `{"satisfied": true, "token": "`+feedbackToken+`"}`, nil)
	if a.status != http.StatusOK || a.body["code"] != code {
		t.Fatalf("feedback with the token: %d %v", a.status, a.body)
	}
	if len(db.Feedbacks) != 1 || !db.Feedbacks[0].Applied || sent.UpdateName != "feedback" || sent.UpdateID != "feedback:1" {
		t.Errorf("feedback %+v, update %+v", db.Feedbacks, sent)
	}
}

// Item 1: the tracking page of a published code shows no feedback form; the link with
// the complainant's token does, with a CSRF token bound to a cookie; a post without that
// pair changes nothing.
func TestLacakFeedbackFormNeedsTokenAndCSRF(t *testing.T) {
	db := publishedStore()
	h := server(t, db, mocks.NewClient(t))
	w := page(h, "192.0.2.7:1", "/lacak/"+code)
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "<form method=\"post\"") ||
		!strings.Contains(w.Body.String(), "tanggapan-petunjuk") {
		t.Fatalf("/lacak/{code} of a published complaint: %d, form shown or no hint\n%s", w.Code, w.Body)
	}
	if w := page(h, "192.0.2.7:1", "/lacak/"+code+"/tanggapan/Zk3pQm9xT2vB7nLc4rYwXX"); w.Code != http.StatusForbidden ||
		strings.Contains(w.Body.String(), "<form method=\"post\"") {
		t.Fatalf("a wrong token: %d\n%s", w.Code, w.Body)
	}
	w = page(h, "192.0.2.7:1", "/lacak/"+code+"/tanggapan/"+feedbackToken)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `name="token" value="`+feedbackToken+`"`) ||
		w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("the complainant's link: %d %q\n%s", w.Code, w.Header().Get("Cache-Control"), body)
	}
	var cookie *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == "aduan_lacak_csrf" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode ||
		!strings.Contains(body, `name="csrf_token" value="`+cookie.Value+`"`) {
		t.Fatalf("no CSRF cookie matching the form's field: %+v", cookie)
	}
	post := func(form string, withCookie bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/lacak/"+code+"/tanggapan", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if withCookie {
			req.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	good := "puas=ya&token=" + feedbackToken + "&csrf_token=" + cookie.Value
	if w := post(good, false); w.Code != http.StatusForbidden { // another site's post: no cookie
		t.Errorf("post without the CSRF cookie: %d", w.Code)
	}
	if w := post("puas=ya&token="+feedbackToken+"&csrf_token=salah", true); w.Code != http.StatusForbidden {
		t.Errorf("post with a wrong CSRF token: %d", w.Code)
	}
	if w := post("puas=ya&token=Zk3pQm9xT2vB7nLc4rYwXX&csrf_token="+cookie.Value, true); w.Code != http.StatusForbidden {
		t.Errorf("post with a wrong feedback token: %d", w.Code)
	}
	if len(db.Feedbacks) != 0 {
		t.Fatalf("feedback written: %+v", db.Feedbacks)
	}
}

// Item 3: an Idempotency-Key replay is authorised as of now. The partner acted with key
// k-1 while assigned; unassigned since, the same request is refused (403) before Temporal,
// which would answer the known Update from its record without the validator.
func TestReplayedActionIsAuthorisedAsOfNow(t *testing.T) {
	db := storefake.New()
	row := storefake.Published(code, "")
	row.Status, row.PublishedAt = domain.StatusPokjaReview, nil
	row.Partner = sql.NullString{String: "pmi", Valid: true} // reassigned away from ypii
	db.Put(row)
	tc := mocks.NewClient(t)
	known := mocks.NewWorkflowUpdateHandle(t) // the Update as Temporal recorded it
	known.On("Get", mock.Anything, mock.Anything).Return(nil).Maybe()
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(known, nil).Maybe()
	h := server(t, db, tc)
	a := call(t, h, "POST", "/api/v1/staff/complaints/"+code+"/actions/partner_answer", "tok-mitra",
		`{"answer":"Beras sudah kami salurkan"}`, map[string]string{"Idempotency-Key": "k-1"})
	wantError(t, a, http.StatusForbidden, "forbidden")
	if _, leaked := a.body["text"]; leaked {
		t.Errorf("the replay leaked the staff view: %v", a.body)
	}
	tc.AssertNotCalled(t, "UpdateWorkflow", mock.Anything, mock.Anything)
}

// Item 4: a public intake key is tied to its body and scoped to its client.
func TestIntakeKeyIsTiedToItsBodyAndClient(t *testing.T) {
	db := storefake.New()
	h := server(t, db, mocks.NewClient(t))
	first := `{"text":"Air bersih di pengungsian habis sejak kemarin","phone":"081234567890"}`
	other := `{"text":"Tenda di posko Desa Bebanga bocor semua"}`
	key := map[string]string{"Idempotency-Key": "k-1"}
	a := callFrom(t, h, "10.0.0.1:1111", "POST", "/api/v1/complaints", first, key)
	if a.status != http.StatusCreated {
		t.Fatalf("first: %d %v", a.status, a.body)
	}
	code1 := a.body["code"]
	if a := callFrom(t, h, "10.0.0.1:2222", "POST", "/api/v1/complaints", first, key); a.status != http.StatusCreated || a.body["code"] != code1 {
		t.Fatalf("retry: %d %v, want %v", a.status, a.body, code1)
	}
	fields := wantError(t, callFrom(t, h, "10.0.0.1:1111", "POST", "/api/v1/complaints", other, key),
		http.StatusUnprocessableEntity, "idempotency_key_reused")
	if fields["Idempotency-Key"] == nil {
		t.Errorf("422 does not name the key: %v", fields)
	}
	a = callFrom(t, h, "10.0.0.2:1111", "POST", "/api/v1/complaints", other, key)
	if a.status != http.StatusCreated || a.body["code"] == code1 {
		t.Fatalf("another client's same key: %d %v (first was %v)", a.status, a.body, code1)
	}
}

// Item 6: a client guessing codes is held back; a complainant's own code never waits.
func TestCodeLookupsAreLimited(t *testing.T) {
	db := storefake.New()
	db.Put(storefake.Published(code, ""))
	core := complaints.New(db, mocks.NewClient(t), complaints.Config{LookupMissesPerMinute: 1, LookupMissBurst: 3})
	h := api.New(core, api.Options{})
	const guesser, other = "198.51.100.9:1", "198.51.100.10:1"
	for i := 0; i < 10; i++ {
		if a := callFrom(t, h, guesser, "GET", "/api/v1/complaints/"+code, "", nil); a.status != http.StatusOK {
			t.Fatalf("own code, lookup %d: %d", i, a.status)
		}
	}
	for _, guess := range []string{"ADU-2222-2221", "ADU-2222-2222", "ADU-2222-2223"} {
		wantError(t, callFrom(t, h, guesser, "GET", "/api/v1/complaints/"+guess, "", nil), http.StatusNotFound, "not_found")
	}
	a := callFrom(t, h, guesser, "GET", "/api/v1/complaints/ADU-2222-2224", "", nil)
	wantError(t, a, http.StatusTooManyRequests, "rate_limited")
	if a.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Spent, the guesser learns nothing more: not even which codes exist.
	wantError(t, callFrom(t, h, guesser, "GET", "/api/v1/complaints/"+code, "", nil), http.StatusTooManyRequests, "rate_limited")
	for _, path := range []string{"/lacak/ADU-2222-2225", "/lapor/terkirim/ADU-2222-2225", "/lacak/" + code + "/tanggapan/" + feedbackToken} {
		if w := page(h, guesser, path); w.Code != http.StatusTooManyRequests {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
	if a := callFrom(t, h, other, "GET", "/api/v1/complaints/"+code, "", nil); a.status != http.StatusOK {
		t.Errorf("another client: %d", a.status)
	}
}

// Item 7: a NUL byte, invalid UTF-8 or an absurd page never reaches the database (the
// stand-in fails like PostgreSQL, which the core would answer with 503): free text is
// cleaned, identifiers and keys are refused with 400.
func TestBadInputIsRefusedBeforeTheDatabase(t *testing.T) {
	db := storefake.New()
	row := storefake.Published(code, "")
	row.Status, row.PublishedAt = domain.StatusAtPokja, nil
	db.Put(row)
	db.Trails[code] = append(db.Trails[code], store.Event{Seq: 2, Action: "request_info", Status: domain.StatusAwaitingInfo})
	h := server(t, db, mocks.NewClient(t)) // any Update fails the test
	for _, tc := range []struct {
		path  string
		user  string
		field string // "" : cleaned, 200
	}{
		{"/api/v1/staff/complaints?q=beras%00", "tok-admin", ""},
		{"/api/v1/staff/complaints?q=%ff%fe", "tok-admin", ""},
		{"/api/v1/staff/complaints?pokja=log%00istik", "tok-admin", "pokja"},
		{"/api/v1/staff/complaints?partner=%ff", "tok-admin", "partner"},
		{"/api/v1/staff/complaints?kecamatan=%c3%28", "tok-admin", "kecamatan"},
		{"/api/v1/staff/complaints?page=9223372036854775807", "tok-admin", "page"},
		{"/api/v1/staff/notifications?page=9223372036854775807", "tok-admin", "page"},
		{"/api/v1/publications?q=%00", "", ""},
		{"/api/v1/publications?kecamatan=%00", "", "kecamatan"},
		{"/api/v1/publications?category=%ff", "", "category"},
		{"/api/v1/publications?page=9223372036854775807", "", "page"},
	} {
		a := call(t, h, "GET", tc.path, tc.user, "", nil)
		if tc.field == "" {
			if a.status != http.StatusOK {
				t.Errorf("%s: %d %v", tc.path, a.status, a.body)
			}
			continue
		}
		if fields := wantError(t, a, http.StatusBadRequest, "invalid"); fields[tc.field] == nil {
			t.Errorf("%s: fields %v", tc.path, fields)
		}
	}
	if w := page(h, "192.0.2.1:1", "/publik?page=9223372036854775807"); w.Code != http.StatusBadRequest {
		t.Errorf("/publik with a huge page: %d", w.Code)
	}
	if w := page(h, "192.0.2.1:1", "/publik?q=%00%ff"); w.Code != http.StatusOK {
		t.Errorf("/publik with a NUL: %d", w.Code)
	}
	for _, key := range []string{"k\x00", "\xff\xfe", "kunci\nbaru", strings.Repeat("k", 201)} {
		hk := map[string]string{"Idempotency-Key": key}
		for _, r := range []struct{ path, user, body string }{
			{"/api/v1/complaints", "", `{"text":"Air bersih di pengungsian habis sejak kemarin"}`},
			{"/api/v1/staff/complaints/" + code + "/actions/note", "tok-admin", `{"note":"catatan"}`},
			{"/api/v1/staff/complaints", "tok-admin", `{"channel":"phone","text":"Air bersih di pengungsian habis"}`},
			{"/api/v1/complaints/" + code + "/info", "", `{"text":"Di dusun Botteng"}`},
		} {
			a := call(t, h, "POST", r.path, r.user, r.body, hk)
			if a.status != http.StatusBadRequest {
				t.Fatalf("%s with key %q: %d %v", r.path, key, a.status, a.body)
			}
			if fields := wantError(t, a, http.StatusBadRequest, "invalid"); fields["Idempotency-Key"] == nil {
				t.Errorf("%s with key %q: fields %v", r.path, key, fields)
			}
		}
	}
	for _, body := range []string{`{"pokja":"log\u0000istik","category":"bantuan_logistik","priority":"high","title":"Beras"}`,
		`{"pokja":"logistik","category":"bantuan\u0000","priority":"high","title":"Beras"}`} {
		a := call(t, h, "POST", "/api/v1/staff/complaints/"+code+"/actions/triage", "tok-admin", body, nil)
		wantError(t, a, http.StatusBadRequest, "invalid")
	}
	a := call(t, h, "POST", "/api/v1/staff/complaints/"+code+"/actions/reassign", "tok-admin",
		`{"partner":"\u0000","note":"x"}`, nil)
	if fields := wantError(t, a, http.StatusBadRequest, "invalid"); fields["partner"] == nil {
		t.Errorf("reassign to a NUL partner: %v", fields)
	}
}

// Item 8: /readyz tells the public whether each dependency answers, never why not.
func TestReadyzTellsNoDetail(t *testing.T) {
	db := storefake.New()
	db.Down = true
	tc := mocks.NewClient(t)
	tc.On("CheckHealth", mock.Anything, mock.Anything).
		Return((*client.CheckHealthResponse)(nil), errors.New("dial 10.9.8.7:7233: x509: certificate signed by unknown authority"))
	w := page(server(t, db, tc), "192.0.2.1:1", "/readyz")
	body := w.Body.String()
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(body, `"postgres":"unavailable"`) ||
		!strings.Contains(body, `"temporal":"unavailable"`) {
		t.Fatalf("readyz: %d %s", w.Code, body)
	}
	for _, secret := range []string{"10.1.2.3", "5432", "10.9.8.7", "x509", "refused"} {
		if strings.Contains(body, secret) {
			t.Errorf("readyz tells %q: %s", secret, body)
		}
	}
}

// Item 10: a feedback retried after a 503 is one feedback and one Update; a reply too.
func TestFeedbackRetriedAfter503IsOne(t *testing.T) {
	db := publishedStore()
	tc := mocks.NewClient(t)
	var ids []string
	record := func(args mock.Arguments) { ids = append(ids, args.Get(1).(client.UpdateWorkflowOptions).UpdateID) }
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(record).
		Return(nil, serviceerror.NewUnavailable("connection refused")).Once()
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(record).Return(updateAnswering(t, nil), nil).Once()
	h := server(t, db, tc)
	body := `{"satisfied": false, "comment": "Beras belum datang", "token": "` + feedbackToken + `"}`
	wantError(t, call(t, h, "POST", "/api/v1/complaints/"+code+"/feedback", "", body, nil), http.StatusServiceUnavailable, "unavailable")
	if a := call(t, h, "POST", "/api/v1/complaints/"+code+"/feedback", "", body, nil); a.status != http.StatusOK {
		t.Fatalf("retry: %d %v", a.status, a.body)
	}
	if len(db.Feedbacks) != 1 || !db.Feedbacks[0].Applied || len(ids) != 2 || ids[0] != ids[1] {
		t.Errorf("feedback rows %+v, updates %v", db.Feedbacks, ids)
	}
}

func TestReplyRetriedAfter503IsOne(t *testing.T) {
	db := storefake.New()
	row := storefake.Published(code, "")
	row.Status, row.PublishedAt = domain.StatusAwaitingInfo, nil
	db.Put(row)
	db.Trails[code] = append(db.Trails[code], store.Event{Seq: 2, Action: "request_info", Status: domain.StatusAwaitingInfo})
	tc := mocks.NewClient(t)
	var ids []string
	record := func(args mock.Arguments) { ids = append(ids, args.Get(1).(client.UpdateWorkflowOptions).UpdateID) }
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(record).
		Return(nil, serviceerror.NewUnavailable("connection refused")).Once()
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(record).Return(updateAnswering(t, nil), nil).Once()
	refusal := temporal.NewApplicationErrorWithOptions("Aduan tidak menunggu informasi.", "invalid_transition",
		temporal.ApplicationErrorOptions{NonRetryable: true})
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(record).Return(updateAnswering(t, refusal), nil).Once()
	h := server(t, db, tc)
	body := `{"text":"Di dusun Botteng, dekat masjid"}`
	wantError(t, call(t, h, "POST", "/api/v1/complaints/"+code+"/info", "", body, nil), http.StatusServiceUnavailable, "unavailable")
	if a := call(t, h, "POST", "/api/v1/complaints/"+code+"/info", "", body, nil); a.status != http.StatusOK {
		t.Fatalf("retry: %d %v", a.status, a.body)
	}
	if len(db.Replies) != 1 || len(ids) != 2 || ids[0] != ids[1] {
		t.Fatalf("replies %v, updates %v", db.Replies, ids)
	}
	// Another reply the workflow refuses leaves no message behind.
	wantError(t, call(t, h, "POST", "/api/v1/complaints/"+code+"/info", "", `{"text":"Tambahan: dekat sekolah"}`, nil),
		http.StatusConflict, "invalid_transition")
	if len(db.Replies) != 1 || len(db.Forgotten) != 1 {
		t.Errorf("after a refused reply: replies %v, forgotten %v", db.Replies, db.Forgotten)
	}
}

// Item 9: the server bounds every phase of a connection.
func TestServerTimeouts(t *testing.T) {
	srv := api.NewServer(":0", http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout} {
		if d <= 0 || d > 10*time.Minute {
			t.Errorf("%s = %v", name, d)
		}
	}
}
