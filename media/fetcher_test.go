package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

var quiet = slog.New(slog.DiscardHandler)

// fakeQueue keeps the outcome of each try in memory.
type fakeQueue struct {
	mu    sync.Mutex
	state map[int64]string
	row   map[int64]*store.PendingMedia
	mime  map[int64]string
	waits []time.Duration
	// counted is whether each retry counted.
	counted []bool
}

func newFakeQueue() *fakeQueue {
	return &fakeQueue{state: map[int64]string{}, row: map[int64]*store.PendingMedia{}, mime: map[int64]string{}}
}

func (q *fakeQueue) add(p store.PendingMedia) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.state[p.ID], q.row[p.ID] = "pending", &p
}

func (q *fakeQueue) ClaimMedia(_ context.Context, _ []string, _ time.Duration, limit int) ([]store.PendingMedia, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []store.PendingMedia
	for id, st := range q.state {
		if st == "pending" && len(out) < limit {
			out = append(out, *q.row[id])
		}
	}
	return out, nil
}

func (q *fakeQueue) MediaWaiting(context.Context, []string) (int, error) { return 0, nil }

func (q *fakeQueue) MediaStored(_ context.Context, id int64, mimeType string, _ int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.state[id], q.mime[id] = "stored", mimeType
	q.row[id].Attempts++
	return nil
}

func (q *fakeQueue) MediaRetry(_ context.Context, id int64, after time.Duration, counted bool, lastError string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.waits, q.counted = append(q.waits, after), append(q.counted, counted)
	if counted {
		q.row[id].Attempts++
	}
	q.row[id].LastError = sql.NullString{String: lastError, Valid: true}
	return nil
}

func (q *fakeQueue) MediaFailed(_ context.Context, id int64, lastError string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.state[id] = "failed"
	q.row[id].Attempts++
	q.row[id].LastError = sql.NullString{String: lastError, Valid: true}
	return nil
}

// memStore keeps files in memory.
type memStore struct {
	mu    sync.Mutex
	files map[int64][]byte
}

func (m *memStore) Put(_ context.Context, id int64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[id] = bytes.Clone(data)
	return nil
}

func (m *memStore) Get(_ context.Context, id int64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.files[id]
	if !ok {
		return nil, ErrNotFound
	}
	return d, nil
}

func pngBytes(n int) []byte {
	b := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, n)...)
	return b
}

