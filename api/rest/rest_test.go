package rest_test

// Handler tests of the JSON API's contract (API.md: statuses, error codes, fields) against
// the real core, with the Temporal client replaced by the SDK's mocks and PostgreSQL by a
// stand-in of the few calls each test makes. They run in well under a second; the e2e
// suite runs the same paths against a real Temporal server and PostgreSQL.

import (
	"context"
	"database/sql"
	"encoding/json"
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
	"aduan/domain"
	"aduan/store"
)

const code = "ADU-7K3Q-XW2M"

// fakeStore answers the calls these tests make; any other call panics (the embedded
// interface is nil), which fails the test that made it.
type fakeStore struct {
	complaints.Store
	staff    map[string]store.Staff
	row      store.Complaint
	inserted []store.Intake
	down     bool
}

var errDown = errors.New("connection refused")

func newFakeStore() *fakeStore {
	ns := func(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
	return &fakeStore{
		staff: map[string]store.Staff{
			"tok-admin": {Username: "admin", Name: "Admin", Role: domain.RoleAdmin, Active: true},
			"tok-pokja": {Username: "pokja-logistik", Name: "Pokja", Role: domain.RolePokja, PokjaID: ns("logistik"), Active: true},
			"tok-mitra": {Username: "mitra-ypii", Name: "Mitra", Role: domain.RolePartner, PartnerID: ns("ypii"), Active: true},
		},
		row: store.Complaint{Code: code, Channel: "web", Text: "Beras belum sampai ke dusun kami", Name: ns("Ibu Siti"),
			Phone: ns("6281234567890"), Status: domain.StatusReceived, CreatedAt: time.Now().Add(-time.Hour),
			UpdatedAt: time.Now().Add(-time.Hour), LastSeq: 1, WorkflowStarted: true},
	}
}

func (f *fakeStore) StaffByToken(_ context.Context, token string) (store.Staff, error) {
	if f.down {
		return store.Staff{}, errDown
	}
	if s, ok := f.staff[token]; ok {
		return s, nil
	}
	return store.Staff{}, store.ErrNotFound
}

func (f *fakeStore) Complaint(_ context.Context, c string) (store.Complaint, error) {
	if c != f.row.Code {
		return store.Complaint{}, store.ErrNotFound
	}
	return f.row, nil
}

func (f *fakeStore) Events(context.Context, string) ([]store.Event, error) {
	return []store.Event{{Seq: 1, At: f.row.CreatedAt, Actor: "pelapor", Role: "complainant", Action: "submit", Status: domain.StatusReceived}}, nil
}

func (f *fakeStore) Messages(context.Context, string) ([]store.Message, error) { return nil, nil }

func (f *fakeStore) SentToComplainant(context.Context, string) ([]store.Notification, error) {
	return nil, nil
}

func (f *fakeStore) PokjaExists(_ context.Context, id string) (bool, error) {
	return id == "logistik", nil
}

func (f *fakeStore) ResolvePlace(_ context.Context, kec, desa string) (string, string, bool, bool, error) {
	if f.down {
		return "", "", false, false, errDown
	}
	return kec, desa, kec == "" || kec == "simboro", desa == "" || desa == "botteng", nil
}

func (f *fakeStore) CurrentSLAPolicy(context.Context) (domain.SLAPolicy, error) {
	return domain.DefaultSLAPolicy(), nil
}

func (f *fakeStore) ClaimIntakeKey(context.Context, string, string) (bool, error) { return true, nil }

func (f *fakeStore) IssueFeedbackToken(context.Context, string) (string, error) {
	return "tanggapan-uji", nil
}

func (f *fakeStore) InsertIntake(_ context.Context, in store.Intake) (store.IntakeResult, error) {
	f.inserted = append(f.inserted, in)
	return store.IntakeResult{Code: code, Created: false}, nil
}

// server is the whole HTTP server over the core, with tc as Temporal.
func server(t *testing.T, db complaints.Store, tc client.Client) http.Handler {
	core := complaints.New(db, tc, complaints.Config{TaskQueue: "q", PublicBaseURL: "https://aduan.example"})
	core.Start()
	t.Cleanup(core.Stop)
	return api.New(core, api.Options{})
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func call(t *testing.T, h http.Handler, method, path, token, body string, header map[string]string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	a := answer{status: w.Code, header: w.Header()}
	if err := json.Unmarshal(w.Body.Bytes(), &a.body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %q", method, path, w.Body.String())
	}
	return a
}

// wantError checks API.md's error body and returns its fields.
func wantError(t *testing.T, a answer, status int, code string) map[string]any {
	t.Helper()
	e, _ := a.body["error"].(map[string]any)
	if a.status != status || e == nil || e["code"] != code || e["message"] == "" {
		t.Fatalf("want %d %s, got %d %v", status, code, a.status, a.body)
	}
	fields, _ := e["fields"].(map[string]any)
	return fields
}

// updateAnswering is a mocked Update whose completion returns err (nil: accepted).
func updateAnswering(t *testing.T, err error) *mocks.WorkflowUpdateHandle {
	h := mocks.NewWorkflowUpdateHandle(t)
	h.On("Get", mock.Anything, mock.Anything).Return(err)
	return h
}

func TestActionAcceptedIsOneUpdate(t *testing.T) {
	db := newFakeStore()
	tc := mocks.NewClient(t)
	var sent client.UpdateWorkflowOptions
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		sent = args.Get(1).(client.UpdateWorkflowOptions)
		db.row.Status, db.row.Pokja = domain.StatusAtPokja, sql.NullString{String: "logistik", Valid: true}
	}).Return(updateAnswering(t, nil), nil).Once()
	h := server(t, db, tc)

	a := call(t, h, "POST", "/api/v1/staff/complaints/"+strings.ToLower(code)+"/actions/triage", "tok-admin",
		`{"pokja":"logistik","category":"bantuan_logistik","priority":"high","title":"Beras belum sampai"}`,
		map[string]string{"Idempotency-Key": "k-1"})
	if a.status != http.StatusOK || a.body["status"] != "at_pokja" || a.body["code"] != code {
		t.Fatalf("triage: %d %v", a.status, a.body)
	}
	if sent.WorkflowID != "complaint/"+code || sent.UpdateName != "triage" || sent.UpdateID != "triage:admin:k-1" ||
		sent.WaitForStage != client.WorkflowUpdateStageCompleted {
		t.Errorf("update sent: %+v", sent)
	}
	req := sent.Args[0].(domain.ActionRequest)
	if req.Actor.Username != "admin" || req.Actor.Role != domain.RoleAdmin || req.Pokja != "logistik" || req.Title != "Beras belum sampai" {
		t.Errorf("action request: %+v", req)
	}
	// The admin sees the complainant's identity in the staff view.
	if a.body["name"] != "Ibu Siti" || a.body["phone"] != "6281234567890" {
		t.Errorf("admin's view lacks the identity: %v", a.body)
	}
}

