package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"aduan/domain"
)

// Issue 14 against the real services: PostgreSQL (the outbox's token trigger, the
// once-only writes, the strict text parameters) and Temporal.

// TestSecurityFeedbackNeedsTheComplainantsLink: the code of a published complaint, public
// on /publik, lets nobody answer "was it solved?"; the link sent with the answer does,
// once; PostgreSQL keeps only the token's hash.
func TestSecurityFeedbackNeedsTheComplainantsLink(t *testing.T) {
	t.Parallel()
	code := publishedComplaint(t, map[string]any{"text": uniqueText(t), "email": "pelapor." + randomHex(4) + "@example.net"})
	token := feedbackTokenOf(t, code, code)
	sum := sha256.Sum256([]byte(token))
	var hashed, plain int
	_ = testDB.Get(&hashed, `SELECT count(*) FROM feedback_tokens WHERE code = $1 AND token_hash = $2`, code, hex.EncodeToString(sum[:]))
	_ = testDB.Get(&plain, `SELECT count(*) FROM feedback_tokens WHERE token_hash = $1`, token)
	if hashed != 1 || plain != 0 {
		t.Fatalf("feedback_tokens: %d rows with the hash, %d with the token in clear", hashed, plain)
	}

	// An outsider with the code.
	path := "/api/v1/complaints/" + code + "/feedback"
	wantError(t, do(t, "POST", path, "", map[string]any{"satisfied": true}, nil), http.StatusForbidden, "forbidden")
	wantError(t, do(t, "POST", path, "", map[string]any{"satisfied": true, "token": "Zk3pQm9xT2vB7nLc4rYw1a"}, nil),
		http.StatusForbidden, "forbidden")
	if body := wantPage(t, webGet(t, baseURL, "/lacak/"+code), http.StatusOK); strings.Contains(body, `method="post"`) {
		t.Errorf("/lacak/{code} offers the feedback form to whoever has the code")
	}
	wantPage(t, webGet(t, baseURL, "/lacak/"+code+"/tanggapan/Zk3pQm9xT2vB7nLc4rYw1a"), http.StatusForbidden)
	form, cookie := feedbackForm(t, code, token)
	// Another site making the complainant's browser post: no CSRF cookie, or not its value.
	wantPage(t, postFeedback(t, code, url.Values{"token": {token}}, nil, url.Values{"puas": {"ya"}}), http.StatusForbidden)
	wantPage(t, postFeedback(t, code, url.Values{"token": {token}, "csrf_token": {"salah"}}, cookie, url.Values{"puas": {"ya"}}),
		http.StatusForbidden)
	if tr := tracking(t, code); tr.Status != "published" {
		t.Fatalf("after the outsider's tries: %s", tr.Status)
	}

	// The complainant, from their link: "not solved" reopens it; the same post again is
	// the same feedback (nothing more recorded).
	comment := url.Values{"puas": {"tidak"}, "komentar": {"Beras belum datang " + randomHex(3)}}
	wantContains(t, "the not-solved page", wantPage(t, postFeedback(t, code, form, cookie, comment), http.StatusOK),
		"dikembalikan kepada petugas")
	wantPage(t, postFeedback(t, code, form, cookie, comment), http.StatusOK)
	var rows, reopened int
	_ = testDB.Get(&rows, `SELECT count(*) FROM complaint_feedback WHERE code = $1`, code)
	_ = testDB.Get(&reopened, `SELECT reopen_count FROM complaints WHERE code = $1`, code)
	if v := view(t, "admin", code); v.Status != "at_pokja" || reopened != 1 || rows != 1 {
		t.Fatalf("after the complainant's feedback posted twice: %s, reopened %d, %d feedback rows", v.Status, reopened, rows)
	}
}

