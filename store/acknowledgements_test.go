package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/media/mediatest"
	"aduan/store"
)

// TestReleaseAcks: claimed acknowledgements are nobody else's until released; a release
// gives them back at once, but only the claim it names: one another worker claimed since
// stays that worker's.
func TestReleaseAcks(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	for _, code := range []string{"ADU-ACK0-0001", "ADU-ACK0-0002"} {
		addComplaint(t, db, code)
	}
	if _, err := db.ExecContext(ctx, `UPDATE complaints SET ack_pending = true, ack_claimed_until = NULL`); err != nil {
		t.Fatal(err)
	}
	claim := func() []store.PendingAck {
		t.Helper()
		got, err := db.ClaimAcks(ctx, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := claim()
	if len(first) != 2 || first[0].ClaimedUntil.Before(time.Now().Add(50*time.Second)) {
		t.Fatalf("first claim: %+v, want both held for a minute", first)
	}
	if again := claim(); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	if err := db.ReleaseAcks(ctx, first[:1]); err != nil {
		t.Fatal(err)
	}
	second := claim()
	if len(second) != 1 || second[0].Code != first[0].Code {
		t.Fatalf("after releasing %s: claimed %+v", first[0].Code, second)
	}
	// The first claim's release again, now stale: the second claim stands.
	if err := db.ReleaseAcks(ctx, first[:1]); err != nil {
		t.Fatal(err)
	}
	if again := claim(); len(again) != 0 {
		t.Errorf("a stale release freed another worker's claim: %+v", again)
	}
	// A sent acknowledgement is not given back.
	if err := db.AckSent(ctx, second[0].Code); err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseAcks(ctx, second); err != nil {
		t.Fatal(err)
	}
	if again := claim(); len(again) != 0 {
		t.Errorf("a sent acknowledgement was claimed again: %+v", again)
	}
}