func TestWorkflowRefusalsMapToAPIErrors(t *testing.T) {
	for _, tc := range []struct {
		kind   string
		status int
		fields map[string]string
	}{
		{"invalid_transition", http.StatusConflict, nil},
		{"forbidden", http.StatusForbidden, nil},
		{"invalid", http.StatusBadRequest, map[string]string{"until": "harus di masa depan"}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			opts := temporal.ApplicationErrorOptions{NonRetryable: true}
			if tc.fields != nil {
				opts.Details = []any{tc.fields}
			}
			refusal := temporal.NewApplicationErrorWithOptions("Ditolak oleh alur kerja.", tc.kind, opts)
			temporalClient := mocks.NewClient(t)
			temporalClient.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(updateAnswering(t, refusal), nil).Once()
			h := server(t, newFakeStore(), temporalClient)
			a := call(t, h, "POST", "/api/v1/staff/complaints/"+code+"/actions/note", "tok-admin", `{"note":"catatan"}`, nil)
			fields := wantError(t, a, tc.status, tc.kind)
			if tc.fields != nil && fields["until"] != "harus di masa depan" {
				t.Errorf("fields: %v", fields)
			}
		})
	}
}

func TestTemporalAwayIs503(t *testing.T) {
	tc := mocks.NewClient(t)
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(nil, serviceerror.NewUnavailable("connection refused")).Once()
	a := call(t, server(t, newFakeStore(), tc), "POST", "/api/v1/staff/complaints/"+code+"/actions/note", "tok-admin", `{"note":"x"}`, nil)
	wantError(t, a, http.StatusServiceUnavailable, "unavailable")
	if msg := a.body["error"].(map[string]any)["message"].(string); strings.Contains(msg, "refused") {
		t.Errorf("the cause leaked to the user: %q", msg)
	}
}

