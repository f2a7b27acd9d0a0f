package e2e

import (
	"context"
	"testing"

	"aduan/bench"
	"aduan/verify"
)

// TestVerifyArchived: finished complaints whose workflows retention has deleted (a year
// of them, bench.LoadYear) are counted as archived by verify, neither checked nor drift;
// an open complaint whose workflow is missing is still drift.
func TestVerifyArchived(t *testing.T) {
	t.Parallel()
	db, _ := freshDatabase(t)
	ctx := context.Background()
	if _, err := bench.LoadYear(ctx, db, 30, 7); err != nil {
		t.Fatal(err)
	}
	r, err := verify.Check(ctx, db, tc, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Archived != 30 || r.Checked != 0 || r.Drifted != 0 || r.NotStarted != 0 {
		t.Fatalf("a year of closed complaints: %+v, want 30 archived and nothing else", r)
	}
	// An open complaint said to be started, whose workflow Temporal does not know.
	if _, err := db.ExecContext(ctx, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at,
			workflow_started, ack_pending)
		VALUES ('ADU-0RPH-4N00', 'web', 'Air bersih belum sampai', now(), 'at_pokja', now(), true, false)`); err != nil {
		t.Fatal(err)
	}
	if r, err = verify.Check(ctx, db, tc, false); err != nil {
		t.Fatal(err)
	}
	if r.Archived != 30 || r.Checked != 1 || r.Drifted != 1 || len(r.Drifts) != 1 ||
		r.Drifts[0].Code != "ADU-0RPH-4N00" || r.Drifts[0].Workflow != "not found" {
		t.Fatalf("an open complaint without its workflow: %+v, want it as drift", r)
	}
}
