package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
)

// TestTasksListColumns: an inbox reads only what its entries show (store.Tasks'
// summaryColumns), and what it reads is the complaint as stored: every field a list
// entry shows is the same as in the whole row.
func TestTasksListColumns(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	deadline := time.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond) // passed: shown overdue
	exec(t, db, `INSERT INTO complaints (code, channel, text, name, phone, created_at, status, updated_at, pokja,
			category, priority, title, deadline, confidential, needs_review, kecamatan, desa, answer)
		VALUES ('ADU-TASK-0001', 'whatsapp', 'Teks panjang yang tidak dibaca daftar', 'Nama', '6281234567890',
			now() - interval '2 hours', 'at_pokja', now() - interval '1 hour', 'logistik', 'bantuan_logistik', 'urgent',
			'Beras belum tiba', $1, true, false, NULL, NULL, 'Jawaban')`, deadline)
	pokja := domain.Actor{Username: "pokja-logistik", Role: domain.RolePokja, Pokja: "logistik"}
	rows, err := db.Tasks(ctx, pokja, 200)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d tasks, want 1", len(rows))
	}
	got := rows[0]
	whole, err := db.Complaint(ctx, "ADU-TASK-0001")
	if err != nil {
		t.Fatal(err)
	}
	if got.Code != whole.Code || got.Status != whole.Status || got.Channel != whole.Channel ||
		got.Title != whole.Title || got.Category != whole.Category || got.Priority != whole.Priority ||
		got.Pokja != whole.Pokja || got.Partner != whole.Partner || got.Kecamatan != whole.Kecamatan ||
		got.Desa != whole.Desa || got.Confidential != whole.Confidential || !got.CreatedAt.Equal(whole.CreatedAt) ||
		!got.UpdatedAt.Equal(whole.UpdatedAt) || got.Deadline == nil || !got.Deadline.Equal(*whole.Deadline) ||
		got.Overdue != whole.Overdue || got.NeedsReview != whole.NeedsReview {
		t.Fatalf("inbox row %+v\ndiffers from the complaint %+v", got, whole)
	}
	if !got.Overdue {
		t.Fatal("a passed deadline is not shown overdue")
	}
	// What no list shows is not read.
	if got.Text != "" || got.Name.Valid || got.Phone.Valid || got.Answer.Valid {
		t.Fatalf("the inbox read text or personal data: %+v", got)
	}
}
