package e2e

import (
	"net/http"
	"slices"
	"testing"

	"aduan/domain"
)

// TestForbiddenActions: a user whose role or assignment does not fit gets 403, and nothing
// is recorded.
func TestForbiddenActions(t *testing.T) {
	t.Parallel()
	code := newAtPartner(t) // logistik → ypii
	before := view(t, "admin", code)

	r := act(t, "mitra-pmi", code, "partner_answer", map[string]any{"answer": "Sudah kami tangani."})
	wantError(t, r, http.StatusForbidden, "forbidden")
	r = act(t, "mitra-pmi", code, "decline", map[string]any{"note": "bukan kami"})
	wantError(t, r, http.StatusForbidden, "forbidden")
	// Wrong role altogether.
	r = act(t, "pokja-logistik", code, "partner_answer", map[string]any{"answer": "Sudah."})
	wantError(t, r, http.StatusForbidden, "forbidden")
	r = act(t, "mitra-ypii", code, "publish", map[string]any{"public_title": "x", "public_answer": "y"})
	wantError(t, r, http.StatusForbidden, "forbidden")
	if _, r := viewAs(t, "mitra-pmi", code); r.Status != http.StatusForbidden {
		t.Errorf("another partner reads the staff view: %s", r)
	}

	// A pokja acts on another pokja's complaint.
	other := newAtPokja(t) // logistik
	r = act(t, "pokja-hunian", other, "forward", map[string]any{"partner": "ypii", "note": "Kami teruskan."})
	wantError(t, r, http.StatusForbidden, "forbidden")
	r = act(t, "pokja-hunian", other, "answer", map[string]any{"answer": "Sudah."})
	wantError(t, r, http.StatusForbidden, "forbidden")
	// Forbidden comes before the status check: a pokja learns nothing of others' complaints.
	r = act(t, "pokja-hunian", code, "approve", map[string]any{})
	wantError(t, r, http.StatusForbidden, "forbidden")

	if after := view(t, "admin", code); after.Status != before.Status || len(after.Events) != len(before.Events) {
		t.Errorf("refused actions changed %s: %s/%d → %s/%d", code, before.Status, len(before.Events), after.Status, len(after.Events))
	}
	if got := view(t, "admin", other); got.Status != "at_pokja" || len(got.Events) != 2 {
		t.Errorf("refused actions changed %s: %s, %d events", other, got.Status, len(got.Events))
	}

	// The right people can still act.
	partnerAnswer(t, code, "mitra-ypii", "Sudah kami kirim.")
}

// TestInbox: each user's task list holds exactly the complaints whose ball is with them.
func TestInbox(t *testing.T) {
	t.Parallel()
	received := submit(t, uniqueText(t))

	awaiting := submit(t, uniqueText(t))
	step(t, "admin", awaiting, "request_info", map[string]any{"question": "Di mana lokasinya?"}, domain.StatusAwaitingInfo)

	atLogistik := newAtPokja(t)

	atHunian := submit(t, uniqueText(t))
	triage(t, atHunian, "hunian", "hunian")

	atYpii := newAtPartner(t)

	review := newAtPartner(t)
	partnerAnswer(t, review, "mitra-ypii", "Sudah dikirim.")

	ready := newAtPokja(t)
	step(t, "pokja-logistik", ready, "answer", map[string]any{"answer": "Bantuan sudah diterima."}, domain.StatusReadyToPublish)

	rejected := submit(t, uniqueText(t))
	step(t, "admin", rejected, "reject", map[string]any{"reason": "spam", "note": "uji"}, domain.StatusRejected)

	all := []string{received, awaiting, atLogistik, atHunian, atYpii, review, ready, rejected}
	want := map[string][]string{
		"admin":          {received, ready},
		"pokja-logistik": {atLogistik, review},
		"pokja-hunian":   {atHunian},
		"mitra-ypii":     {atYpii},
		"mitra-pmi":      {},
		"supervisor":     {}, // nothing here is overdue
	}
	for user, mine := range want {
		got := listCodes(t, user, "/api/v1/staff/tasks")
		isMine := map[string]bool{}
		for _, c := range mine {
			isMine[c] = true
			if !got[c] {
				t.Errorf("%s's tasks lack %s (%s)", user, c, view(t, "admin", c).Status)
			}
		}
		for _, c := range all {
			if !isMine[c] && got[c] {
				t.Errorf("%s's tasks hold %s (%s), whose ball is not with them", user, c, view(t, "admin", c).Status)
			}
		}
	}
	wantError(t, do(t, "GET", "/api/v1/staff/tasks", "", nil, nil), http.StatusUnauthorized, "unauthenticated")

	// Soonest deadline first.
	for user := range want {
		var out struct {
			Items []staffView `json:"items"`
		}
		do(t, "GET", "/api/v1/staff/tasks", user, nil, nil).decode(t, &out)
		for i := 1; i < len(out.Items); i++ {
			prev, cur := out.Items[i-1].Deadline, out.Items[i].Deadline
			if prev == nil && cur != nil || prev != nil && cur != nil && cur.Before(*prev) {
				t.Errorf("%s's tasks not soonest deadline first: %s (%v) before %s (%v)",
					user, out.Items[i-1].Code, prev, out.Items[i].Code, cur)
			}
		}
	}
}