// Requests refused before any workflow is asked: the Temporal mock fails the test on any
// call it was not told to expect.
func TestRefusedBeforeTheWorkflow(t *testing.T) {
	h := server(t, newFakeStore(), mocks.NewClient(t))
	actions := "/api/v1/staff/complaints/" + code + "/actions/"
	wantError(t, call(t, h, "POST", actions+"note", "", `{"note":"x"}`, nil), http.StatusUnauthorized, "unauthenticated")
	wantError(t, call(t, h, "POST", actions+"note", "tok-salah", `{"note":"x"}`, nil), http.StatusUnauthorized, "unauthenticated")
	wantError(t, call(t, h, "POST", actions+"terbang", "tok-admin", `{}`, nil), http.StatusNotFound, "not_found")
	wantError(t, call(t, h, "POST", actions+"info", "tok-admin", `{}`, nil), http.StatusNotFound, "not_found")
	// A role that may never take the action is refused before its body is read.
	wantError(t, call(t, h, "POST", actions+"publish", "tok-mitra", `{not json`, nil), http.StatusForbidden, "forbidden")
	wantError(t, call(t, h, "POST", actions+"note", "tok-admin", `{"note": `, nil), http.StatusBadRequest, "invalid")
	wantError(t, call(t, h, "POST", actions+"note", "tok-admin", `{"note":"a"} {"note":"b"}`, nil), http.StatusBadRequest, "invalid")
	fields := wantError(t, call(t, h, "POST", actions+"triage", "tok-admin", ``, nil), http.StatusBadRequest, "invalid")
	for _, f := range []string{"pokja", "category", "priority", "title"} {
		if fields[f] == nil {
			t.Errorf("empty triage: no problem named for %s (%v)", f, fields)
		}
	}
	fields = wantError(t, call(t, h, "POST", actions+"triage", "tok-admin",
		`{"pokja":"tidak-ada","category":"bantuan_logistik","priority":"high","title":"x"}`, nil), http.StatusBadRequest, "invalid")
	if fields["pokja"] == nil {
		t.Errorf("unknown pokja not named: %v", fields)
	}
	wantError(t, call(t, h, "POST", "/api/v1/staff/complaints/ADU-0000-0000/actions/note", "tok-admin", `{"note":"x"}`, nil),
		http.StatusNotFound, "not_found")
	wantError(t, call(t, h, "POST", "/api/v1/staff/complaints/bukan-kode/actions/note", "tok-admin", `{"note":"x"}`, nil),
		http.StatusNotFound, "not_found")
	big := `{"note":"` + strings.Repeat("x", 70<<10) + `"}`
	wantError(t, call(t, h, "POST", actions+"note", "tok-admin", big, nil), http.StatusRequestEntityTooLarge, "too_large")
}

func TestStaffViewIsFilteredForTheCaller(t *testing.T) {
	db := newFakeStore()
	db.row.Status, db.row.Pokja, db.row.Confidential = domain.StatusAtPokja, sql.NullString{String: "logistik", Valid: true}, true
	h := server(t, db, mocks.NewClient(t))
	a := call(t, h, "GET", "/api/v1/staff/complaints/"+code, "tok-pokja", "", nil)
	if a.status != http.StatusOK || a.body["name"] != nil || a.body["phone"] != nil || a.body["text"] != complaints.Withheld {
		t.Fatalf("pokja's view of a confidential complaint: %d %v", a.status, a.body)
	}
	wantError(t, call(t, h, "GET", "/api/v1/staff/complaints/"+code, "tok-mitra", "", nil), http.StatusForbidden, "forbidden")
	a = call(t, h, "GET", "/api/v1/staff/complaints/"+code, "tok-admin", "", nil)
	if a.body["name"] != "Ibu Siti" || a.body["text"] != db.row.Text {
		t.Errorf("admin's view: %v", a.body)
	}
}

