package store_test

import (
	"bytes"
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"aduan/media/mediatest"
	"aduan/store"
)

// addMedia inserts a message of kind (attached to code, or from a number when code is
// "") with a pending file on channel; it returns the file's id.
func addMedia(t *testing.T, db *store.DB, code, channel, kind, ref string) int64 {
	t.Helper()
	ctx := context.Background()
	var msgID, id int64
	var codeArg, phone any
	if code != "" {
		codeArg = code
	} else {
		phone = "6281200000000"
	}
	if err := db.GetContext(ctx, &msgID, `INSERT INTO complaint_messages (code, from_phone, channel, text, kind)
		VALUES ($1, $2, $3, 'keterangan foto', $4) RETURNING id`, codeArg, phone, channel, kind); err != nil {
		t.Fatal(err)
	}
	if err := db.GetContext(ctx, &id, `INSERT INTO message_media (message_id, channel, provider_ref, mime_type, sha256, filename, voice)
		VALUES ($1, $2, $3, 'image/jpeg', 'abc=', 'foto.jpg', $4) RETURNING id`, msgID, channel, ref, kind == "audio"); err != nil {
		t.Fatal(err)
	}
	return id
}

func ids(rows []store.PendingMedia) []int64 {
	out := []int64{}
	for _, r := range rows {
		out = append(out, r.ID)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// TestMediaQueue: pending files are claimed once per hold, by channel; each outcome
// (retry counted or not, stored with its blob, failed) is recorded on a pending row only.
func TestMediaQueue(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	a := addMedia(t, db, "", "whatsapp", "image", "wa-1")
	b := addMedia(t, db, "", "whatsapp", "audio", "wa-2")
	addMedia(t, db, "", "sms", "image", "https://gateway/x")

	if n, err := db.MediaWaiting(ctx, []string{"whatsapp"}); err != nil || n != 2 {
		t.Fatalf("waiting: %d, %v", n, err)
	}
	got, err := db.ClaimMedia(ctx, []string{"whatsapp"}, time.Minute, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("claim: %v, %v", got, err)
	}
	for _, p := range got {
		want := map[int64]string{a: "image", b: "audio"}[p.ID]
		if string(p.Kind) != want || p.Channel != "whatsapp" || p.MimeType != "image/jpeg" || p.SHA256 != "abc=" || p.Attempts != 0 {
			t.Errorf("claimed %+v, want kind %s", p, want)
		}
	}
	if again, _ := db.ClaimMedia(ctx, []string{"whatsapp"}, time.Minute, 10); len(again) != 0 {
		t.Fatalf("held files claimed again: %v", ids(again))
	}

	// a: retried (counted) at once, then uncounted; b: stored.
	if err := db.MediaRetry(ctx, a, 0, true, "media metadata: HTTP 500"); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte{0xff, 0xd8, 0}, 1000)
	if err := db.PutMediaBlob(ctx, b, data); err != nil {
		t.Fatal(err)
	}
	if err := db.PutMediaBlob(ctx, b, data); err != nil { // a retried put replaces
		t.Fatal(err)
	}
	if err := db.MediaStored(ctx, b, "audio/ogg", int64(len(data))); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ClaimMedia(ctx, []string{"whatsapp"}, time.Minute, 10)
	if len(got) != 1 || got[0].ID != a || got[0].Attempts != 1 || got[0].LastError.String != "media metadata: HTTP 500" {
		t.Fatalf("after a retry: %+v", got)
	}
	if err := db.MediaRetry(ctx, a, time.Hour, false, "token refused"); err != nil {
		t.Fatal(err)
	}
	if got, _ = db.ClaimMedia(ctx, []string{"whatsapp"}, time.Minute, 10); len(got) != 0 {
		t.Fatalf("a file waiting an hour was claimed: %v", ids(got))
	}
	if err := db.MediaFailed(ctx, a, "file type \"text/html\" is not kept for image messages"); err != nil {
		t.Fatal(err)
	}
	// An outcome recorded late never overwrites a final state.
	if err := db.MediaStored(ctx, a, "image/jpeg", 1); err != nil {
		t.Fatal(err)
	}
	if err := db.MediaRetry(ctx, b, 0, true, "late"); err != nil {
		t.Fatal(err)
	}

	ma, err := db.Media(ctx, a)
	if err != nil || ma.State != "failed" || ma.LastError.String == "" || ma.SizeBytes.Valid || ma.StoredAt != nil {
		t.Errorf("a: %+v, %v", ma, err)
	}
	mb, err := db.Media(ctx, b)
	if err != nil || mb.State != "stored" || mb.MimeType != "audio/ogg" || mb.SizeBytes.Int64 != int64(len(data)) ||
		mb.StoredAt == nil || !mb.Voice || mb.Kind != "audio" || mb.Filename.String != "foto.jpg" || mb.Code.Valid ||
		mb.LastError.Valid || mb.Channel != "whatsapp" {
		t.Errorf("b: %+v, %v", mb, err)
	}
	if blob, err := db.MediaBlob(ctx, b); err != nil || !bytes.Equal(blob, data) {
		t.Errorf("b's blob: %d bytes, %v", len(blob), err)
	}
	if _, err := db.MediaBlob(ctx, a); err != store.ErrNotFound {
		t.Errorf("a's blob: %v, want ErrNotFound", err)
	}
	if _, err := db.Media(ctx, 999999); err != store.ErrNotFound {
		t.Errorf("an unknown file: %v, want ErrNotFound", err)
	}
	if n, _ := db.MediaWaiting(ctx, []string{"whatsapp", "sms"}); n != 1 {
		t.Errorf("waiting on both channels: %d, want the SMS file", n)
	}
}

// TestMediaClaimSkipsLocked: workers claiming at once take disjoint batches.
func TestMediaClaimSkipsLocked(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	for i := range 40 {
		addMedia(t, db, "", "whatsapp", "image", "wa-"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				got, err := db.ClaimMedia(ctx, []string{"whatsapp"}, time.Minute, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, p := range got {
					seen[p.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 40 {
		t.Errorf("%d files claimed, want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("file %d claimed %d times", id, n)
		}
	}
}

// TestMessagesCarryMedia: a complaint's messages list each one's file (or none).
func TestMessagesCarryMedia(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	const code = "ADU-TEST-0001"
	if _, err := db.ExecContext(ctx, `INSERT INTO complaints (code, channel, text, created_at, updated_at, status)
		VALUES ($1, 'whatsapp', 'Jalan rusak di depan sekolah', now(), now(), 'received')`, code); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddMessage(ctx, code, "whatsapp", "Tambahan keterangan"); err != nil {
		t.Fatal(err)
	}
	id := addMedia(t, db, code, "whatsapp", "audio", "wa-voice")
	if err := db.PutMediaBlob(ctx, id, []byte("OggS")); err != nil {
		t.Fatal(err)
	}
	if err := db.MediaStored(ctx, id, "audio/ogg", 4); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.Messages(ctx, code)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("messages: %+v, %v", msgs, err)
	}
	if m := msgs[0]; m.MediaID.Valid || m.MediaKind.Valid || m.MediaState.Valid || m.Text != "Tambahan keterangan" {
		t.Errorf("a text message: %+v", m)
	}
	if m := msgs[1]; m.MediaID.Int64 != id || m.MediaKind.String != "audio" || m.MediaState.String != "stored" ||
		m.MediaMimeType.String != "audio/ogg" || m.MediaSize.Int64 != 4 || !m.MediaVoice.Bool ||
		m.MediaFilename.String != "foto.jpg" || m.Text != "keterangan foto" {
		t.Errorf("a voice note: %+v", m)
	}
	if m, err := db.Media(ctx, id); err != nil || m.Code.String != code {
		t.Errorf("the file's complaint: %+v, %v", m, err)
	}
}