// TestFetcherOutcomes: each way a file can go, against the stand-in Cloud API; a file is
// tried (as the worker's loop would, without the waits) until it is stored or failed.
func TestFetcherOutcomes(t *testing.T) {
	img := pngBytes(1000)
	voice := append([]byte("OggS"), bytes.Repeat([]byte{1}, 500)...)
	doc := []byte("%PDF-1.4 surat keterangan")
	bigSticker := append([]byte("RIFF"), bytes.Repeat([]byte{2}, int(domain.MediaLimit(domain.MessageSticker)))...)
	sticker := append([]byte("RIFF"), bytes.Repeat([]byte{3}, 100)...)
	for _, tc := range []struct {
		name      string
		file      *mediatest.File // nil: the id is unknown
		kind      domain.MessageKind
		mime, sha string // the webhook's
		as400     bool
		state     string
		mimeKept  string
		tries     int
		errHas    string
		metaCalls int
		dlCalls   int
	}{
		{name: "image", file: &mediatest.File{Data: img, MimeType: "image/png"}, kind: domain.MessageImage,
			mime: "image/png", sha: mediatest.SHA256Base64(img), state: "stored", mimeKept: "image/png", tries: 1, metaCalls: 1, dlCalls: 1},
		{name: "voice note with codec parameter", file: &mediatest.File{Data: voice, MimeType: "audio/ogg; codecs=opus"},
			kind: domain.MessageAudio, mime: "audio/ogg; codecs=opus", sha: mediatest.SHA256Base64(voice), state: "stored",
			mimeKept: "audio/ogg", tries: 1, metaCalls: 1, dlCalls: 1},
		{name: "document, size as a string, no hash anywhere", file: &mediatest.File{Data: doc, MimeType: "application/pdf",
			MetaSHA256: "-", DeclaredSize: int64(len(doc))}, kind: domain.MessageDocument, mime: "application/pdf",
			state: "stored", mimeKept: "application/pdf", tries: 1, metaCalls: 1, dlCalls: 1},
		{name: "expired URL: a fresh one works", file: &mediatest.File{Data: img, MimeType: "image/png", ExpiredURLs: 1},
			kind: domain.MessageImage, mime: "image/png", sha: mediatest.SHA256Base64(img), state: "stored", mimeKept: "image/png",
			tries: 1, metaCalls: 2, dlCalls: 2},
		{name: "expired URL twice: the next try", file: &mediatest.File{Data: img, MimeType: "image/png", ExpiredURLs: 2},
			kind: domain.MessageImage, mime: "image/png", sha: mediatest.SHA256Base64(img), state: "stored", mimeKept: "image/png",
			tries: 2, metaCalls: 3, dlCalls: 3},
		{name: "server errors retried until it works", file: &mediatest.File{Data: img, MimeType: "image/png",
			MetaFailures: []int{500, 503}, DownloadFailures: []int{502}}, kind: domain.MessageImage, mime: "image/png",
			sha: mediatest.SHA256Base64(img), state: "stored", mimeKept: "image/png", tries: 4, metaCalls: 4, dlCalls: 2},
		{name: "throttled", file: &mediatest.File{Data: img, MimeType: "image/png", MetaFailures: []int{429}},
			kind: domain.MessageImage, mime: "image/png", state: "stored", mimeKept: "image/png", tries: 2, metaCalls: 2, dlCalls: 1},
		{name: "unknown media id (404)", kind: domain.MessageImage, mime: "image/png", state: "failed", tries: 3,
			errHas: "media id not found", metaCalls: 3},
		{name: "unknown media id (Graph's 400, code 100)", kind: domain.MessageImage, mime: "image/png", as400: true,
			state: "failed", tries: 3, errHas: "Graph error 100/33", metaCalls: 3},
		{name: "declared oversize", file: &mediatest.File{Data: sticker, MimeType: "image/webp",
			DeclaredSize: domain.MediaLimit(domain.MessageSticker) + 1}, kind: domain.MessageSticker, mime: "image/webp",
			state: "failed", tries: 1, errHas: "over the limit", metaCalls: 1},
		{name: "actual oversize", file: &mediatest.File{Data: sticker, MimeType: "image/webp", MetaSHA256: "-", Served: bigSticker},
			kind: domain.MessageSticker, mime: "image/webp", state: "failed", tries: 1, errHas: "over the limit", metaCalls: 1, dlCalls: 1},
		{name: "wrong hash: tried again, then failed", file: &mediatest.File{Data: img, MimeType: "image/png", MetaSHA256: "-"},
			kind: domain.MessageImage, mime: "image/png", sha: mediatest.SHA256Base64([]byte("another file")), state: "failed",
			tries: 2, errHas: "sha256 mismatch", metaCalls: 2, dlCalls: 2},
		{name: "corrupted download (the metadata's hex hash)", file: &mediatest.File{Data: img, MimeType: "image/png",
			Served: pngBytes(999)}, kind: domain.MessageImage, mime: "image/png", state: "failed", tries: 2,
			errHas: "sha256 mismatch", metaCalls: 2, dlCalls: 2},
		{name: "type not kept for the kind (metadata)", file: &mediatest.File{Data: img, MimeType: "text/html"},
			kind: domain.MessageImage, state: "failed", tries: 1, errHas: `file type "text/html" is not kept for image`, metaCalls: 1},
		{name: "type not kept for the kind (webhook)", file: &mediatest.File{Data: img, MimeType: "image/png"},
			kind: domain.MessageImage, mime: "application/x-msdownload", state: "failed", tries: 1, errHas: "not kept", metaCalls: 1},
		{name: "document type not kept", file: &mediatest.File{Data: doc, MimeType: "application/zip"},
			kind: domain.MessageDocument, state: "failed", tries: 1, errHas: "not kept", metaCalls: 1},
		{name: "a kind without files", kind: domain.MessageLocation, state: "failed", tries: 1, errHas: "carries no file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := mediatest.NewCloudAPI(t, "tok")
			api.UnknownAs400 = tc.as400
			if tc.file != nil {
				api.Add("m1", *tc.file)
			}
			q, st := newFakeQueue(), &memStore{files: map[int64][]byte{}}
			f := &Fetcher{Queue: q, Store: st, WhatsApp: WhatsAppConfig{APIBase: api.URL, Token: "tok"}, Logger: quiet}
			q.add(store.PendingMedia{ID: 1, MessageID: 10, Channel: "whatsapp", ProviderRef: "m1", MimeType: tc.mime,
				SHA256: tc.sha, Kind: tc.kind})
			for i := 0; i < 20 && q.state[1] == "pending"; i++ {
				if n, err := f.RunOnce(context.Background()); err != nil || n != 1 {
					t.Fatalf("RunOnce: %d, %v", n, err)
				}
			}
			row := q.row[1]
			if q.state[1] != tc.state || row.Attempts != tc.tries {
				t.Fatalf("state %s after %d tries, want %s after %d (last error %q)", q.state[1], row.Attempts, tc.state, tc.tries,
					row.LastError.String)
			}
			if !strings.Contains(row.LastError.String, tc.errHas) {
				t.Errorf("last error %q, want it to say %q", row.LastError.String, tc.errHas)
			}
			if got := api.MetaCalls("m1"); got != tc.metaCalls {
				t.Errorf("%d metadata calls, want %d", got, tc.metaCalls)
			}
			if got := api.DownloadCalls("m1"); got != tc.dlCalls {
				t.Errorf("%d downloads, want %d", got, tc.dlCalls)
			}
			if tc.state == "stored" {
				want := tc.file.Data
				if got, _ := st.Get(context.Background(), 1); !bytes.Equal(got, want) {
					t.Errorf("kept %d bytes, want the file's %d", len(got), len(want))
				}
				if q.mime[1] != tc.mimeKept {
					t.Errorf("kept as %q, want %q", q.mime[1], tc.mimeKept)
				}
				if row.LastError.Valid && tc.tries == 1 {
					t.Errorf("a first-try success has a last error %q", row.LastError.String)
				}
			} else if _, err := st.Get(context.Background(), 1); err != ErrNotFound {
				t.Errorf("a failed file was kept")
			}
			if strings.Contains(row.LastError.String, api.URL) || strings.Contains(row.LastError.String, "127.0.0.1") {
				t.Errorf("last error carries an address: %q", row.LastError.String)
			}
		})
	}
}

