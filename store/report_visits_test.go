package store_test

import (
	"context"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

type visit struct {
	Seq        int64     `db:"seq"`
	Status     string    `db:"status"`
	Seconds    *float64  `db:"seconds"`
	CreatedAt  time.Time `db:"created_at"`
	FirstAns   bool      `db:"first_answer"`
	FirstPub   bool      `db:"first_publication"`
	PrevStatus *string   `db:"prev_status"`
}

func visitsOf(t *testing.T, db *store.DB, code string) []visit {
	t.Helper()
	var vs []visit
	if err := db.SelectContext(context.Background(), &vs, `SELECT seq, status, seconds, created_at, first_answer,
			first_publication, prev_status FROM complaint_visits WHERE code = $1 ORDER BY seq`, code); err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestReportVisits: the stage visits follow the audit trail whatever writes it (events
// inserted together or one by one, an event's time changed by a retried projection, the
// complaint's creation moved), and the report's stage times, answers and reopenings are
// read from them.
func TestReportVisits(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	t0 := time.Date(2019, 3, 4, 8, 0, 0, 0, time.UTC)
	h := func(n float64) time.Time { return t0.Add(time.Duration(n * float64(time.Hour))) }
	exec(t, db, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at)
		VALUES ('ADU-V1S1-0001', 'web', 'Air bersih tidak mengalir', $1, 'received', $1)`, t0)
	// Several events in one statement: received 2h (a note on the way), at_pokja 3h,
	// ready_to_publish 1h, published (first answer and publication), reopened to
	// at_pokja 2h, ready 1h, published again.
	exec(t, db, `INSERT INTO complaint_events (code, seq, at, actor, role, action, status) VALUES
		('ADU-V1S1-0001', 1, $1, 'pelapor', 'complainant', 'submit', 'received'),
		('ADU-V1S1-0001', 2, $2, 'admin', 'admin', 'note', 'received'),
		('ADU-V1S1-0001', 3, $3, 'admin', 'admin', 'triage', 'at_pokja'),
		('ADU-V1S1-0001', 4, $4, 'pokja-logistik', 'pokja', 'answer', 'ready_to_publish'),
		('ADU-V1S1-0001', 5, $5, 'admin', 'admin', 'publish', 'published')`, h(0), h(1), h(2), h(5), h(6))
	exec(t, db, `INSERT INTO complaint_events (code, seq, at, actor, role, action, status) VALUES
		('ADU-V1S1-0001', 6, $1, 'pelapor', 'complainant', 'reopen', 'at_pokja')`, h(30))
	exec(t, db, `INSERT INTO complaint_events (code, seq, at, actor, role, action, status) VALUES
		('ADU-V1S1-0001', 7, $1, 'pokja-logistik', 'pokja', 'answer', 'ready_to_publish')`, h(32))
	state := domain.CaseState{Code: "ADU-V1S1-0001", Channel: "web", Status: domain.StatusPublished, ReopenCount: 1}
	if err := db.ApplyProjection(ctx, domain.Projection{Seq: 8, At: h(33), Action: domain.ActionPublish,
		Actor: domain.Actor{Username: "admin", Role: domain.RoleAdmin}, State: state}, nil); err != nil {
		t.Fatal(err)
	}
	vs := visitsOf(t, db, "ADU-V1S1-0001")
	want := []struct {
		seq      int64
		status   string
		seconds  float64 // -1: still there
		ans, pub bool
	}{
		{1, "received", 2 * 3600, false, false},
		{3, "at_pokja", 3 * 3600, false, false},
		{4, "ready_to_publish", 3600, false, false},
		{5, "published", 24 * 3600, true, true},
		{6, "at_pokja", 2 * 3600, false, false},
		{7, "ready_to_publish", 3600, false, false},
		{8, "published", -1, false, false},
	}
	if len(vs) != len(want) {
		t.Fatalf("visits %+v, want %d", vs, len(want))
	}
	for i, w := range want {
		v := vs[i]
		secs := -1.0
		if v.Seconds != nil {
			secs = *v.Seconds
		}
		if v.Seq != w.seq || v.Status != w.status || secs != w.seconds || v.FirstAns != w.ans || v.FirstPub != w.pub ||
			!v.CreatedAt.Equal(t0) {
			t.Errorf("visit %d: %+v (seconds %v), want %+v", i, v, secs, w)
		}
	}

	// A retried projection of event 8 with a later time; the creation moved an hour back.
	if err := db.ApplyProjection(ctx, domain.Projection{Seq: 8, At: h(34), Action: domain.ActionPublish,
		Actor: domain.Actor{Username: "admin", Role: domain.RoleAdmin}, State: state}, nil); err != nil {
		t.Fatal(err)
	}
	exec(t, db, `UPDATE complaint_events SET at = $1 WHERE code = 'ADU-V1S1-0001' AND seq = 7`, h(31))
	exec(t, db, `UPDATE complaints SET created_at = $1 WHERE code = 'ADU-V1S1-0001'`, h(-1))
	vs = visitsOf(t, db, "ADU-V1S1-0001")
	if len(vs) != 7 || *vs[4].Seconds != 3600 || *vs[5].Seconds != 3*3600 || !vs[0].CreatedAt.Equal(h(-1)) {
		t.Errorf("after the changes: %+v", vs)
	}

	// The report of March 2019 (the complaint was created 1 hour before t0).
	admin := domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	r, err := db.Report(ctx, admin, time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC), 60*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	stage := map[domain.Status]store.StageTime{}
	for _, s := range r.Stages {
		stage[s.Stage] = s
	}
	// at_pokja [3h, 1h] and ready_to_publish [1h, 3h]: median 2h, p90 2.8h.
	if s := stage[domain.StatusAtPokja]; s.Visits != 2 || *s.MedianSeconds != 2*3600 {
		t.Errorf("at_pokja %+v", s)
	}
	if s := stage[domain.StatusReadyToPublish]; s.Visits != 2 || *s.MedianSeconds != 2*3600 || *s.P90Seconds != 2.8*3600 {
		t.Errorf("ready_to_publish %+v (median %v p90 %v)", s, *s.MedianSeconds, *s.P90Seconds)
	}
	if r.Total != 1 || r.Answered != 1 || r.AnsweredOnTime != 1 || r.Published != 1 || r.Reopened != 1 {
		t.Errorf("report: total %d answered %d on time %d published %d reopened %d, want 1 each",
			r.Total, r.Answered, r.AnsweredOnTime, r.Published, r.Reopened)
	}
	// Not answered in April: the first answer was in March.
	r, err = db.Report(ctx, admin, time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), 60*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 0 || r.Answered != 0 || r.Published != 0 {
		t.Errorf("April: total %d answered %d published %d, want 0", r.Total, r.Answered, r.Published)
	}

	// Deleting the trail deletes the visits.
	exec(t, db, `DELETE FROM complaint_events WHERE code = 'ADU-V1S1-0001'`)
	if vs = visitsOf(t, db, "ADU-V1S1-0001"); len(vs) != 0 {
		t.Errorf("visits of a deleted trail: %+v", vs)
	}
}
