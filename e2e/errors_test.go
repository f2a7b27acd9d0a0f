package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestInvalidTransitionRecordsNothing: an action the status does not allow is refused
// with 409 and leaves no trace.
func TestInvalidTransitionRecordsNothing(t *testing.T) {
	t.Parallel()
	code := submit(t, uniqueText(t))
	before := view(t, "admin", code)
	var lastSeq int64
	if err := testDB.Get(&lastSeq, `SELECT last_seq FROM complaints WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}

	r := act(t, "admin", code, "publish", map[string]any{"public_title": "Judul", "public_answer": "Jawaban"})
	wantError(t, r, http.StatusConflict, "invalid_transition")
	r = act(t, "supervisor", code, "reassign", map[string]any{"pokja": "hunian", "note": "x"})
	wantError(t, r, http.StatusConflict, "invalid_transition")

	after := view(t, "admin", code)
	if len(after.Events) != len(before.Events) || after.Status != "received" || after.PublicTitle != "" {
		t.Errorf("a refused publish changed the complaint: %d→%d events, status %s, public_title %q",
			len(before.Events), len(after.Events), after.Status, after.PublicTitle)
	}
	var seqAfter, rows int64
	if err := testDB.Get(&seqAfter, `SELECT last_seq FROM complaints WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	if err := testDB.Get(&rows, `SELECT count(*) FROM complaint_events WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	if seqAfter != lastSeq || rows != 1 {
		t.Errorf("after a refused publish: last_seq %d→%d, %d event rows", lastSeq, seqAfter, rows)
	}
	// The workflow agrees: its next action is numbered right after the submit.
	v := triage(t, code, "logistik", "bantuan_logistik")
	if v.last().Seq != 2 {
		t.Errorf("first action after refused ones has seq %d, want 2", v.last().Seq)
	}
}

// TestErrors covers API.md's error table for requests that never reach a workflow.
func TestErrors(t *testing.T) {
	t.Parallel()
	code := submit(t, uniqueText(t))
	actions := "/api/v1/staff/complaints/" + code + "/actions/"

	t.Run("unauthenticated", func(t *testing.T) {
		for _, tok := range []string{"", "adu_not-a-real-token", " "} {
			r := doAt(t, baseURL, "GET", "/api/v1/me", tok, nil, nil)
			wantError(t, r, http.StatusUnauthorized, "unauthenticated")
			r = doAt(t, baseURL, "POST", actions+"note", tok, map[string]any{"note": "x"}, nil)
			wantError(t, r, http.StatusUnauthorized, "unauthenticated")
		}
		r := do(t, "GET", "/api/v1/staff/complaints/"+code, "", nil, map[string]string{"Authorization": "Basic " + token(t, "admin")})
		wantError(t, r, http.StatusUnauthorized, "unauthenticated")
		r = do(t, "GET", "/api/v1/staff/complaints/"+code, "", nil, nil)
		wantError(t, r, http.StatusUnauthorized, "unauthenticated")
	})

	t.Run("me", func(t *testing.T) {
		r := do(t, "GET", "/api/v1/me", "pokja-logistik", nil, nil)
		if m := r.object(t); r.Status != 200 || m["username"] != "pokja-logistik" || m["role"] != "pokja" || m["pokja"] != "logistik" || m["partner"] != nil {
			t.Errorf("me as pokja-logistik: %s", r)
		}
		r = do(t, "GET", "/api/v1/me", "mitra-pmi", nil, nil)
		if m := r.object(t); r.Status != 200 || m["role"] != "partner" || m["partner"] != "pmi" || m["pokja"] != nil {
			t.Errorf("me as mitra-pmi: %s", r)
		}
	})

	t.Run("malformed JSON", func(t *testing.T) {
		for _, raw := range []string{`{"text": `, `not json`, `{"text": "a"} {"text": "b"}`, `[1,2]`} {
			wantError(t, do(t, "POST", "/api/v1/complaints", "", raw, nil), http.StatusBadRequest, "invalid")
			wantError(t, do(t, "POST", actions+"note", "admin", raw, nil), http.StatusBadRequest, "invalid")
		}
		r := do(t, "POST", "/api/v1/complaints", "", `{"text": 12345678901}`, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "text")
	})

	t.Run("missing fields", func(t *testing.T) {
		cases := map[string][]string{
			"triage":         {"pokja", "category", "priority", "title"},
			"request_info":   {"question"},
			"reject":         {"reason", "note"},
			"forward":        {"partner", "note"},
			"answer":         {"answer"},
			"partner_answer": {"answer"},
			"publish":        {"public_title", "public_answer"},
			"extend":         {"until", "note"},
			"note":           {"note"},
		}
		users := map[string]string{"forward": "pokja-logistik", "answer": "pokja-logistik", "partner_answer": "mitra-ypii", "extend": "supervisor"}
		for action, fields := range cases {
			user := users[action]
			if user == "" {
				user = "admin"
			}
			r := act(t, user, code, action, map[string]any{})
			wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), fields...)
		}
		// An empty body counts as {}.
		wantFields(t, wantError(t, act(t, "admin", code, "triage", ""), http.StatusBadRequest, "invalid"),
			"pokja", "category", "priority", "title")
		r := act(t, "admin", code, "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "asap", "title": "x"})
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "priority")
		r = act(t, "admin", code, "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "high", "title": strings.Repeat("j", 201)})
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "title")
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "text")
	})

	t.Run("unknown pokja partner category", func(t *testing.T) {
		r := act(t, "admin", code, "triage", map[string]any{"pokja": "tidak-ada", "category": "bantuan_logistik", "priority": "high", "title": "x"})
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "pokja")
		r = act(t, "admin", code, "triage", map[string]any{"pokja": "logistik", "category": "tidak-ada", "priority": "high", "title": "x"})
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "category")
		r = act(t, "pokja-logistik", code, "forward", map[string]any{"partner": "tidak-ada", "note": "x"})
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "partner")
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "category": "tidak-ada"}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "category")
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "kecamatan": "atlantis"}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "kecamatan")
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "kecamatan": "simboro", "desa": "dungkait"}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "desa")
		if v := view(t, "admin", code); v.Status != "received" || len(v.Events) != 1 {
			t.Errorf("invalid actions changed the complaint: %s, %d events", v.Status, len(v.Events))
		}
	})

	t.Run("intake field checks", func(t *testing.T) {
		r := do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": "pendek"}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "text")
		// Ten characters are enough, counted as characters, not bytes; spaces around do not count.
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": "   123456789   "}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "text")
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": strings.Repeat("x", 4001)}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "text")
		r = do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "phone": "call me", "email": "not-an-email"}, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "phone", "email")
		submitBody(t, map[string]any{"text": "ᨅᨘᨁᨗ🍚ᨅᨘᨁᨗ🍚"}, nil) // exactly 10 characters, 32 bytes
	})

	t.Run("too large", func(t *testing.T) {
		big := `{"text": "` + strings.Repeat("a", 70<<10) + `"}`
		wantError(t, do(t, "POST", "/api/v1/complaints", "", big, nil), http.StatusRequestEntityTooLarge, "too_large")
		wantError(t, do(t, "POST", actions+"note", "admin", big, nil), http.StatusRequestEntityTooLarge, "too_large")
		// Without a Content-Length (chunked), the limit still holds.
		r := do(t, "POST", "/api/v1/complaints", "", io.MultiReader(bytes.NewReader([]byte(big))), nil)
		wantError(t, r, http.StatusRequestEntityTooLarge, "too_large")
		if v := view(t, "admin", code); len(v.Events) != 1 {
			t.Errorf("an oversize note was recorded: %+v", v.Events)
		}
	})

	t.Run("not found", func(t *testing.T) {
		const missing = "ADU-0000-0000"
		wantError(t, do(t, "GET", "/api/v1/staff/complaints/"+missing, "admin", nil, nil), http.StatusNotFound, "not_found")
		wantError(t, do(t, "GET", "/api/v1/complaints/"+missing, "", nil, nil), http.StatusNotFound, "not_found")
		wantError(t, do(t, "GET", "/api/v1/publications/"+missing, "", nil, nil), http.StatusNotFound, "not_found")
		wantError(t, do(t, "POST", "/api/v1/complaints/"+missing+"/info", "", map[string]any{"text": "jawaban saya"}, nil),
			http.StatusNotFound, "not_found")
		wantError(t, act(t, "admin", missing, "note", map[string]any{"note": "x"}), http.StatusNotFound, "not_found")
		wantError(t, do(t, "GET", "/api/v1/complaints/not-a-code", "", nil, nil), http.StatusNotFound, "not_found")
		wantError(t, do(t, "GET", "/api/v1/staff/complaints/ADU-IIII-UUUU", "admin", nil, nil), http.StatusNotFound, "not_found")
		// An unpublished complaint has no publication.
		wantError(t, do(t, "GET", "/api/v1/publications/"+code, "", nil, nil), http.StatusNotFound, "not_found")
		// Unknown actions, including the complainant's own.
		for _, a := range []string{"frobnicate", "info", "submit", "overdue"} {
			wantError(t, act(t, "admin", code, a, map[string]any{"note": "x"}), http.StatusNotFound, "not_found")
		}
		wantError(t, do(t, "GET", "/api/v1/nothing-here", "", nil, nil), http.StatusNotFound, "not_found")
		// A code typed in lower case with look-alike letters still finds the complaint.
		lower := strings.ToLower(code)
		if r := do(t, "GET", "/api/v1/complaints/"+lower, "", nil, nil); r.Status != http.StatusOK || r.object(t)["code"] != code {
			t.Errorf("tracking %s: %s", lower, r)
		}
	})
}

// TestRateLimit: a client that submits too often gets 429 with Retry-After.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	deps := apiDeps
	deps.IntakePerMinute, deps.IntakeBurst = 1, 2
	srv := httptest.NewServer(newRouter(t, deps))
	defer srv.Close()
	body := func() map[string]any { return map[string]any{"text": uniqueText(t)} }
	for i := 0; i < 2; i++ {
		if r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", body(), nil); r.Status != http.StatusCreated {
			t.Fatalf("submission %d within the burst: %s", i+1, r)
		}
	}
	r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", body(), nil)
	wantError(t, r, http.StatusTooManyRequests, "rate_limited")
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q, want whole seconds in 1..60", r.Header.Get("Retry-After"))
	}
	// Reading is not limited.
	if r := doAt(t, srv.URL, "GET", "/api/v1/publications", "", nil, nil); r.Status != http.StatusOK {
		t.Errorf("publications while rate limited: %s", r)
	}
}

// TestRateLimitIgnoresForwardedFor: a client cannot escape the limit by claiming another
// address in X-Forwarded-For or X-Real-IP (the test server sits behind no proxy).
func TestRateLimitIgnoresForwardedFor(t *testing.T) {
	t.Parallel()
	deps := apiDeps
	deps.IntakePerMinute, deps.IntakeBurst = 1, 1
	srv := httptest.NewServer(newRouter(t, deps))
	defer srv.Close()
	if r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, nil); r.Status != http.StatusCreated {
		t.Fatalf("first submission: %s", r)
	}
	for i, h := range []map[string]string{
		{"X-Forwarded-For": "203.0.113.7"},
		{"X-Forwarded-For": "198.51.100.23"},
		{"X-Real-IP": "192.0.2.44"},
	} {
		r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, h)
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("submission %d from 127.0.0.1 claiming %v: want 429 rate_limited, got HTTP %d (the limiter keys on gin's "+
				"ClientIP, which trusts forwarding headers from any peer)", i+2, h, r.Status)
		}
	}
}