// TestFetcherGivesUp: a file that keeps failing is failed after MaxAttempts tries, the
// wait doubling from Backoff up to MaxBackoff.
func TestFetcherGivesUp(t *testing.T) {
	api := mediatest.NewCloudAPI(t, "tok")
	api.Add("m1", mediatest.File{Data: []byte("x"), MimeType: "image/png", MetaFailures: []int{500, 500, 500, 500, 500, 500, 500}})
	q := newFakeQueue()
	f := &Fetcher{Queue: q, Store: &memStore{files: map[int64][]byte{}}, WhatsApp: WhatsAppConfig{APIBase: api.URL, Token: "tok"},
		MaxAttempts: 5, Logger: quiet}
	q.add(store.PendingMedia{ID: 1, Channel: "whatsapp", ProviderRef: "m1", Kind: domain.MessageImage})
	for i := 0; i < 10 && q.state[1] == "pending"; i++ {
		_, _ = f.RunOnce(context.Background())
	}
	if q.state[1] != "failed" || q.row[1].Attempts != 5 || !strings.HasPrefix(q.row[1].LastError.String, "gave up after 5 tries: media metadata: HTTP 500") {
		t.Fatalf("after 5 failing tries: %s, %d tries, %q", q.state[1], q.row[1].Attempts, q.row[1].LastError.String)
	}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	if len(q.waits) != len(want) {
		t.Fatalf("waits %v, want %v", q.waits, want)
	}
	for i := range want {
		if q.waits[i] != want[i] {
			t.Errorf("waits %v, want %v", q.waits, want)
			break
		}
	}
	if d := f.backoff(12); d != time.Hour {
		t.Errorf("the 12th wait is %s, want the 1 h cap", d)
	}
}

