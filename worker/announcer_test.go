package worker

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/activities"
	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/publish"
	"aduan/store"
)

// flakySite is a webhook receiver that answers status to its first failures pushes and
// 200 after.
type flakySite struct {
	*httptest.Server
	mu       sync.Mutex
	pushes   int
	failures int
	status   int
}

func newFlakySite(t *testing.T, failures, status int) *flakySite {
	s := &flakySite{failures: failures, status: status}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.pushes++
		if s.pushes <= s.failures {
			w.WriteHeader(s.status)
			fmt.Fprint(w, `{"error":"sedang pemeliharaan"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *flakySite) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushes
}

// publishProjected records a complaint and projects its publish the way the workflow
// does (seq 3), with the announcement queued by the projection; hook is the projections'
// hint (nil: none).
func publishProjected(t *testing.T, db *store.DB, code string, confidential bool, hook func(bool)) domain.Projection {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at)
		VALUES ($1, 'web', 'Air bersih belum sampai di pengungsian', now(), 'ready_to_publish', now())`, code); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	st := domain.CaseState{Code: code, Status: domain.StatusPublished, Pokja: "logistik", Category: "bantuan_logistik",
		Confidential: confidential, Answer: "Tangki air dikirim.", PublicTitle: "Air bersih", PublicAnswer: "Tangki air dikirim.",
		PublishedAt: &now, Seq: 3}
	p := domain.Projection{Seq: 3, At: now, Actor: domain.Actor{Username: "admin", Role: domain.RoleAdmin},
		Action: domain.ActionPublish, State: st,
		Plan: &domain.PlanRequest{Status: domain.StatusPublished, Priority: "normal", Start: now,
			Override: &domain.SLAPolicy{FeedbackWindow: domain.Span{Days: 10}, ArchiveAfter: domain.Span{Days: 30}}},
		Announce: &domain.AnnounceRequest{
			Notify: domain.NotifyRequest{Key: code + "/answer/3", Code: code, Kind: domain.NotifyAnswer,
				Status: domain.StatusPublished, Pokja: "logistik", Due: now},
			Publish: domain.PublishRequest{Code: code},
		}}
	a := &activities.Activities{DB: db, Projected: hook}
	// Twice, as a retried local activity would: one announcement.
	for range 2 {
		if _, err := a.ProjectComplaint(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

type announcementRow struct {
	Attempts  int        `db:"attempts"`
	LastError *string    `db:"last_error"`
	DoneAt    *time.Time `db:"done_at"`
	NextAt    time.Time  `db:"next_at"`
	Request   []byte     `db:"request"`
}

func announcementOf(t *testing.T, db *store.DB, code string) announcementRow {
	t.Helper()
	var rows []announcementRow
	if err := db.Select(&rows, `SELECT attempts, last_error, done_at, next_at, request FROM announcements WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%s has %d announcements, want 1", code, len(rows))
	}
	return rows[0]
}

func answersTo(t *testing.T, db *store.DB, code string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM notifications WHERE code = $1 AND kind = 'answer'`, code); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAnnouncer: a publish's projection queues its announcement once, with the deadline
// its own plan laid out; the announcer tells the complainant and pushes to the sites; a
// site that is down is tried again after a wait that doubles, and the retry neither
// resends the answer nor pushes twice; a failure for good (a confidential complaint) ends
// it with its reason; what a stopping announcer gives back is taken again, its attempt
// not counted; and a projection's hint wakes the announcer at once.
func TestAnnouncer(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	site := newFlakySite(t, 1, http.StatusServiceUnavailable)
	a := &activities.Announcer{Notifier: &activities.Notifier{DB: db},
		Publisher: &activities.Publisher{DB: db, BaseURL: "http://test",
			Sites: []publish.Site{&publish.WebhookSite{URL: site.URL, Secret: "rahasia-uji"}}}}

	p := publishProjected(t, db, "ADU-ANN0-0001", false, nil)
	row := announcementOf(t, db, "ADU-ANN0-0001")
	q, err := (store.PendingAnnouncement{Request: row.Request}).AnnounceRequest()
	if err != nil {
		t.Fatal(err)
	}
	if q.Notify.Deadline == nil || !q.Notify.Deadline.After(p.At.Add(9*24*time.Hour)) || q.Notify.Key != "ADU-ANN0-0001/answer/3" {
		t.Errorf("queued request %+v, want the feedback window's deadline", q.Notify)
	}

	// First pass: the answer goes; the site is down: due again in 2 s.
	if n := announce(ctx, a, db); n != 1 {
		t.Fatalf("first pass took %d", n)
	}
	row = announcementOf(t, db, "ADU-ANN0-0001")
	if row.DoneAt != nil || row.Attempts != 1 || row.LastError == nil || !strings.Contains(*row.LastError, "webhook") ||
		time.Until(row.NextAt) < time.Second || time.Until(row.NextAt) > 3*time.Second {
		t.Fatalf("after the site's failure: %+v", row)
	}
	if site.count() != 1 || answersTo(t, db, "ADU-ANN0-0001") != 1 {
		t.Fatalf("pushes %d, answers %d; want 1 and 1", site.count(), answersTo(t, db, "ADU-ANN0-0001"))
	}
	// Not due yet: nothing taken.
	if n := announce(ctx, a, db); n != 0 {
		t.Fatalf("taken %d before its wait ended", n)
	}
	if _, err := db.ExecContext(ctx, `UPDATE announcements SET next_at = now() WHERE code = 'ADU-ANN0-0001'`); err != nil {
		t.Fatal(err)
	}
	if n := announce(ctx, a, db); n != 1 {
		t.Fatalf("second pass took %d", n)
	}
	row = announcementOf(t, db, "ADU-ANN0-0001")
	if row.DoneAt == nil || row.Attempts != 2 || row.LastError != nil {
		t.Fatalf("after the retry: %+v, want done on attempt 2", row)
	}
	if site.count() != 2 || answersTo(t, db, "ADU-ANN0-0001") != 1 {
		t.Errorf("after the retry: pushes %d, answers %d; want 2 and 1", site.count(), answersTo(t, db, "ADU-ANN0-0001"))
	}
	if n := announce(ctx, a, db); n != 0 {
		t.Errorf("a done announcement taken again (%d)", n)
	}

	// A confidential complaint is never pushed: done, with the reason.
	publishProjected(t, db, "ADU-ANN0-0002", true, nil)
	announce(ctx, a, db)
	row = announcementOf(t, db, "ADU-ANN0-0002")
	if row.DoneAt == nil || row.LastError == nil || !strings.Contains(*row.LastError, "confidential") || site.count() != 2 {
		t.Errorf("confidential: %+v, pushes %d", row, site.count())
	}

	// What `aduan verify` reports: the confidential one given up; the others are done.
	problems, err := db.AnnouncementProblems(ctx, time.Hour)
	if err != nil || len(problems) != 1 || problems[0].Code != "ADU-ANN0-0002" || !problems[0].Done {
		t.Errorf("announcement problems %+v (%v), want ADU-ANN0-0002 given up", problems, err)
	}

	// Given back by a stopping announcer: taken again at once, the attempt not counted.
	publishProjected(t, db, "ADU-ANN0-0003", false, nil)
	claimed, err := db.ClaimAnnouncements(ctx, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %+v", err, claimed)
	}
	if again, _ := db.ClaimAnnouncements(ctx, time.Minute, 10); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	releaseAnnouncements(ctx, db, claimed)
	if n := announce(ctx, a, db); n != 1 {
		t.Fatalf("after the release: took %d", n)
	}
	if row = announcementOf(t, db, "ADU-ANN0-0003"); row.DoneAt == nil || row.Attempts != 1 {
		t.Errorf("after the release: %+v, want done on attempt 1", row)
	}
	// One not done an hour after its publish is reported too.
	publishProjected(t, db, "ADU-ANN0-0005", false, nil)
	if _, err := db.ExecContext(ctx, `UPDATE announcements SET created_at = now() - interval '2 hours',
		next_at = now() + interval '1 hour', attempts = 7, last_error = 'webhook: HTTP 503' WHERE code = 'ADU-ANN0-0005'`); err != nil {
		t.Fatal(err)
	}
	problems, err = db.AnnouncementProblems(ctx, time.Hour)
	if err != nil || len(problems) != 2 || problems[0].Code != "ADU-ANN0-0005" || problems[0].Done || problems[0].Attempts != 7 ||
		problems[0].Problem != "webhook: HTTP 503" {
		t.Errorf("announcement problems %+v (%v), want ADU-ANN0-0005 still retried, first", problems, err)
	}

	// The projection's hint wakes a running announcer long before its next pass.
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); RunAnnouncer(rctx, a, db, time.Hour) }()
	defer func() { cancel(); <-done }()
	publishProjected(t, db, "ADU-ANN0-0004", false, projected)
	deadline := time.Now().Add(5 * time.Second)
	for announcementOf(t, db, "ADU-ANN0-0004").DoneAt == nil {
		if time.Now().After(deadline) {
			t.Fatal("the woken announcer did not announce within 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRetryWait: 2 s, doubling, at most 10 minutes.
func TestRetryWait(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 3: 8 * time.Second,
		9: 512 * time.Second, 10: 10 * time.Minute, 1000: 10 * time.Minute} {
		if got := retryWait(attempt); got != want {
			t.Errorf("retryWait(%d) = %v, want %v", attempt, got, want)
		}
	}
}

// TestGiveWay: an announcement waits while staff act, never past announceGiveWay after it
// was queued, and not at all when nobody does.
func TestGiveWay(t *testing.T) {
	ctx := context.Background()
	lastProjection.Store(0)
	start := time.Now()
	giveWay(ctx, store.PendingAnnouncement{QueuedAt: start})
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("with nobody acting it waited %v", d)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				projected(false)
			}
		}
	}()
	projected(false)
	start = time.Now()
	giveWay(ctx, store.PendingAnnouncement{QueuedAt: start.Add(-announceGiveWay + 500*time.Millisecond)})
	if d := time.Since(start); d < 400*time.Millisecond || d > 1500*time.Millisecond {
		t.Errorf("with staff acting it waited %v, want about the 500 ms left of its %v", d, announceGiveWay)
	}
}
