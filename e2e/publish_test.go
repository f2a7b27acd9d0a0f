package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.temporal.io/sdk/temporal"

	"aduan/activities"
	"aduan/domain"
	"aduan/publish"
	"aduan/store"
)

// pushSite is a fake external website (the webhook receiver or WordPress) recording every
// request; failFirst answers the first n requests with 503.
type pushSite struct {
	*httptest.Server
	mu        sync.Mutex
	reqs      []pushed
	failFirst int
	posts     map[string]int // WordPress: slug → post id
}

type pushed struct {
	method, path, query string
	header              http.Header
	body                []byte
}

func startPushSite(t *testing.T, failFirst int) *pushSite {
	t.Helper()
	s := &pushSite{failFirst: failFirst, posts: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.reqs = append(s.reqs, pushed{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		w.Header().Set("Content-Type", "application/json")
		if len(s.reqs) <= s.failFirst {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"error":"sedang pemeliharaan"}`)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/wp-json/wp/v2/posts": // WordPress lookup by slug
			out := []map[string]any{}
			if id, ok := s.posts[r.URL.Query().Get("slug")]; ok {
				out = append(out, map[string]any{"id": id})
			}
			json.NewEncoder(w).Encode(out)
		case r.Method == http.MethodPost && r.URL.Path == "/wp-json/wp/v2/posts": // WordPress create
			var p struct {
				Slug string `json:"slug"`
			}
			json.Unmarshal(body, &p)
			s.posts[p.Slug] = 500 + len(s.posts)
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(map[string]any{"id": s.posts[p.Slug]})
		default: // the webhook, or a WordPress update
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *pushSite) received() []pushed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]pushed(nil), s.reqs...)
}

// pushes counts the POSTs (pushes) a site received.
func (s *pushSite) pushes() int {
	n := 0
	for _, r := range s.received() {
		if r.method == http.MethodPost {
			n++
		}
	}
	return n
}

// syncOf reads the publication_sync rows of code, by site.
func syncOf(t testing.TB, code string) map[string]store.PublicationSync {
	t.Helper()
	rows, err := testDB.PublicationSyncs(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.PublicationSync{}
	for _, r := range rows {
		out[r.Site] = r
	}
	return out
}

// nonRetryable is the type of err when it is a non-retryable application error ("" when not).
func nonRetryable(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.NonRetryable() {
		return app.Type()
	}
	return ""
}

// TestPublishExternal: a published answer reaches both external sites; a site that fails
// is retried alone, a site that has it is never pushed again, and a confidential complaint
// never leaves.
func TestPublishExternal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const name, phone = "Rahmat Publikasi Uji", "+62 812 7777 4321"
	text := uniqueText(t)
	code := submitBody(t, map[string]any{"text": text, "name": name, "phone": phone,
		"kecamatan": "simboro", "desa": "botteng"}, nil)
	triage(t, code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Beras sudah dikirim ulang oleh pokja."},
		domain.StatusReadyToPublish)
	const publicTitle = "Bantuan beras di Botteng"
	const publicAnswer = "Beras telah dikirim ulang kepada warga.\n\n<script>alert(1)</script> Terima kasih."
	pub := step(t, "admin", code, "publish", map[string]any{"public_title": publicTitle, "public_answer": publicAnswer},
		domain.StatusPublished)

	hook := startPushSite(t, 1) // down for the first push
	wp := startPushSite(t, 0)
	p := &activities.Publisher{DB: testDB, BaseURL: "http://test", Sites: []publish.Site{
		&publish.WebhookSite{URL: hook.URL + "/aduan", Secret: "rahasia-uji"},
		&publish.WordPressSite{BaseURL: wp.URL, User: "aduan", AppPassword: "abcd efgh ijkl"},
	}}
	req := domain.PublishRequest{Code: code}

	// First run: the webhook fails, WordPress gets the post; the run fails (retryable).
	err := p.PublishExternal(ctx, req)
	if err == nil || nonRetryable(err) != "" {
		t.Fatalf("first run: %v, want a retryable error", err)
	}
	if n := wp.pushes(); n != 1 {
		t.Errorf("WordPress got %d pushes, want 1", n)
	}
	if n := hook.pushes(); n != 1 {
		t.Errorf("webhook got %d pushes, want 1", n)
	}
	st := syncOf(t, code)
	if s := st["wordpress"]; s.SyncedAt == nil || s.Attempts != 1 || s.RemoteID.String != "500" || s.LastError.Valid ||
		s.PublishedAt == nil || !s.PublishedAt.Equal(*pub.PublishedAt) {
		t.Errorf("wordpress sync after the first run: %+v", s)
	}
	if s := st["webhook"]; s.SyncedAt != nil || s.Attempts != 1 || !strings.Contains(s.LastError.String, "503") {
		t.Errorf("webhook sync after the first run: %+v", s)
	}

	// Second run (Temporal's retry): only the webhook is pushed.
	wpBefore := len(wp.received())
	if err := p.PublishExternal(ctx, req); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if n := len(wp.received()); n != wpBefore {
		t.Errorf("WordPress got %d more requests on the retry, want none", n-wpBefore)
	}
	if n := hook.pushes(); n != 2 {
		t.Errorf("webhook got %d pushes in all, want 2", n)
	}
	st = syncOf(t, code)
	if s := st["webhook"]; s.SyncedAt == nil || s.Attempts != 2 || s.LastError.Valid {
		t.Errorf("webhook sync after the second run: %+v", s)
	}

	// Third run: everything is there; nothing is pushed.
	hookBefore := len(hook.received())
	if err := p.PublishExternal(ctx, req); err != nil {
		t.Fatalf("third run: %v", err)
	}
	if len(wp.received()) != wpBefore || len(hook.received()) != hookBefore {
		t.Errorf("third run pushed again: webhook %d→%d, WordPress %d→%d requests",
			hookBefore, len(hook.received()), wpBefore, len(wp.received()))
	}

	// What left: the public record, signed; never the complainant or their text.
	last := hook.received()[len(hook.received())-1]
	if got, want := last.header.Get(publish.SignatureHeader), publish.Sign("rahasia-uji", last.body); got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
	if got := last.header.Get(publish.DeliveryHeader); got != code {
		t.Errorf("delivery %q, want %s", got, code)
	}
	var body publish.WebhookPayload
	if err := json.Unmarshal(last.body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Code != code || body.Title != publicTitle || body.Answer != publicAnswer || body.Category != "bantuan_logistik" ||
		body.Kecamatan != "simboro" || body.Desa != "botteng" || body.URL != "http://test/publik/"+code ||
		!body.PublishedAt.Equal(*pub.PublishedAt) {
		t.Errorf("webhook body %+v", body)
	}
	var post struct {
		Title, Content, Status, Slug string
	}
	for _, r := range wp.received() {
		if r.method == http.MethodPost {
			json.Unmarshal(r.body, &post)
		}
	}
	if post.Slug != strings.ToLower(code) || post.Status != "publish" || post.Title != publicTitle ||
		strings.Contains(post.Content, "<script") || !strings.Contains(post.Content, "&lt;script&gt;") ||
		!strings.Contains(post.Content, `href="http://test/publik/`+code+`"`) {
		t.Errorf("WordPress post %+v", post)
	}
	for _, r := range append(hook.received(), wp.received()...) {
		assertAbsent(t, "a push to an external site", string(r.body),
			map[string]string{"name": name, "phone": domain.NormalizePhone(phone), "complaint text": text,
				"pokja's answer": "Beras sudah dikirim ulang oleh pokja."})
	}

	// A confidential complaint is refused, even when its row claims a publication.
	secret := confidentialIntake(t, "Petugas meminta uang untuk bantuan, mohon dirahasiakan "+randomHex(4),
		"Pelapor Rahasia Publikasi", "+62 811 2222 3333")
	triage(t, secret, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", secret, "answer", map[string]any{"answer": "Ditangani secara tertutup."},
		domain.StatusReadyToPublish)
	step(t, "admin", secret, "close", map[string]any{"note": "Jawaban disampaikan langsung."}, domain.StatusClosed)
	if _, err := testDB.ExecContext(ctx, `UPDATE complaints SET published_at = now(), public_title = 'Judul',
			public_answer = 'Jawaban' WHERE code = $1`, secret); err != nil {
		t.Fatal(err)
	}
	hookBefore, wpBefore = len(hook.received()), len(wp.received())
	err = p.PublishExternal(ctx, domain.PublishRequest{Code: secret})
	if nonRetryable(err) != activities.ErrTypeConfidential {
		t.Errorf("confidential complaint: %v, want a non-retryable %s", err, activities.ErrTypeConfidential)
	}
	if len(hook.received()) != hookBefore || len(wp.received()) != wpBefore || len(syncOf(t, secret)) != 0 {
		t.Errorf("a confidential complaint reached a site")
	}

	// A complaint without a published answer has nothing to push.
	unpublished := submit(t, uniqueText(t))
	if err := p.PublishExternal(ctx, domain.PublishRequest{Code: unpublished}); nonRetryable(err) != activities.ErrTypeNotPublished {
		t.Errorf("unpublished complaint: %v, want a non-retryable %s", err, activities.ErrTypeNotPublished)
	}
	if len(hook.received()) != hookBefore || len(wp.received()) != wpBefore {
		t.Errorf("an unpublished complaint reached a site")
	}
}

// TestPublishExternalRejected: a site that rejects the push (a 4xx) fails the activity
// without retry once the other sites have it.
func TestPublishExternalRejected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	code := newAtPokja(t)
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Sudah ditangani."}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Judul uji", "public_answer": "Jawaban uji."},
		domain.StatusPublished)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"payload tidak dikenal"}`)
	}))
	defer bad.Close()
	good := startPushSite(t, 0)
	p := &activities.Publisher{DB: testDB, BaseURL: "http://test", Sites: []publish.Site{
		&publish.WebhookSite{URL: bad.URL, Secret: "rahasia-uji"},
		&publish.WordPressSite{BaseURL: good.URL, User: "aduan", AppPassword: "abcd efgh ijkl"},
	}}
	err := p.PublishExternal(ctx, domain.PublishRequest{Code: code})
	if nonRetryable(err) != activities.ErrTypePublishRejected {
		t.Errorf("a rejected push: %v, want a non-retryable %s", err, activities.ErrTypePublishRejected)
	}
	st := syncOf(t, code)
	if st["wordpress"].SyncedAt == nil || st["webhook"].SyncedAt != nil || !strings.Contains(st["webhook"].LastError.String, "400") {
		t.Errorf("sync after a rejected push: %+v", st)
	}
}