// TestDirectoryAndHealth: the public directory and the health endpoints.
func TestDirectoryAndHealth(t *testing.T) {
	t.Parallel()
	if r := do(t, "GET", "/healthz", "", nil, nil); r.Status != http.StatusOK || r.object(t)["status"] != "ok" {
		t.Errorf("healthz: %s", r)
	}
	if r := do(t, "GET", "/readyz", "", nil, nil); r.Status != http.StatusOK || r.object(t)["ready"] != true {
		t.Errorf("readyz: %s", r)
	}
	r := do(t, "GET", "/api/v1/directory", "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("directory: %s", r)
	}
	var d struct {
		Pokja      []struct{ ID string } `json:"pokja"`
		Partners   []struct{ ID string } `json:"partners"`
		Categories []struct {
			ID        string `json:"id"`
			Sensitive bool   `json:"sensitive"`
		} `json:"categories"`
		Kecamatan []struct {
			ID   string                `json:"id"`
			Desa []struct{ ID string } `json:"desa"`
		} `json:"kecamatan"`
	}
	r.decode(t, &d)
	has := func(ids []string, id string) bool { return slices.Contains(ids, id) }
	var pokja, partners, sensitive []string
	for _, p := range d.Pokja {
		pokja = append(pokja, p.ID)
	}
	for _, p := range d.Partners {
		partners = append(partners, p.ID)
	}
	for _, c := range d.Categories {
		if c.Sensitive {
			sensitive = append(sensitive, c.ID)
		}
	}
	if !has(pokja, "logistik") || !has(pokja, "hunian") || !has(partners, "ypii") || !has(partners, "pmi") {
		t.Errorf("directory pokja %v partners %v", pokja, partners)
	}
	if !slices.Equal(sensitive, []string{"perlindungan", "penyalahgunaan"}) || len(d.Categories) != 11 {
		t.Errorf("directory categories %+v", d.Categories)
	}
	desa := map[string][]string{}
	for _, k := range d.Kecamatan {
		for _, x := range k.Desa {
			desa[k.ID] = append(desa[k.ID], x.ID)
		}
	}
	if !has(desa["simboro"], "botteng") || !has(desa["tapalang-barat"], "dungkait") {
		t.Errorf("directory desa %v", desa)
	}
}

// TestSearch: filters, and partners see only theirs.
func TestSearch(t *testing.T) {
	t.Parallel()
	code := newAtPartner(t) // logistik → ypii

	q := "/api/v1/staff/complaints?status=at_partner&partner=ypii"
	if got := listCodes(t, "admin", q); !got[code] {
		// Other tests add complaints too; fall back to narrowing by code before failing.
		if !listCodes(t, "admin", q+"&q="+code)[code] {
			t.Errorf("admin's search %s lacks %s", q, code)
		}
	}
	if got := listCodes(t, "admin", q+"&q="+code+"&kecamatan=simboro&category=bantuan_logistik&pokja=logistik"); !got[code] {
		t.Errorf("admin's search with every matching filter lacks %s", code)
	}
	for _, miss := range []string{"status=at_pokja", "partner=pmi", "pokja=hunian", "kecamatan=mamuju", "category=hunian", "overdue=true"} {
		if got := listCodes(t, "admin", "/api/v1/staff/complaints?q="+code+"&"+miss); got[code] {
			t.Errorf("search with %s finds %s", miss, code)
		}
	}
	if got := listCodes(t, "supervisor", q+"&q="+code); !got[code] {
		t.Errorf("supervisor's search lacks %s", code)
	}
	if got := listCodes(t, "mitra-ypii", "/api/v1/staff/complaints?q="+code); !got[code] {
		t.Errorf("assigned partner's search lacks %s", code)
	}
	if got := listCodes(t, "mitra-pmi", q); got[code] {
		t.Errorf("mitra-pmi's search %s shows ypii's %s", q, code)
	}
	if got := listCodes(t, "mitra-pmi", "/api/v1/staff/complaints?q="+code); got[code] {
		t.Errorf("mitra-pmi's search finds ypii's %s", code)
	}
	if got := listCodes(t, "pokja-hunian", "/api/v1/staff/complaints?q="+code); got[code] {
		t.Errorf("pokja-hunian's search finds logistik's %s", code)
	}

	r := do(t, "GET", "/api/v1/staff/complaints?status=bogus", "admin", nil, nil)
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "status")
	r = do(t, "GET", "/api/v1/staff/complaints?category=bogus&overdue=maybe", "admin", nil, nil)
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "category", "overdue")
}
