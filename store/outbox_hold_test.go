package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

// addComplaint inserts a bare complaint for the outbox's rows to belong to.
func addComplaint(t *testing.T, db *store.DB, code string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), `INSERT INTO complaints (code, channel, text, created_at, status, updated_at, priority)
		VALUES ($1, 'web', 'Air bersih belum sampai', now(), 'at_pokja', now(), 'urgent')`, code); err != nil {
		t.Fatal(err)
	}
}

func idsOf(rows []store.Notification) []int64 {
	out := []int64{}
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// TestHeldRows: rows held for office hours or a digest are written with their hold and
// mode; ClaimLoose takes a held row once its time has come (not before, not twice within
// the claim, not a digest row, not a call-back, not two days after), ClaimDigests takes
// the digest rows by recipient; a resend keeps the hold it is given.
func TestHeldRows(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	addComplaint(t, db, "ADU-HOLD-0001")
	if p, err := db.ComplaintPriority(ctx, "ADU-HOLD-0001"); err != nil || p != "urgent" {
		t.Errorf("priority: %q %v", p, err)
	}
	morning := time.Date(2030, 1, 8, 0, 0, 0, 0, time.UTC) // 08:00 WITA
	night := morning.Add(-10 * time.Hour)
	row := func(key, recipient, channel string, hold *time.Time, digest bool) store.Notification {
		return store.Notification{DedupeKey: key, Code: "ADU-HOLD-0001", Kind: domain.NotifyReminder, Recipient: recipient,
			Channel: channel, Template: "reminder.staff", Text: "Pengingat " + key, DueAt: night, HoldUntil: hold, Digest: digest,
			Mode: map[string]string{"whatsapp": "template"}[channel]}
	}
	if err := db.EnqueueNotifications(ctx, []store.Notification{
		row("k/held", "pokja-a", "whatsapp", &morning, false),
		row("k/now", "pokja-b", "email", nil, false),
		row("k/digest-b1", "pokja-b", "sms", &morning, true),
		row("k/digest-a1", "pokja-a", "whatsapp", &morning, true),
		row("k/digest-b2", "pokja-b", "sms", &morning, true),
		row("k/callback", store.ComplainantRecipient, "callback", &morning, false),
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := db.NotificationsOf(ctx, "k/")
	if err != nil || len(rows) != 6 {
		t.Fatalf("outbox: %d rows, %v", len(rows), err)
	}
	byKey := map[string]store.Notification{}
	for _, r := range rows {
		byKey[r.DedupeKey] = r
	}
	if h := byKey["k/held"]; h.HoldUntil == nil || !h.HoldUntil.Equal(morning) || h.Digest || h.Mode != "template" {
		t.Errorf("held row: hold %v digest %v mode %q", h.HoldUntil, h.Digest, h.Mode)
	}
	if n := byKey["k/now"]; n.HoldUntil != nil || n.Mode != "" {
		t.Errorf("unheld row: hold %v mode %q", n.HoldUntil, n.Mode)
	}

	if got, err := db.ClaimLoose(ctx, morning.Add(-time.Second), store.NewClaimToken(), time.Minute, 10); err != nil || len(got) != 0 {
		t.Errorf("before its time: claimed %v %v", idsOf(got), err)
	}
	got, err := db.ClaimLoose(ctx, morning, store.NewClaimToken(), time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].DedupeKey != "k/held" {
		t.Fatalf("at its time: claimed %+v %v, want the held row alone", got, err)
	}
	if again, _ := db.ClaimLoose(ctx, morning.Add(30*time.Second), store.NewClaimToken(), time.Minute, 10); len(again) != 0 {
		t.Errorf("claimed twice within the hold: %v", idsOf(again))
	}
	if err := db.MarkNotificationFailed(ctx, got[0].ID, "down"); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.ClaimLoose(ctx, morning.Add(2*time.Minute), store.NewClaimToken(), time.Minute, 10); len(again) != 1 {
		t.Errorf("a failed held row is not tried again after the claim: %v", idsOf(again))
	}
	if late, _ := db.ClaimLoose(ctx, morning.Add(49*time.Hour), store.NewClaimToken(), time.Minute, 10); len(late) != 0 {
		t.Errorf("two days after its time: claimed %v", idsOf(late))
	}

	if got, _ := db.ClaimDigests(ctx, morning.Add(-time.Second), store.NewClaimToken(), time.Minute, 10); len(got) != 0 {
		t.Errorf("digests before their time: %v", idsOf(got))
	}
	got, err = db.ClaimDigests(ctx, morning, store.NewClaimToken(), time.Minute, 10)
	var keys []string
	for _, r := range got {
		keys = append(keys, r.Recipient+":"+r.DedupeKey)
	}
	if err != nil || len(keys) != 3 || keys[0] != "pokja-a:k/digest-a1" || keys[1] != "pokja-b:k/digest-b1" || keys[2] != "pokja-b:k/digest-b2" {
		t.Errorf("digests: %v %v, want by recipient, oldest first", keys, err)
	}
	if again, _ := db.ClaimDigests(ctx, morning.Add(time.Second), store.NewClaimToken(), time.Minute, 10); len(again) != 0 {
		t.Errorf("digests claimed twice: %v", idsOf(again))
	}

	// A resend given a hold keeps it, and waits like any held row.
	failed := byKey["k/now"]
	if err := db.Resend(ctx, failed, "sms", "", &morning); err != nil {
		t.Fatal(err)
	}
	resend, err := db.NotificationsOf(ctx, "resend/")
	if err != nil || len(resend) != 1 || resend[0].HoldUntil == nil || !resend[0].HoldUntil.Equal(morning) {
		t.Fatalf("resend: %+v %v", resend, err)
	}
	if got, _ := db.ClaimLoose(ctx, morning.Add(-time.Minute), store.NewClaimToken(), time.Minute, 10); len(got) != 0 {
		t.Errorf("a held resend claimed before its time: %v", idsOf(got))
	}
}
