package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"aduan/domain"
)

// TestIntakeIdempotency: a retried submission with the same Idempotency-Key yields the
// same complaint, once.
func TestIntakeIdempotency(t *testing.T) {
	t.Parallel()
	key := "e2e-" + randomHex(8)
	body := map[string]any{"text": uniqueText(t), "kecamatan": "simboro", "desa": "botteng"}
	h := map[string]string{"Idempotency-Key": key}
	first := submitBody(t, body, h)
	second := submitBody(t, body, h)
	if first != second {
		t.Errorf("same Idempotency-Key gave %s and %s", first, second)
	}
	var rows int
	// Stored scoped by the client (issue 14): web:<hash of its address>:<key>.
	if err := testDB.Get(&rows, `SELECT count(*) FROM complaints WHERE idempotency_key LIKE 'web:%:' || $1 OR code = $2`, key, first); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("%d complaint rows for key %s, want 1", rows, key)
	}
	if v := view(t, "admin", first); len(v.Events) != 1 {
		t.Errorf("retried intake recorded events %+v", v.Events)
	}
	// Its workflow started once and works.
	triage(t, first, "logistik", "bantuan_logistik")

	// Concurrent retries.
	key2 := "e2e-" + randomHex(8)
	codes := make([]string, 4)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := do(t, "POST", "/api/v1/complaints", "", body, map[string]string{"Idempotency-Key": key2})
			if r.Status != http.StatusCreated {
				t.Errorf("concurrent retry: %s", r)
				return
			}
			codes[i], _ = r.object(t)["code"].(string)
		}()
	}
	wg.Wait()
	for _, c := range codes[1:] {
		if c != codes[0] {
			t.Errorf("concurrent retries with one key gave codes %v", codes)
			break
		}
	}
	if err := testDB.Get(&rows, `SELECT count(*) FROM complaints WHERE idempotency_key LIKE 'web:%:' || $1`, key2); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("%d rows for concurrent key, want 1", rows)
	}
	if codes[0] == first {
		t.Errorf("a different key returned the first complaint")
	}

	// An admin's key is the admin's own: it does not return the web complaint.
	r := do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{"channel": "phone", "text": uniqueText(t)}, h)
	if r.Status != http.StatusCreated {
		t.Fatalf("staff registration: %s", r)
	}
	staffCode, _ := r.object(t)["code"].(string)
	r2 := do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{"channel": "phone", "text": uniqueText(t)}, h)
	if again, _ := r2.object(t)["code"].(string); staffCode == first || again != staffCode {
		t.Errorf("staff registrations with key %s: %s then %s (web complaint %s)", key, staffCode, again, first)
	}
}

// TestActionIdempotency: an action retried with the same Idempotency-Key is applied once.
func TestActionIdempotency(t *testing.T) {
	t.Parallel()
	code := submit(t, uniqueText(t))
	key := "note-" + randomHex(8)
	h := map[string]string{"Idempotency-Key": key}
	before := len(view(t, "admin", code).Events)
	for i := 0; i < 3; i++ {
		r := actWith(t, "admin", code, "note", map[string]any{"note": "Catatan sekali saja."}, h)
		if r.Status != http.StatusOK {
			t.Fatalf("note attempt %d: %s", i+1, r)
		}
		var v staffView
		r.decode(t, &v)
		if len(v.Events) != before+1 {
			t.Errorf("attempt %d answered %d events, want %d", i+1, len(v.Events), before+1)
		}
	}
	v := view(t, "admin", code)
	checkEvents(t, v)
	if len(v.Events) != before+1 || v.last().Action != "note" {
		t.Errorf("three notes with one key recorded %+v, want one note", v.Events)
	}
	var rows int
	if err := testDB.Get(&rows, `SELECT count(*) FROM complaint_events WHERE code = $1 AND action = 'note'`, code); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("%d note rows, want 1", rows)
	}
	// Another user with the same key, or another key, is another action.
	if r := actWith(t, "supervisor", code, "note", map[string]any{"note": "Catatan supervisor."}, h); r.Status != http.StatusOK {
		t.Fatalf("supervisor note: %s", r)
	}
	if r := actWith(t, "admin", code, "note", map[string]any{"note": "Catatan kedua."},
		map[string]string{"Idempotency-Key": key + "-2"}); r.Status != http.StatusOK {
		t.Fatalf("second admin note: %s", r)
	}
	// A retried transition is answered with its result, not a 409.
	tk := map[string]string{"Idempotency-Key": "triage-" + randomHex(8)}
	body := map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal", "title": "Sekali"}
	for i := 0; i < 2; i++ {
		r := actWith(t, "admin", code, "triage", body, tk)
		if r.Status != http.StatusOK {
			t.Fatalf("triage attempt %d: %s", i+1, r)
		}
	}
	v = view(t, "admin", code)
	checkEvents(t, v)
	var actions []string
	for _, e := range v.Events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "submit,note,note,note,triage" || v.Status != string(domain.StatusAtPokja) {
		t.Errorf("audit trail %s in %s, want submit,note,note,note,triage in at_pokja", got, v.Status)
	}
}

// TestUnicodeRoundTrip: emoji, non-Latin scripts, accents, newlines and tabs come back
// exactly as sent.
func TestUnicodeRoundTrip(t *testing.T) {
	t.Parallel()
	const text = "Bantuan 🍚 belum tiba — ᨅᨘᨁᨗ test ünïcödé"
	const name = "Ünïcödé ᨅᨘᨁᨗ Ñame 👩🏽‍🌾"
	code := submitBody(t, map[string]any{"text": text, "name": name, "kecamatan": "simboro"}, nil)
	v := view(t, "admin", code)
	if v.Text != text {
		t.Errorf("text came back as %q (% x), want %q (% x)", v.Text, v.Text, text, text)
	}
	if v.Name != name {
		t.Errorf("name came back as %q, want %q", v.Name, name)
	}
	var stored string
	if err := testDB.Get(&stored, `SELECT text FROM complaints WHERE code = $1`, code); err != nil || stored != text {
		t.Errorf("stored text %q (err %v)", stored, err)
	}
	// Through the workflow too: a title and a multi-line note.
	const title = "Beras 🍚 untuk ᨅᨘᨁᨗ — ünïcödé"
	const note = "Baris satu ✓\n\tBaris dua: ᨅᨘᨁᨗ"
	v = step(t, "admin", code, "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik",
		"priority": "normal", "title": title, "note": note}, domain.StatusAtPokja)
	if v.Title != title || v.last().Note != note {
		t.Errorf("title %q note %q, want %q %q", v.Title, v.last().Note, title, note)
	}
	if got := listCodes(t, "admin", "/api/v1/staff/complaints?q="+url.QueryEscape("ᨅᨘᨁᨗ test")); !got[code] {
		t.Errorf("search for non-Latin text lacks %s", code)
	}
}
