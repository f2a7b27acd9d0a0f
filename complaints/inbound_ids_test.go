package complaints_test

import (
	"context"
	"testing"

	"go.temporal.io/sdk/mocks"

	"aduan/complaints"
	"aduan/complaints/storefake"
)

// A provider's message, media or status id that no provider writes (a NUL, a control
// character, invalid UTF-8, a kilobyte) is refused as malformed (400) before it reaches
// PostgreSQL, whose error would have answered 503 and made the provider retry forever.
func TestProviderIDsAreCheckedBeforeTheDatabase(t *testing.T) {
	ctx := context.Background()
	db := storefake.New() // fails like PostgreSQL on a NUL or invalid UTF-8
	core := complaints.New(db, mocks.NewClient(t), complaints.Config{})
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'a'
	}
	for _, id := range []string{"wamid.\x00x", "wamid.\xff", "wamid x", "", string(long)} {
		m := complaints.InboundMessage{Channel: "whatsapp", ID: id, From: "6281234567890", Text: "Air bersih habis di pengungsian"}
		if err := core.TakeMessage(ctx, m); complaints.KindOf(err) != complaints.KindInvalid {
			t.Errorf("message id %q: %v, want invalid", id, err)
		}
		st := complaints.DeliveryStatus{Channel: "whatsapp", Ref: id, Status: "delivered"}
		if err := core.TakeStatus(ctx, st); complaints.KindOf(err) != complaints.KindInvalid {
			t.Errorf("status ref %q: %v, want invalid", id, err)
		}
	}
	media := complaints.InboundMessage{Channel: "whatsapp", ID: "wamid.ok", From: "6281234567890", Type: "image",
		Media: &complaints.InboundMedia{Ref: "12\x0034"}}
	if err := core.TakeMessage(ctx, media); complaints.KindOf(err) != complaints.KindInvalid {
		t.Errorf("media id with a NUL: %v, want invalid", err)
	}
}
