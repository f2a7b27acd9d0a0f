package e2e

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// storedMedia inserts, as the WhatsApp webhook and the media fetcher would leave them, a
// message of kind on complaint code carrying a file already kept; it returns the file's
// id. state other than "stored" leaves the file without its bytes.
func storedMedia(t *testing.T, code, kind, mimeType, filename, state string, data []byte) int64 {
	t.Helper()
	ctx := context.Background()
	var msgID, id int64
	if err := testDB.GetContext(ctx, &msgID, `INSERT INTO complaint_messages (code, channel, text, kind, provider_id)
		VALUES ($1, 'whatsapp', 'kiriman berkas', $2, 'whatsapp:wamid.' || md5(random()::text)) RETURNING id`,
		code, kind); err != nil {
		t.Fatal(err)
	}
	var size any
	if state == "stored" {
		size = len(data)
	}
	if err := testDB.GetContext(ctx, &id, `INSERT INTO message_media (message_id, channel, provider_ref, mime_type, sha256,
			filename, voice, state, attempts, size_bytes, stored_at)
		VALUES ($1, 'whatsapp', md5(random()::text), $2, '', NULLIF($3, ''), $4, $5, 1, $6,
			CASE WHEN $5 = 'stored' THEN now() END)
		RETURNING id`, msgID, mimeType, filename, kind == "audio", state, size); err != nil {
		t.Fatal(err)
	}
	if state == "stored" {
		if _, err := testDB.ExecContext(ctx, `INSERT INTO media_blobs (media_id, data) VALUES ($1, $2)`, id, data); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// mediaPath is a file's address in the JSON API ("api") or the console ("staf").
func mediaPath(door, code string, id int64) string {
	if door == "api" {
		return "/api/v1/staff/complaints/" + code + "/media/" + strconv.FormatInt(id, 10)
	}
	return "/staf/aduan/" + code + "/media/" + strconv.FormatInt(id, 10)
}

// mediaFetcher gets files through the doors, with one signed-in console browser per
// user (of its own test).
type mediaFetcher struct {
	t        *testing.T
	browsers map[string]*staffBrowser
}

func newMediaFetcher(t *testing.T) *mediaFetcher {
	return &mediaFetcher{t: t, browsers: map[string]*staffBrowser{}}
}

// get fetches a file through a door as user: its status, headers and body.
func (m *mediaFetcher) get(door, user, code string, id int64, headers map[string]string) (int, http.Header, []byte) {
	t := m.t
	t.Helper()
	if door == "api" {
		r := do(t, "GET", mediaPath(door, code, id), user, nil, headers)
		return r.Status, r.Header, r.Raw
	}
	b, ok := m.browsers[user]
	if !ok {
		b = loginAs(t, user)
		m.browsers[user] = b
	}
	req, _ := http.NewRequest("GET", baseURL+mediaPath(door, code, id), nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, body := b.do(req)
	return res.StatusCode, res.Header, []byte(body)
}

// wantMedia checks a file's answer: the bytes, the stored type, the disposition and the
// headers that keep a file from running as a page or being cached.
func wantMedia(t *testing.T, what string, status int, h http.Header, body, data []byte, mimeType, disposition string) {
	t.Helper()
	if status != http.StatusOK || !bytes.Equal(body, data) {
		t.Errorf("%s: %d with %d bytes, want 200 with the file's %d\n%.300s", what, status, len(body), len(data), body)
		return
	}
	if got := h.Get("Content-Type"); got != mimeType {
		t.Errorf("%s: Content-Type %q, want %q", what, got, mimeType)
	}
	if got := h.Get("Content-Disposition"); got != disposition {
		t.Errorf("%s: Content-Disposition %q, want %q", what, got, disposition)
	}
	csp := h.Get("Content-Security-Policy")
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "private, no-store" ||
		!strings.HasPrefix(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") {
		t.Errorf("%s: headers nosniff %q, cache %q, CSP %q", what, h.Get("X-Content-Type-Options"), h.Get("Cache-Control"), csp)
	}
}

// TestMediaDoors: a complainant's picture, voice note and document open through the JSON
// API and the console for whoever may read the complaint's text (admin, supervisor, its
// pokja, its partner once assigned), never for another pokja or partner; a file of
// another complaint or one not fetched yet is not found.
func TestMediaDoors(t *testing.T) {
	t.Parallel()
	m := newMediaFetcher(t)
	code := newAtPokja(t)
	picture := append([]byte("\xff\xd8\xff\xe0JFIF"), bytes.Repeat([]byte{0x42}, 3000)...)
	voice := append([]byte("OggS"), bytes.Repeat([]byte{0x11}, 2000)...)
	doc := []byte("%PDF-1.4 surat keterangan RT")
	img := storedMedia(t, code, "image", "image/jpeg", "", "stored", picture)
	vn := storedMedia(t, code, "audio", "audio/ogg", "", "stored", voice)
	pdf := storedMedia(t, code, "document", "application/pdf", "Surat keterangan RT 05 – Botteng.pdf", "stored", doc)
	pending := storedMedia(t, code, "image", "image/jpeg", "", "pending", nil)
	failed := storedMedia(t, code, "video", "video/mp4", "", "failed", nil)
	other := newAtPokja(t)
	otherImg := storedMedia(t, other, "image", "image/png", "", "stored", []byte("\x89PNG other"))

	for _, door := range []string{"api", "staf"} {
		for _, user := range []string{"admin", "supervisor", "pokja-logistik"} {
			st, h, body := m.get(door, user, code, img, nil)
			wantMedia(t, door+" picture as "+user, st, h, body, picture, "image/jpeg", "inline")
		}
		st, h, body := m.get(door, "pokja-logistik", code, vn, nil)
		wantMedia(t, door+" voice note", st, h, body, voice, "audio/ogg", "inline")
		// An audio player asks for ranges.
		st, h, body = m.get(door, "pokja-logistik", code, vn, map[string]string{"Range": "bytes=0-3"})
		if st != http.StatusPartialContent || string(body) != "OggS" || h.Get("Content-Type") != "audio/ogg" {
			t.Errorf("%s: a range of the voice note: %d %q %q", door, st, body, h.Get("Content-Type"))
		}
		st, h, body = m.get(door, "pokja-logistik", code, pdf, nil)
		wantMedia(t, door+" document", st, h, body, doc, "application/pdf",
			`attachment; filename="Surat keterangan RT 05 _ Botteng.pdf"; filename*=UTF-8''Surat%20keterangan%20RT%2005%20%E2%80%93%20Botteng.pdf`)

		// Not theirs: another pokja, a partner not assigned (yet).
		for _, user := range []string{"pokja-hunian", "mitra-ypii"} {
			if st, _, body := m.get(door, user, code, img, nil); st != http.StatusForbidden || bytes.Contains(body, picture[:8]) {
				t.Errorf("%s: %s fetched the picture: %d", door, user, st)
			}
		}
		// Another complaint's file through this complaint, unknown files, files not kept.
		for what, id := range map[string]int64{"another complaint's file": otherImg, "an unknown file": 1 << 40} {
			if st, _, _ := m.get(door, "admin", code, id, nil); st != http.StatusNotFound {
				t.Errorf("%s: %s: %d, want 404", door, what, st)
			}
		}
		if st, _, body := m.get(door, "pokja-logistik", code, pending, nil); st != http.StatusNotFound ||
			!strings.Contains(string(body), "Berkas belum selesai diambil dari WhatsApp") {
			t.Errorf("%s: a file not fetched yet: %d %.300s", door, st, body)
		}
		if st, _, body := m.get(door, "pokja-logistik", code, failed, nil); st != http.StatusNotFound ||
			!strings.Contains(string(body), "tidak dapat diambil dari WhatsApp") {
			t.Errorf("%s: a file never kept: %d %.300s", door, st, body)
		}
	}
	if r := do(t, "GET", mediaPath("api", code, img), "", nil, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the API without a token: %s", r)
	}
	if r := do(t, "GET", "/api/v1/staff/complaints/"+code+"/media/abc", "admin", nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("the API with a bad id: %s", r)
	}
	res, _ := newBrowser(t).get(mediaPath("staf", code, img))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/masuk" {
		t.Errorf("the console without a session: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}

	// Forwarded to ypii: its staff may open the files now, pmi's may not.
	forward(t, code, "pokja-logistik", "ypii")
	for _, door := range []string{"api", "staf"} {
		st, h, body := m.get(door, "mitra-ypii", code, img, nil)
		wantMedia(t, door+" picture as the assigned partner", st, h, body, picture, "image/jpeg", "inline")
		if st, _, _ := m.get(door, "mitra-pmi", code, img, nil); st != http.StatusForbidden {
			t.Errorf("%s: another partner: %d, want 403", door, st)
		}
	}

	// The console's pages may show pictures and play voice notes from the site itself.
	_, h, _ := m.get("staf", "pokja-logistik", code, 0, nil) // a page (404), with the console's policy
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self'") || !strings.Contains(csp, "media-src 'self'") {
		t.Errorf("the console's CSP %q lets no picture or voice note play", csp)
	}
}

// TestMediaConfidential: a confidential complaint's files follow its text: admins and
// supervisors open them, its own pokja does not.
func TestMediaConfidential(t *testing.T) {
	t.Parallel()
	code := confidentialIntake(t, "Saya diancam oleh tetangga, mohon dirahasiakan "+randomHex(4), "Korban Berkas", "+62 811 0000 2222")
	triage(t, code, "logistik", "bantuan_logistik")
	m := newMediaFetcher(t)
	photo := append([]byte("\xff\xd8\xff\xe0JFIF"), bytes.Repeat([]byte{0x24}, 500)...)
	id := storedMedia(t, code, "image", "image/jpeg", "", "stored", photo)
	for _, door := range []string{"api", "staf"} {
		for _, user := range []string{"admin", "supervisor"} {
			st, h, body := m.get(door, user, code, id, nil)
			wantMedia(t, door+" confidential picture as "+user, st, h, body, photo, "image/jpeg", "inline")
		}
		st, _, body := m.get(door, "pokja-logistik", code, id, nil)
		if st != http.StatusForbidden || bytes.Contains(body, photo[:8]) || !strings.Contains(string(body), "rahasia") {
			t.Errorf("%s: the assigned pokja opened a confidential complaint's file: %d %.200s", door, st, body)
		}
	}
}