func TestIntakeContract(t *testing.T) {
	db := newFakeStore()
	h := server(t, db, mocks.NewClient(t))
	fields := wantError(t, call(t, h, "POST", "/api/v1/complaints", "", `{"text":"pendek","kecamatan":"atlantis","email":"bukan"}`, nil),
		http.StatusBadRequest, "invalid")
	for _, f := range []string{"text", "kecamatan", "email"} {
		if fields[f] == nil {
			t.Errorf("no problem named for %s: %v", f, fields)
		}
	}
	fields = wantError(t, call(t, h, "POST", "/api/v1/complaints", "", `{"text": 12345678901}`, nil), http.StatusBadRequest, "invalid")
	if fields["text"] == nil {
		t.Errorf("a number for text: %v", fields)
	}
	// A NUL byte and other control characters are cleaned, never a 5xx.
	a := call(t, h, "POST", "/api/v1/complaints", "", "{\"text\":\"Air bersih\\u0000 habis di pengungsian 🌧️\"}",
		map[string]string{"Idempotency-Key": "form-1"})
	if a.status != http.StatusCreated || a.body["code"] != code || a.body["tracking_url"] != "https://aduan.example/lacak/"+code {
		t.Fatalf("intake: %d %v", a.status, a.body)
	}
	// The key is stored scoped by the client's address (a hash of it).
	if got := db.inserted[len(db.inserted)-1]; got.Text != "Air bersih habis di pengungsian 🌧️" ||
		!strings.HasPrefix(got.IdempotencyKey, "web:c") || !strings.HasSuffix(got.IdempotencyKey, ":form-1") {
		t.Errorf("stored %q with key %q", got.Text, got.IdempotencyKey)
	}
	db.down = true
	wantError(t, call(t, h, "POST", "/api/v1/complaints", "", `{"text":"Tenda bocor di posko Desa Bebanga"}`, nil),
		http.StatusServiceUnavailable, "unavailable")
	wantError(t, call(t, h, "GET", "/api/v1/me", "tok-admin", "", nil), http.StatusServiceUnavailable, "unavailable")
}

func TestPublicRateLimit(t *testing.T) {
	core := complaints.New(newFakeStore(), mocks.NewClient(t), complaints.Config{IntakePerMinute: 1, IntakeBurst: 1})
	h := api.New(core, api.Options{})
	body := `{"text":"pendek"}`
	wantError(t, call(t, h, "POST", "/api/v1/complaints", "", body, nil), http.StatusBadRequest, "invalid")
	a := call(t, h, "POST", "/api/v1/complaints", "", body, nil)
	wantError(t, a, http.StatusTooManyRequests, "rate_limited")
	if a.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// The directory says each action's target status from domain.ActionSpecs.
func TestDirectoryListsActionsWithTheirTargetStatus(t *testing.T) {
	db := newFakeStore()
	h := server(t, directoryStore{db}, mocks.NewClient(t))
	a := call(t, h, "GET", "/api/v1/directory", "", "", nil)
	actions, _ := a.body["actions"].([]any)
	if a.status != http.StatusOK || len(actions) != len(domain.StaffActions) {
		t.Fatalf("directory: %d, %d actions", a.status, len(actions))
	}
	want := map[string]string{"triage": "at_pokja", "forward": "at_partner", "publish": "published", "note": ""}
	for _, x := range actions {
		m := x.(map[string]any)
		if to, ok := want[m["name"].(string)]; ok && (m["to"] == nil && to != "" || m["to"] != nil && m["to"] != to) {
			t.Errorf("action %v: to %v, want %q", m["name"], m["to"], to)
		}
	}
}

type directoryStore struct{ *fakeStore }

func (directoryStore) Directory(context.Context) (store.Directory, error) {
	return store.Directory{Pokja: []store.Group{{ID: "logistik", Name: "Pokja Logistik"}}}, nil
}
