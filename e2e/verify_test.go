package e2e

import (
	"context"
	"net/http/httptest"
	"testing"

	"aduan/domain"
	"aduan/verify"
	"aduan/worker"
)

// TestVerifyFindsAndRepairsDrift: verify reports a projection that differs from its
// workflow, and --repair re-projects it from the workflow.
func TestVerifyFindsAndRepairsDrift(t *testing.T) {
	t.Parallel()
	db, toks := freshDatabase(t)
	tq := "aduan-verify-" + randomHex(4)
	w := worker.New(tc, db, tq, nil)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	deps := apiDeps
	deps.DB, deps.TaskQueue = db, tq
	srv := httptest.NewServer(newRouter(t, deps))
	defer srv.Close()
	r0 := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, nil)
	if r0.Status != 201 {
		t.Fatalf("intake: %s", r0)
	}
	code := r0.object(t)["code"].(string)
	if v := triageAt(t, srv.URL, toks["admin"], code); v.Status != "at_pokja" {
		t.Fatalf("triage: %+v", v)
	}
	ctx := context.Background()
	r, err := verify.Check(ctx, db, tc, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Checked != 1 || r.Drifted != 0 {
		t.Fatalf("clean database: %+v", r)
	}
	// Break the projection by hand.
	if _, err := db.ExecContext(ctx, `UPDATE complaints SET status = 'closed', pokja = 'hunian' WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	r, err = verify.Check(ctx, db, tc, true)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, d := range r.Drifts {
		fields[d.Field] = true
	}
	if r.Drifted != 1 || r.Repaired != 1 || !fields["status"] || !fields["pokja"] {
		t.Fatalf("drift report %+v", r)
	}
	if r, _ = verify.Check(ctx, db, tc, false); r.Drifted != 0 {
		t.Fatalf("after repair: %+v", r)
	}
	var status string
	_ = db.Get(&status, `SELECT status FROM complaints WHERE code = $1`, code)
	if status != string(domain.StatusAtPokja) {
		t.Errorf("repaired status %q, want at_pokja", status)
	}
}
