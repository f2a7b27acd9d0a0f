package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

// TestInboundRouteAndAttach: the route of a message (the number's open complaint, the
// delivery seen before) is read in one statement, and the message that opens a complaint
// takes with it, in the intake's statement, what its number sent before.
func TestInboundRouteAndAttach(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	const phone = "6281299990001"
	route, err := db.InboundRoute(ctx, phone, "whatsapp", "wamid.A")
	if err != nil {
		t.Fatal(err)
	}
	if route.Found || route.Seen {
		t.Fatalf("a new number: %+v", route)
	}
	// A greeting, kept with the number.
	if _, created, err := db.AddInbound(ctx, store.Inbound{FromPhone: phone, Channel: "whatsapp", ProviderID: "wamid.A",
		Kind: domain.MessageText, Text: "Halo"}); err != nil || !created {
		t.Fatalf("greeting kept: %v %v", created, err)
	}
	if route, err = db.InboundRoute(ctx, phone, "whatsapp", "wamid.A"); err != nil || route.Found || !route.Seen {
		t.Fatalf("the greeting delivered again: %+v %v", route, err)
	}
	// The complaint it opens next takes the greeting.
	since := time.Now().Add(-time.Hour)
	res, err := db.InsertIntake(ctx, store.Intake{Channel: "whatsapp", Text: "Bantuan beras belum tiba di desa kami",
		Phone: phone, IdempotencyKey: "whatsapp:wamid.B", CreatedAt: time.Now().UTC(), AttachSince: &since})
	if err != nil || !res.Created {
		t.Fatalf("intake: %+v %v", res, err)
	}
	msgs, err := db.Messages(ctx, res.Code)
	if err != nil || len(msgs) != 1 || msgs[0].Text != "Halo" {
		t.Fatalf("messages of the new complaint: %+v %v", msgs, err)
	}
	// Its number is confirmed by its own channel: the next message finds it, and the
	// message that opened it counts as seen.
	if route, err = db.InboundRoute(ctx, phone, "whatsapp", "wamid.B"); err != nil || !route.Found ||
		route.Open.Code != res.Code || route.Open.Status != domain.StatusReceived || !route.Seen {
		t.Fatalf("the opening message delivered again: %+v %v", route, err)
	}
	// Without AttachSince nothing is attached.
	if _, _, err := db.AddInbound(ctx, store.Inbound{FromPhone: "6281299990002", Channel: "sms", ProviderID: "s1",
		Kind: domain.MessageText, Text: "Halo"}); err != nil {
		t.Fatal(err)
	}
	other, err := db.InsertIntake(ctx, store.Intake{Channel: "sms", Text: "Air bersih habis di pengungsian",
		Phone: "6281299990002", IdempotencyKey: "sms:s2", CreatedAt: time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	if msgs, err := db.Messages(ctx, other.Code); err != nil || len(msgs) != 0 {
		t.Fatalf("attached without AttachSince: %+v %v", msgs, err)
	}
}
