package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"

	"aduan/domain"
	"aduan/workflows"
)

// codePattern is API.md's complaint code: ADU- and two groups of Crockford base32.
var codePattern = regexp.MustCompile(`^ADU-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

// roleOf is each demo user's role.
var roleOf = map[string]string{
	"admin": "admin", "supervisor": "supervisor", "kepala-dinas": "supervisor", "pokja-logistik": "pokja", "pokja-hunian": "pokja",
	"mitra-ypii": "partner", "mitra-pmi": "partner",
}

// response is an HTTP answer.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
}

// decode unmarshals the body into v.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Raw, v); err != nil {
		t.Fatalf("decode %T from HTTP %d body %q: %v", v, r.Status, r.Raw, err)
	}
}

// object is the body as a JSON object.
func (r response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

func (r response) String() string { return fmt.Sprintf("HTTP %d %s", r.Status, r.Raw) }

// token is a demo user's bearer token.
func token(t testing.TB, user string) string {
	t.Helper()
	tok, ok := tokens[user]
	if !ok {
		t.Fatalf("no demo token for %q", user)
	}
	return tok
}

// doAt sends one request to the API at base. body is nil (no body), a string or []byte
// (sent as is), an io.Reader (streamed, so without Content-Length), or anything else
// (sent as JSON). token "" sends no Authorization header.
func doAt(t testing.TB, base, method, path, token string, body any, headers map[string]string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	case io.Reader:
		rd = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Raw: raw}
}

// do sends a request to the test API as user ("" for none).
func do(t testing.TB, method, path, user string, body any, headers map[string]string) response {
	t.Helper()
	tok := ""
	if user != "" {
		tok = token(t, user)
	}
	return doAt(t, baseURL, method, path, tok, body, headers)
}

// apiError is API.md's error body.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantError checks that r is an error with the given HTTP status and code, in API.md's
// shape ({"error": {"code", "message", "fields"?}} and nothing else), and returns its
// fields.
func wantError(t testing.TB, r response, status int, code string) map[string]string {
	t.Helper()
	if r.Status != status {
		t.Errorf("want HTTP %d %s, got %s", status, code, r)
		return nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(r.Raw, &top); err != nil {
		t.Errorf("error body is not a JSON object: %q", r.Raw)
		return nil
	}
	if len(top) != 1 || top["error"] == nil {
		t.Errorf(`error body must be {"error": {...}} only, got %s`, r.Raw)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(top["error"], &inner); err != nil {
		t.Errorf("error is not an object: %s", r.Raw)
		return nil
	}
	for k := range inner {
		if k != "code" && k != "message" && k != "fields" {
			t.Errorf("unexpected key %q in error body %s", k, r.Raw)
		}
	}
	var e apiError
	r.decode(t, &e)
	if e.Error.Code != code {
		t.Errorf("want error code %q, got %q (%s)", code, e.Error.Code, r.Raw)
	}
	if strings.TrimSpace(e.Error.Message) == "" {
		t.Errorf("error without message: %s", r.Raw)
	}
	return e.Error.Fields
}

// wantFields checks that an error names exactly these fields.
func wantFields(t testing.TB, fields map[string]string, names ...string) {
	t.Helper()
	for _, n := range names {
		if strings.TrimSpace(fields[n]) == "" {
			t.Errorf("want error.fields.%s, got fields %v", n, fields)
		}
	}
	if len(fields) != len(names) {
		t.Errorf("want exactly fields %v, got %v", names, fields)
	}
}

// event is one entry of a staff view's audit trail.
type event struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Role   string    `json:"role"`
	Action string    `json:"action"`
	Status string    `json:"status"`
	Note   string    `json:"note"`
}

// staffView is API.md's staff view of a complaint.
type staffView struct {
	Code             string     `json:"code"`
	Status           string     `json:"status"`
	StatusLabel      string     `json:"status_label"`
	Channel          string     `json:"channel"`
	Title            string     `json:"title"`
	Category         string     `json:"category"`
	Priority         string     `json:"priority"`
	Pokja            string     `json:"pokja"`
	Partner          string     `json:"partner"`
	Kecamatan        string     `json:"kecamatan"`
	Desa             string     `json:"desa"`
	Confidential     bool       `json:"confidential"`
	CreatedAt        time.Time  `json:"created_at"`
	Deadline         *time.Time `json:"deadline"`
	Overdue          bool       `json:"overdue"`
	OverallDeadline  *time.Time `json:"overall_deadline"`
	CloseReason      string     `json:"close_reason"`
	Text             string     `json:"text"`
	ReportedCategory string     `json:"reported_category"`
	Anonymous        bool       `json:"anonymous"`
	Name             string     `json:"name"`
	Phone            string     `json:"phone"`
	Email            string     `json:"email"`
	TakenBy          string     `json:"taken_by"`
	Question         string     `json:"question"`
	Answer           string     `json:"answer"`
	PartnerAnswer    string     `json:"partner_answer"`
	PublicTitle      string     `json:"public_title"`
	PublicAnswer     string     `json:"public_answer"`
	RejectReason     string     `json:"reject_reason"`
	DuplicateOf      string     `json:"duplicate_of"`
	PublishedAt      *time.Time `json:"published_at"`
	AllowedActions   []string   `json:"allowed_actions"`
	Events           []event    `json:"events"`
	Messages         []message  `json:"messages"`
	NeedsReview      bool       `json:"needs_review"`
	PhoneConfirmedBy string     `json:"phone_confirmed_by"`
	Outbox           []sentView `json:"outbox"`
}

// message is something the complainant wrote after intake.
type message struct {
	ID       int64  `json:"id"`
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	Kind     string `json:"kind"`
	Location *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Name      string  `json:"name"`
		Address   string  `json:"address"`
		MapURL    string  `json:"map_url"`
	} `json:"location"`
	Media *struct {
		ID       int64  `json:"id"`
		State    string `json:"state"`
		MimeType string `json:"mime_type"`
		Voice    bool   `json:"voice"`
		URL      string `json:"url"`
	} `json:"media"`
}

// sentView is a message sent to the complainant, with what became of it.
type sentView struct {
	Kind           string `json:"kind"`
	Channel        string `json:"channel"`
	SentVia        string `json:"sent_via"`
	DeliveryStatus string `json:"delivery_status"`
	DeliveryError  string `json:"delivery_error"`
}

// lastMessage is the complainant's newest message.
func (v staffView) lastMessage() message {
	if len(v.Messages) == 0 {
		return message{}
	}
	return v.Messages[len(v.Messages)-1]
}

// last is the newest event.
func (v staffView) last() event {
	if len(v.Events) == 0 {
		return event{}
	}
	return v.Events[len(v.Events)-1]
}

// checkEvents checks the audit trail is numbered 1..n and every event says who did what.
func checkEvents(t testing.TB, v staffView) {
	t.Helper()
	for i, e := range v.Events {
		if e.Seq != int64(i+1) {
			t.Errorf("%s: event %d has seq %d, want %d (events %+v)", v.Code, i, e.Seq, i+1, v.Events)
		}
		if e.Actor == "" || e.Role == "" || e.Action == "" || e.Status == "" || e.At.IsZero() {
			t.Errorf("%s: incomplete event %+v", v.Code, e)
		}
	}
	if len(v.Events) > 0 && v.last().Status != v.Status {
		t.Errorf("%s: last event leaves status %q, complaint shows %q", v.Code, v.last().Status, v.Status)
	}
}

// viewAs reads the staff view as user, whatever the answer.
func viewAs(t testing.TB, user, code string) (staffView, response) {
	t.Helper()
	r := do(t, "GET", "/api/v1/staff/complaints/"+code, user, nil, nil)
	var v staffView
	if r.Status == http.StatusOK {
		r.decode(t, &v)
	}
	return v, r
}

// view reads the staff view as user, which must succeed.
func view(t testing.TB, user, code string) staffView {
	t.Helper()
	v, r := viewAs(t, user, code)
	if r.Status != http.StatusOK {
		t.Fatalf("GET staff view of %s as %s: %s", code, user, r)
	}
	return v
}

// act posts an action as user.
func act(t testing.TB, user, code, action string, body any) response {
	t.Helper()
	return actWith(t, user, code, action, body, nil)
}

func actWith(t testing.TB, user, code, action string, body any, headers map[string]string) response {
	t.Helper()
	return do(t, "POST", "/api/v1/staff/complaints/"+code+"/actions/"+action, user, body, headers)
}

// withoutQuestionFate leaves out the workflow's own notes on a question that reached
// nobody or waits for a call (question_held), which land on their own time after
// request_info: they are not the step's doing.
func withoutQuestionFate(events []event) []event {
	out := make([]event, 0, len(events))
	for _, e := range events {
		if e.Action != "question_held" {
			out = append(out, e)
		}
	}
	return out
}

// step takes an action that must succeed and checks the contract around it: the answer is
// the staff view already in the new status, and an immediate read (as admin, who always
// sees the complaint) shows that status with exactly one new event, by this user in this
// role, numbered 1..n. It returns the view after the action.
func step(t testing.TB, user, code, action string, body any, want domain.Status) staffView {
	t.Helper()
	before := view(t, "admin", code)
	before.Events = withoutQuestionFate(before.Events)
	r := act(t, user, code, action, body)
	if r.Status != http.StatusOK {
		// Reported below, once a read shows whether the action took effect anyway.
		defer func() {
			now, _ := viewAs(t, "admin", code)
			applied := ""
			if len(now.Events) > len(before.Events) && now.last().Action == action {
				applied = fmt.Sprintf(", yet the action WAS applied and recorded (now %s, event %d %s by %s)",
					now.Status, now.last().Seq, now.last().Action, now.last().Actor)
			}
			t.Errorf("%s by %s on %s (%s → %s): want HTTP 200 with the staff view, got %s%s",
				action, user, code, before.Status, want, r, applied)
		}()
	} else {
		var got staffView
		r.decode(t, &got)
		got.Events = withoutQuestionFate(got.Events)
		if got.Code != code || got.Status != string(want) {
			t.Errorf("%s by %s: response shows %s in %q, want %s in %q", action, user, got.Code, got.Status, code, want)
		}
		if len(got.Events) != len(before.Events)+1 || got.last().Action != action {
			t.Errorf("%s by %s: response events %+v, want one new %s event", action, user, got.Events, action)
		}
		if got.StatusLabel != want.Label() {
			t.Errorf("%s: status_label %q, want %q", action, got.StatusLabel, want.Label())
		}
	}
	after := view(t, "admin", code)
	if after.Status != string(want) {
		t.Fatalf("%s by %s on %s: a following read shows status %q, want %q (events %+v)",
			action, user, code, after.Status, want, after.Events)
	}
	checkEvents(t, after)
	after.Events = withoutQuestionFate(after.Events)
	if len(after.Events) != len(before.Events)+1 {
		t.Fatalf("%s by %s: %d events before, %d after; want exactly one new event: %+v",
			action, user, len(before.Events), len(after.Events), after.Events)
	}
	e := after.last()
	if e.Action != action || e.Actor != user || e.Role != roleOf[user] || e.Status != string(want) {
		t.Errorf("%s by %s: last event is %+v, want action %s actor %s role %s status %s",
			action, user, e, action, user, roleOf[user], want)
	}
	return after
}

// submitBody submits a web complaint with body; it must be accepted. It returns the code.
func submitBody(t testing.TB, body map[string]any, headers map[string]string) string {
	t.Helper()
	r := do(t, "POST", "/api/v1/complaints", "", body, headers)
	if r.Status != http.StatusCreated {
		t.Fatalf("intake %v: want 201, got %s", body, r)
	}
	var out struct {
		Code        string `json:"code"`
		Status      string `json:"status"`
		TrackingURL string `json:"tracking_url"`
	}
	r.decode(t, &out)
	if !codePattern.MatchString(out.Code) {
		t.Fatalf("intake answered code %q, which is not ADU-XXXX-XXXX in Crockford base32", out.Code)
	}
	if out.Status != "received" {
		t.Errorf("intake answered status %q, want received", out.Status)
	}
	if want := "http://test/lacak/" + out.Code; out.TrackingURL != want {
		t.Errorf("tracking_url %q, want %q", out.TrackingURL, want)
	}
	return out.Code
}

// submit submits a web complaint from Simboro with text and returns its code.
func submit(t testing.TB, text string) string {
	t.Helper()
	return submitBody(t, map[string]any{"text": text, "kecamatan": "simboro", "desa": "botteng"}, nil)
}

// uniqueText is a complaint text no other test uses.
func uniqueText(t testing.TB) string {
	return fmt.Sprintf("Aduan uji %s %s: bantuan beras belum diterima warga.", t.Name(), randomHex(4))
}

// The usual path of a complaint, one helper per hop.

func triage(t testing.TB, code, pokja, category string) staffView {
	t.Helper()
	return step(t, "admin", code, "triage", map[string]any{
		"pokja": pokja, "category": category, "priority": "high", "title": "Uji " + category,
	}, domain.StatusAtPokja)
}

func forward(t testing.TB, code, pokjaUser, partner string) staffView {
	t.Helper()
	return step(t, pokjaUser, code, "forward", map[string]any{"partner": partner, "note": "Mohon ditindaklanjuti."},
		domain.StatusAtPartner)
}

func partnerAnswer(t testing.TB, code, partnerUser, answer string) staffView {
	t.Helper()
	return step(t, partnerUser, code, "partner_answer", map[string]any{"answer": answer}, domain.StatusPokjaReview)
}

// newAtPokja is a fresh complaint triaged to the logistik pokja.
func newAtPokja(t testing.TB) string {
	t.Helper()
	code := submit(t, uniqueText(t))
	triage(t, code, "logistik", "bantuan_logistik")
	return code
}

// newAtPartner is a fresh complaint forwarded by logistik to ypii.
func newAtPartner(t testing.TB) string {
	t.Helper()
	code := newAtPokja(t)
	forward(t, code, "pokja-logistik", "ypii")
	return code
}

// listCodes reads a list endpoint ({"items": [{"code": ...}]}) as user.
func listCodes(t testing.TB, user, path string) map[string]bool {
	t.Helper()
	r := do(t, "GET", path, user, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s as %s: %s", path, user, r)
	}
	var out struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	r.decode(t, &out)
	codes := map[string]bool{}
	for _, it := range out.Items {
		codes[it.Code] = true
	}
	return codes
}

// history reads a complaint workflow's full history.
func history(t testing.TB, code string) *historypb.History {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	it := tc.GetWorkflowHistory(ctx, domain.WorkflowID(code), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", code, err)
		}
		h.Events = append(h.Events, e)
	}
	if len(h.Events) == 0 {
		t.Fatalf("history of %s is empty", code)
	}
	return h
}

// replay replays a history against today's workflow code: recorded lifecycles must stay
// deterministic.
func replay(t testing.TB, h *historypb.History) {
	t.Helper()
	if err := newReplayer(t).ReplayWorkflowHistory(quiet, h); err != nil {
		t.Errorf("replaying the history: %v", err)
	}
}

// newReplayer replays the complaint workflow, opening payloads with the tests' keys.
func newReplayer(t testing.TB) sdkworker.WorkflowReplayer {
	t.Helper()
	r, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{DataConverter: e2eDataConverter})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(workflows.Complaint, workflow.RegisterOptions{Name: workflows.WorkflowName})
	return r
}

// recordHistory replays the complaint's history and, with ADUAN_RECORD_HISTORIES=1, writes
// it to ../testdata/history_<name>.json in the format
// worker.NewWorkflowReplayer().ReplayWorkflowHistoryFromJSONFile reads, its payloads
// sealed with the tests' keys (testdata/payload_keys_test.txt).
func recordHistory(t testing.TB, code, name string) {
	t.Helper()
	h := history(t, code)
	replay(t, h)
	if os.Getenv("ADUAN_RECORD_HISTORIES") != "1" {
		return
	}
	raw, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatalf("marshal history: %v", err)
	}
	path := filepath.Join("..", "testdata", "history_"+name+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	if err := newReplayer(t).ReplayWorkflowHistoryFromJSONFile(quiet, path); err != nil {
		t.Errorf("replaying %s: %v", path, err)
	}
	t.Logf("recorded %d events of %s in %s", len(h.Events), code, path)
}

// waitStarted waits until intake's starter has started the complaint's workflow. Tests
// whose API takes complaints with a policy of its own (SLAOverride) wait for it before
// acting through the shared API, which would otherwise start the workflow itself with the
// regency's policy (Update-with-Start).
func waitStarted(t testing.TB, code string) {
	t.Helper()
	if !eventually(10*time.Second, func() bool { return workflowStarted(code) }) {
		t.Fatalf("the workflow of %s was not started within 10 s", code)
	}
}

// workflowStarted reports whether PostgreSQL records the complaint's workflow as started.
func workflowStarted(code string) bool {
	started, _ := testDB.WorkflowStarted(context.Background(), code)
	return started
}

// eventually retries check every 200 ms until it reports true or timeout passes.
func eventually(timeout time.Duration, check func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if check() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(200 * time.Millisecond)
	}
}
