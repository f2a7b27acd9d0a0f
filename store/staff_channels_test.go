package store_test

import (
	"context"
	"errors"
	"testing"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

// TestStaffChannels: a user's channel, number, e-mail and digest are stored and read
// back, by themselves and with the user as notifications find them; the table refuses a
// channel that is not one.
func TestStaffChannels(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	if err := db.UpsertStaff(ctx, store.NewStaff("super-a", "Supervisor A", domain.RoleSupervisor, "")); err != nil {
		t.Fatal(err)
	}
	if c, err := db.StaffChannelsOf(ctx, "super-a"); err != nil || c != (store.StaffChannels{}) {
		t.Fatalf("before any choice: %+v %v", c, err)
	}
	want := store.StaffChannels{Channel: "whatsapp", Phone: "6281234567890", Email: "a@mamujukab.go.id", Digest: true}
	if err := db.SetStaffChannels(ctx, "super-a", want); err != nil {
		t.Fatal(err)
	}
	if c, err := db.StaffChannelsOf(ctx, "super-a"); err != nil || c != want {
		t.Errorf("read back: %+v %v", c, err)
	}
	all, err := db.AllStaffChannels(ctx)
	if err != nil || all["super-a"] != want {
		t.Errorf("all: %+v %v", all, err)
	}
	rows, err := db.StaffRecipients(ctx, domain.RoleSupervisor, "", "")
	if err != nil || len(rows) != 1 {
		t.Fatalf("recipients %+v %v", rows, err)
	}
	if p := rows[0].OfficerPrefs(); p != (domain.OfficerPrefs{Channel: "whatsapp", Phone: "6281234567890", Email: "a@mamujukab.go.id", Digest: true}) {
		t.Errorf("prefs of a recipient: %+v", p)
	}
	// Clearing: an empty number and address are NULL again.
	if err := db.SetStaffChannels(ctx, "super-a", store.StaffChannels{Channel: "console"}); err != nil {
		t.Fatal(err)
	}
	if s, err := db.StaffByUsername(ctx, "super-a"); err != nil || s.Phone.Valid || s.Email.Valid || s.NotifyChannel.String != "console" {
		t.Errorf("after clearing: %+v %v", s, err)
	}
	if err := db.SetStaffChannels(ctx, "nobody", want); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if _, err := db.StaffChannelsOf(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown user read: %v", err)
	}
	if err := db.SetStaffChannels(ctx, "super-a", store.StaffChannels{Channel: "log"}); err == nil {
		t.Error("the table took channel log")
	}
}