// TestSecurityDuplicateFollowsReadOnly: a merged duplicate's complainant follows the
// original through their own code, which names no other code, and their own answer's link
// opens no feedback of the original.
func TestSecurityDuplicateFollowsReadOnly(t *testing.T) {
	t.Parallel()
	orig := submit(t, uniqueText(t))
	dup := submitBody(t, map[string]any{"text": uniqueText(t), "email": "lain." + randomHex(4) + "@example.net"}, nil)
	step(t, "admin", dup, "reject", map[string]any{"reason": "duplicate", "duplicate_of": orig, "note": "Sama"}, domain.StatusRejected)
	triage(t, orig, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", orig, "answer", map[string]any{"answer": "Beras dikirim Jumat."}, domain.StatusReadyToPublish)
	step(t, "admin", orig, "publish", map[string]any{"public_title": "Beras", "public_answer": "Dikirim Jumat."}, domain.StatusPublished)

	body := wantPage(t, webGet(t, baseURL, "/lacak/"+dup), http.StatusOK)
	wantContains(t, "/lacak of the duplicate", body, "digabung dengan aduan lain", "Dijawab dan diterbitkan", "Dikirim Jumat.")
	if strings.Contains(body, orig) || strings.Contains(do(t, "GET", "/api/v1/complaints/"+dup, "", nil, nil).String(), orig) {
		t.Errorf("the duplicate's tracking names the original %s", orig)
	}
	// The answer reached the duplicate's complainant under their own code, with a token of
	// their own complaint: it names and opens nothing of the original.
	token := feedbackTokenOf(t, dup, dup)
	wantError(t, do(t, "POST", "/api/v1/complaints/"+orig+"/feedback", "", map[string]any{"satisfied": true, "token": token}, nil),
		http.StatusForbidden, "forbidden")
	wantPage(t, webGet(t, baseURL, "/lacak/"+orig+"/tanggapan/"+token), http.StatusForbidden)
	if tr := tracking(t, orig); tr.Status != "published" {
		t.Errorf("the original after the duplicate's tries: %s", tr.Status)
	}
}

// TestSecurityIntakeKeyTiedToBody: a public key reused with another body is refused (422)
// by the real store, never answered with the first complainant's code.
func TestSecurityIntakeKeyTiedToBody(t *testing.T) {
	t.Parallel()
	key := map[string]string{"Idempotency-Key": "sec-" + randomHex(8)}
	first := map[string]any{"text": uniqueText(t), "phone": webPhone()}
	code := submitBody(t, first, key)
	if again := submitBody(t, first, key); again != code {
		t.Errorf("the same body again: %s, want %s", again, code)
	}
	r := do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, key)
	wantFields(t, wantError(t, r, http.StatusUnprocessableEntity, "idempotency_key_reused"), "Idempotency-Key")
	if strings.Contains(r.String(), code) {
		t.Errorf("the refusal names the first complaint: %s", r)
	}
}

// TestSecurityNoServerErrorOnDemand: what PostgreSQL cannot take (a NUL byte, invalid
// UTF-8, an offset past int64) is cleaned or refused with 400, never a 503.
func TestSecurityNoServerErrorOnDemand(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]int{
		"/api/v1/staff/complaints?q=beras%00":                  http.StatusOK,
		"/api/v1/staff/complaints?q=%ff%fe":                    http.StatusOK,
		"/api/v1/staff/complaints?pokja=log%00istik":           http.StatusBadRequest,
		"/api/v1/staff/complaints?kecamatan=%c3%28":            http.StatusBadRequest,
		"/api/v1/staff/complaints?page=9223372036854775807":    http.StatusBadRequest,
		"/api/v1/staff/notifications?page=9223372036854775807": http.StatusBadRequest,
		"/api/v1/publications?q=%00&kecamatan=simboro":         http.StatusOK,
		"/api/v1/publications?category=%00":                    http.StatusBadRequest,
		"/api/v1/publications?page=9223372036854775807":        http.StatusBadRequest,
	} {
		if r := do(t, "GET", path, "admin", nil, nil); r.Status != want {
			t.Errorf("%s: %s, want %d", path, r, want)
		}
	}
	for path, want := range map[string]int{"/publik?q=%00%ff": http.StatusOK, "/publik?page=9223372036854775807": http.StatusBadRequest} {
		if r := webGet(t, baseURL, path); r.Status != want {
			t.Errorf("%s: %d, want %d", path, r.Status, want)
		}
	}
	code := newAtPokja(t)
	for _, key := range []string{"k\tx", "\xff\xfe"} { // what an HTTP client can send
		r := actWith(t, "pokja-logistik", code, "note", map[string]any{"note": "catatan"}, map[string]string{"Idempotency-Key": key})
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "Idempotency-Key")
	}
	wantFields(t, wantError(t, act(t, "admin", code, "reassign", map[string]any{"pokja": "log\x00istik", "note": "x"}),
		http.StatusBadRequest, "invalid"), "pokja")
	r := do(t, "GET", "/readyz", "", nil, nil)
	if r.Status != http.StatusOK || !strings.Contains(r.String(), `"postgres":"ok"`) {
		t.Errorf("readyz: %s", r)
	}
}

