package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
)

// TestReportChanges: the change number moves with every write a report reads (a
// complaint, an event, a projection, a place's name) and stays put
// while only reads happen.
func TestReportChanges(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	changes := func() int64 {
		t.Helper()
		n, err := db.ReportChanges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	moved := func(what string, before int64) int64 {
		t.Helper()
		after := changes()
		if after == before {
			t.Errorf("%s: the change number stayed %d", what, before)
		}
		return after
	}
	n := changes()
	admin := domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	now := time.Now()
	if _, err := db.Report(ctx, admin, now.AddDate(-1, 0, 0), now.Add(time.Hour), time.Hour); err != nil {
		t.Fatal(err)
	}
	if after := changes(); after != n {
		t.Errorf("a report (a read) moved the change number from %d to %d", n, after)
	}
	exec(t, db, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at)
		VALUES ('ADU-C4NG-0001', 'web', 'Jalan rusak', $1, 'received', $1)`, now)
	n = moved("a complaint inserted", n)
	exec(t, db, `INSERT INTO complaint_events (code, seq, at, actor, role, action, status) VALUES
		('ADU-C4NG-0001', 1, $1, 'pelapor', 'complainant', 'submit', 'received')`, now)
	n = moved("an event inserted", n)
	state := domain.CaseState{Code: "ADU-C4NG-0001", Channel: "web", Status: domain.StatusAtPokja, Pokja: "logistik"}
	if err := db.ApplyProjection(ctx, domain.Projection{Seq: 2, At: now, Action: domain.ActionTriage, Actor: admin,
		State: state}, nil); err != nil {
		t.Fatal(err)
	}
	n = moved("a projection", n)
	exec(t, db, `UPDATE complaints SET ack_pending = false, workflow_started = true, start_claimed_until = NULL,
		ack_claimed_until = NULL`)
	if after := changes(); after != n {
		t.Errorf("an update of what no report reads (the loops' claims) moved the change number from %d to %d", n, after)
	}
	exec(t, db, `UPDATE complaints SET status = status WHERE false`)
	n = moved("an update of a complaint's status (even of no row)", n)
	exec(t, db, `UPDATE kecamatan SET name = name WHERE false`)
	moved("a statement on the places (even one that changes no row)", n)
}
