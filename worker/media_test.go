package worker

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media"
	"aduan/media/mediatest"
	"aduan/store"
)

// addPending inserts a message of kind from a number with a pending file on channel, as
// the WhatsApp webhook does; it returns the file's id.
func addPending(t *testing.T, db *store.DB, channel string, kind domain.MessageKind, ref, mimeType, sha string) int64 {
	t.Helper()
	ctx := context.Background()
	var msgID, id int64
	if err := db.GetContext(ctx, &msgID, `INSERT INTO complaint_messages (from_phone, channel, text, kind)
		VALUES ('6281200000001', $1, '', $2) RETURNING id`, channel, kind); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &id, `INSERT INTO message_media (message_id, channel, provider_ref, mime_type, sha256)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, msgID, channel, ref, mimeType, sha); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestMediaFetcherLoop: the worker's loop over PostgreSQL against a local stand-in of the
// Cloud API: a file is kept; an expired download URL is asked for again; server errors
// are retried until it works; an unknown media id, a file over its kind's limit (declared
// or actual), a wrong hash and a type not kept end failed; an SMS file waits for a
// fetcher of its own.
func TestMediaFetcherLoop(t *testing.T) {
	db := mediatest.Database(t)
	api := mediatest.NewCloudAPI(t, "tok")
	img := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{9}, 4000)...)
	voice := append([]byte("OggS"), bytes.Repeat([]byte{1}, 2000)...)
	sticker := append([]byte("RIFF"), bytes.Repeat([]byte{2}, 100)...)
	big := append([]byte("RIFF"), bytes.Repeat([]byte{2}, int(domain.MediaLimit(domain.MessageSticker)))...)
	b64 := mediatest.SHA256Base64

	api.Add("ok", mediatest.File{Data: img, MimeType: "image/jpeg"})
	api.Add("voice", mediatest.File{Data: voice, MimeType: "audio/ogg; codecs=opus"})
	api.Add("expired", mediatest.File{Data: img, MimeType: "image/jpeg", ExpiredURLs: 1})
	api.Add("flaky", mediatest.File{Data: img, MimeType: "image/jpeg", MetaFailures: []int{500, 502}, DownloadFailures: []int{503}})
	api.Add("big-declared", mediatest.File{Data: sticker, MimeType: "image/webp", DeclaredSize: int64(len(big))})
	api.Add("big-actual", mediatest.File{Data: sticker, MimeType: "image/webp", MetaSHA256: "-", Served: big})
	api.Add("hash", mediatest.File{Data: img, MimeType: "image/jpeg", MetaSHA256: "-"})
	api.Add("type", mediatest.File{Data: img, MimeType: "text/html"})

	type want struct {
		state    string
		tries    int
		mimeType string
		data     []byte
		errHas   string
	}
	rows := map[string]int64{}
	wants := map[string]want{}
	add := func(ref string, kind domain.MessageKind, mimeType, sha string, w want) {
		rows[ref] = addPending(t, db, "whatsapp", kind, ref, mimeType, sha)
		wants[ref] = w
	}
	add("ok", domain.MessageImage, "image/jpeg", b64(img), want{state: "stored", tries: 1, mimeType: "image/jpeg", data: img})
	add("voice", domain.MessageAudio, "audio/ogg; codecs=opus", b64(voice), want{state: "stored", tries: 1, mimeType: "audio/ogg", data: voice})
	add("expired", domain.MessageImage, "image/jpeg", b64(img), want{state: "stored", tries: 1, mimeType: "image/jpeg", data: img})
	add("flaky", domain.MessageImage, "image/jpeg", b64(img), want{state: "stored", tries: 4, mimeType: "image/jpeg", data: img,
		errHas: ""})
	add("gone", domain.MessageImage, "image/jpeg", b64(img), want{state: "failed", tries: 3, errHas: "media id not found"})
	add("big-declared", domain.MessageSticker, "image/webp", "", want{state: "failed", tries: 1, errHas: "over the limit"})
	add("big-actual", domain.MessageSticker, "image/webp", "", want{state: "failed", tries: 1, errHas: "over the limit"})
	add("hash", domain.MessageImage, "image/jpeg", b64([]byte("another picture")), want{state: "failed", tries: 2,
		errHas: "sha256 mismatch"})
	add("type", domain.MessageImage, "image/jpeg", b64(img), want{state: "failed", tries: 1, errHas: "not kept for image"})
	sms := addPending(t, db, "sms", domain.MessageImage, "https://gateway.example/m/1", "image/jpeg", "")

	f := &media.Fetcher{WhatsApp: media.WhatsAppConfig{APIBase: api.URL, Token: "tok"}, Backoff: 10 * time.Millisecond,
		MaxBackoff: 40 * time.Millisecond, Hold: time.Minute, Batch: 3, Logger: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	runMedia(ctx, &wg, db, []Option{WithMediaFetcher(f)}) // as RunBackground does
	defer func() { cancel(); wg.Wait() }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := db.MediaWaiting(context.Background(), media.Channels)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d files still pending after 30 s", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for ref, id := range rows {
		w := wants[ref]
		m, err := db.Media(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var tries int
		_ = db.GetContext(context.Background(), &tries, `SELECT attempts FROM message_media WHERE id = $1`, id)
		if m.State != w.state || tries != w.tries || !strings.Contains(m.LastError.String, w.errHas) {
			t.Errorf("%s: %s after %d tries (%q), want %s after %d (%q)", ref, m.State, tries, m.LastError.String, w.state,
				w.tries, w.errHas)
			continue
		}
		blob, err := db.MediaBlob(context.Background(), id)
		if w.state == "stored" {
			if err != nil || !bytes.Equal(blob, w.data) || m.MimeType != w.mimeType || m.SizeBytes.Int64 != int64(len(w.data)) ||
				m.LastError.Valid {
				t.Errorf("%s: kept %d bytes as %q (size %d, last error %q), want %d as %q", ref, len(blob), m.MimeType,
					m.SizeBytes.Int64, m.LastError.String, len(w.data), w.mimeType)
			}
		} else if err != store.ErrNotFound {
			t.Errorf("%s: a failed file has a blob (%v)", ref, err)
		}
	}
	if n := api.MetaCalls("expired"); n != 2 {
		t.Errorf("expired URL: %d metadata calls, want 2 (a fresh URL)", n)
	}
	if n := api.DownloadCalls("big-declared"); n != 0 {
		t.Errorf("declared oversize: downloaded %d times", n)
	}
	if n := api.DownloadCalls("type"); n != 0 {
		t.Errorf("a type not kept: downloaded %d times", n)
	}
	if m, _ := db.Media(context.Background(), sms); m.State != "pending" {
		t.Errorf("the SMS file: %s, want pending", m.State)
	}
}

// syncBuffer is a log destination the loop's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMediaFetcherUnconfigured: without a token the files stay pending and the loop says
// so once.
func TestMediaFetcherUnconfigured(t *testing.T) {
	db := mediatest.Database(t)
	id := addPending(t, db, "whatsapp", domain.MessageImage, "wa-1", "image/jpeg", "")
	var logs syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)

	f := media.NewFetcher(db, media.WhatsAppConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	RunMediaFetcher(ctx, f, 10*time.Millisecond)
	if m, _ := db.Media(context.Background(), id); m.State != "pending" {
		t.Errorf("without a token: %s, want pending", m.State)
	}
	if n := strings.Count(logs.String(), "WhatsApp is not configured"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, logs.String())
	}
}
