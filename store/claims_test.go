package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

// TestClaimNotifications: a row claimed for a send is nobody else's until its claim
// passes; its holder may claim it again (a batch claim renewed for the send); a claim of
// several rows takes all or none; a released row is free at once; a sent row is nobody's.
func TestClaimNotifications(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	addComplaint(t, db, "ADU-CLM0-0001")
	now := time.Now()
	var rows []store.Notification
	for _, k := range []string{"c/a", "c/b", "c/c"} {
		rows = append(rows, store.Notification{DedupeKey: k, Code: "ADU-CLM0-0001", Kind: domain.NotifyReminder,
			Recipient: "pokja-a", Channel: "email", Template: "reminder.staff", Text: "Pengingat", DueAt: now})
	}
	if err := db.EnqueueNotifications(ctx, rows); err != nil {
		t.Fatal(err)
	}
	got, err := db.NotificationsOf(ctx, "c/")
	if err != nil || len(got) != 3 {
		t.Fatalf("outbox: %d rows, %v", len(got), err)
	}
	a, b, c := got[0].ID, got[1].ID, got[2].ID
	first, second := store.NewClaimToken(), store.NewClaimToken()
	claim := func(ids []int64, token string, at time.Time) bool {
		t.Helper()
		ok, err := db.ClaimNotifications(ctx, ids, token, at, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim([]int64{a}, first, now) {
		t.Fatal("a free row was not claimed")
	}
	if claim([]int64{a}, second, now.Add(30*time.Second)) {
		t.Error("a row in flight was claimed by another sender")
	}
	if !claim([]int64{a}, first, now.Add(30*time.Second)) {
		t.Error("the holder could not claim its row again")
	}
	if claim([]int64{b, a}, second, now.Add(45*time.Second)) {
		t.Error("a claim of two rows, one of them held, was granted")
	}
	if !claim([]int64{b}, second, now.Add(45*time.Second)) {
		t.Error("a refused claim of two rows kept the free one")
	}
	if !claim([]int64{a}, second, now.Add(30*time.Second+61*time.Second)) {
		t.Error("a row whose claim passed was not free")
	}
	if err := db.ReleaseNotification(ctx, a, first); err != nil {
		t.Fatal(err)
	}
	if claim([]int64{a}, first, now.Add(92*time.Second)) {
		t.Error("a release by a former holder freed another's claim")
	}
	if err := db.ReleaseNotification(ctx, a, second); err != nil {
		t.Fatal(err)
	}
	if !claim([]int64{a}, first, now.Add(92*time.Second)) {
		t.Error("a released row was not free")
	}
	if err := db.MarkNotificationSent(ctx, c, now, "smtp", ""); err != nil {
		t.Fatal(err)
	}
	if claim([]int64{c}, first, now) {
		t.Error("a sent row was claimed")
	}
}

// TestClaimUnstarted: two relays' claims never overlap; a batch given back is taken at
// the next claim; a started complaint is nobody's.
func TestClaimUnstarted(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	for _, code := range []string{"ADU-CLM0-0001", "ADU-CLM0-0002", "ADU-CLM0-0003"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at, deadline)
			VALUES ($1, 'web', 'Jalan rusak', now(), 'received', now(), now() + interval '3 days')`, code); err != nil {
			t.Fatal(err)
		}
	}
	later := time.Now().Add(time.Minute)
	one, err := db.ClaimUnstarted(ctx, later, time.Minute, 2)
	if err != nil || len(one.Cases) != 2 || one.Until.IsZero() {
		t.Fatalf("first claim: %+v %v", one, err)
	}
	two, err := db.ClaimUnstarted(ctx, later, time.Minute, 10)
	if err != nil || len(two.Cases) != 1 {
		t.Fatalf("second claim: %+v %v", two, err)
	}
	for _, s := range one.Cases {
		if s.Code == two.Cases[0].Code {
			t.Errorf("%s claimed twice", s.Code)
		}
	}
	if err := db.MarkWorkflowStarted(ctx, one.Cases[0].Code); err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseUnstarted(ctx, one, []string{one.Cases[0].Code, one.Cases[1].Code}); err != nil {
		t.Fatal(err)
	}
	three, err := db.ClaimUnstarted(ctx, later, time.Minute, 10)
	if err != nil || len(three.Cases) != 1 || three.Cases[0].Code != one.Cases[1].Code {
		t.Fatalf("after giving back: %+v %v (want only %s)", three, err, one.Cases[1].Code)
	}
}