// TestSecurityWebComplainantGetsOwnFeedbackLink: a web complainant who left no contact
// gets their own feedback link in the answer to their intake (JSON) and on the form's
// result page, and with it (only) can say whether the answer solved their problem.
func TestSecurityWebComplainantGetsOwnFeedbackLink(t *testing.T) {
	t.Parallel()
	r := do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "anonymous": true}, nil)
	var out struct {
		Code        string `json:"code"`
		FeedbackURL string `json:"feedback_url"`
	}
	r.decode(t, &out)
	prefix := "http://test/lacak/" + out.Code + "/tanggapan/"
	if r.Status != http.StatusCreated || !strings.HasPrefix(out.FeedbackURL, prefix) {
		t.Fatalf("intake: %s, feedback_url %q", r, out.FeedbackURL)
	}
	token := strings.TrimPrefix(out.FeedbackURL, prefix)
	triage(t, out.Code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", out.Code, "answer", map[string]any{"answer": "Sudah dikirim."}, domain.StatusReadyToPublish)
	step(t, "admin", out.Code, "publish", map[string]any{"public_title": "Kiriman", "public_answer": "Sudah dikirim."}, domain.StatusPublished)
	wantError(t, do(t, "POST", "/api/v1/complaints/"+out.Code+"/feedback", "", map[string]any{"satisfied": true, "token": "salah-" + token}, nil),
		http.StatusForbidden, "forbidden")
	if r := do(t, "POST", "/api/v1/complaints/"+out.Code+"/feedback", "", map[string]any{"satisfied": true, "token": token}, nil); r.Status != http.StatusOK {
		t.Fatalf("feedback with the intake's link: %s", r)
	}
	if v := view(t, "admin", out.Code); v.Status != string(domain.StatusClosed) {
		t.Errorf("after the complainant's own feedback: %s", v.Status)
	}

	// The web form: the result page shows the link once, from its address; the page
	// without it (anyone with the code) shows none.
	res := webPost(t, baseURL, url.Values{"text": {uniqueText(t)}, "kecamatan": {"simboro"}})
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.Contains(loc, "?t=") {
		t.Fatalf("form: %d, Location %q", res.Status, loc)
	}
	page := wantPage(t, webGet(t, baseURL, loc), http.StatusOK)
	wantContains(t, "the result page", page, `id="tautan-tanggapan"`, "/tanggapan/")
	bare := wantPage(t, webGet(t, baseURL, strings.Split(loc, "?")[0]), http.StatusOK)
	if strings.Contains(bare, "tautan-tanggapan") {
		t.Error("the result page without the key shows a feedback link")
	}
	forged := wantPage(t, webGet(t, baseURL, strings.Split(loc, "?")[0]+"?t=palsu"), http.StatusOK)
	if strings.Contains(forged, "tautan-tanggapan") {
		t.Error("a forged key shows a feedback link")
	}
}