// TestFetcherRefusedToken: a token the API refuses is no try of the file's: it waits,
// uncounted, until the token is fixed.
func TestFetcherRefusedToken(t *testing.T) {
	img := pngBytes(10)
	api := mediatest.NewCloudAPI(t, "good")
	api.Add("m1", mediatest.File{Data: img, MimeType: "image/png"})
	q, st := newFakeQueue(), &memStore{files: map[int64][]byte{}}
	f := &Fetcher{Queue: q, Store: st, WhatsApp: WhatsAppConfig{APIBase: api.URL, Token: "stale"}, Logger: quiet}
	q.add(store.PendingMedia{ID: 1, Channel: "whatsapp", ProviderRef: "m1", MimeType: "image/png", Kind: domain.MessageImage})
	for range 3 {
		_, _ = f.RunOnce(context.Background())
	}
	if q.state[1] != "pending" || q.row[1].Attempts != 0 || len(q.counted) != 3 || q.counted[0] ||
		!strings.Contains(q.row[1].LastError.String, "refused our access token") {
		t.Fatalf("with a refused token: %s, %d tries, counted %v, %q", q.state[1], q.row[1].Attempts, q.counted, q.row[1].LastError.String)
	}
	if q.waits[0] < 5*time.Minute {
		t.Errorf("a refused token waits %s, want at least 5 min", q.waits[0])
	}
	f.WhatsApp.Token = "good"
	_, _ = f.RunOnce(context.Background())
	if q.state[1] != "stored" {
		t.Fatalf("with the token fixed: %s (%q)", q.state[1], q.row[1].LastError.String)
	}
}

// TestFetcherUnconfigured: without a token nothing is claimed.
func TestFetcherUnconfigured(t *testing.T) {
	q := newFakeQueue()
	q.add(store.PendingMedia{ID: 1, Channel: "whatsapp", ProviderRef: "m1", Kind: domain.MessageImage})
	f := &Fetcher{Queue: q, Store: &memStore{files: map[int64][]byte{}}}
	if n, err := f.RunOnce(context.Background()); n != 0 || err != nil || q.state[1] != "pending" {
		t.Fatalf("RunOnce without a token: %d, %v, %s", n, err, q.state[1])
	}
}

func TestHashMatches(t *testing.T) {
	data := []byte("voice note")
	sum := sha256.Sum256(data)
	for _, tc := range []struct {
		want string
		ok   bool
	}{
		{base64.StdEncoding.EncodeToString(sum[:]), true},
		{base64.RawStdEncoding.EncodeToString(sum[:]), true},
		{base64.URLEncoding.EncodeToString(sum[:]), true},
		{hex.EncodeToString(sum[:]), true},
		{strings.ToUpper(hex.EncodeToString(sum[:])), true},
		{" " + base64.StdEncoding.EncodeToString(sum[:]) + "\n", true},
		{base64.StdEncoding.EncodeToString(make([]byte, 32)), false},
		{hex.EncodeToString(make([]byte, 32)), false},
		{"not a hash", false},
		{base64.StdEncoding.EncodeToString(sum[:16]), false},
	} {
		if got := hashMatches(tc.want, sum[:]); got != tc.ok {
			t.Errorf("hashMatches(%q) = %v, want %v", tc.want, got, tc.ok)
		}
	}
}

func TestBaseType(t *testing.T) {
	for in, want := range map[string]string{
		"audio/ogg; codecs=opus": "audio/ogg", "IMAGE/JPEG": "image/jpeg", " application/pdf ": "application/pdf",
		"": "", "audio/ogg; codecs=": "audio/ogg", "nonsense": "", "text/html;charset=utf-8": "text/html",
	} {
		if got := BaseType(in); got != want {
			t.Errorf("BaseType(%q) = %q, want %q", in, got, want)
		}
	}
}
