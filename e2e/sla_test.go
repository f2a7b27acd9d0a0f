package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"aduan/domain"
)

// TestPartnerLateRemindedThenEscalated: with a policy in seconds, a complaint left at a
// partner is reminded, then marked overdue and escalated (supervisors and the pokja),
// then escalated to the head of office: outbox rows with the right recipients, overdue in
// the API and the supervisor's inbox, AduanOverdue in Temporal's visibility.
func TestPartnerLateRemindedThenEscalated(t *testing.T) {
	t.Parallel()
	sec := func(n int) domain.Span { return domain.Span{Dur: time.Duration(n) * time.Second} }
	hour := sec(3600)
	deps := apiDeps
	deps.SLAOverride = &domain.SLAPolicy{
		Stages: map[domain.Status]domain.Span{
			domain.StatusReceived: hour, domain.StatusAwaitingInfo: hour, domain.StatusAtPokja: hour,
			domain.StatusAtPartner: sec(6), domain.StatusPokjaReview: hour, domain.StatusReadyToPublish: hour,
		},
		Reminders: []float64{0.5}, EscalateHeadAfter: sec(3), OverdueEvery: sec(3), OverdueMax: 1,
		Overall: sec(3 * 3600), FeedbackWindow: hour, ArchiveAfter: hour,
	}
	srv := httptest.NewServer(newRouter(t, deps))
	t.Cleanup(srv.Close)

	r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "kecamatan": "simboro"}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %s", r)
	}
	code, _ := r.object(t)["code"].(string)
	waitStarted(t, code) // by this API's starter, with its policy
	triage(t, code, "logistik", "bantuan_logistik")
	fwd := step(t, "pokja-logistik", code, "forward", map[string]any{"partner": "ypii", "note": "Mohon dicek"}, domain.StatusAtPartner)
	if fwd.Deadline == nil || fwd.Deadline.Sub(fwd.last().At) != 6*time.Second {
		t.Fatalf("deadline at the partner %v for forward at %v, want 6 s later", fwd.Deadline, fwd.last().At)
	}

	var v staffView
	if !eventually(25*time.Second, func() bool {
		v = view(t, "admin", code)
		return v.last().Action == "escalate"
	}) {
		t.Fatalf("no escalation to the head of office 25 s after a 6 s deadline: %+v", v.Events)
	}
	checkEvents(t, v)
	if !v.Overdue {
		t.Error("staff view not overdue after the deadline")
	}
	n := len(v.Events)
	if v.Events[n-2].Action != "overdue" || v.Events[n-2].Role != "system" {
		t.Errorf("events before the escalation: %+v", v.Events[n-2:])
	}
	if !listCodes(t, "supervisor", "/api/v1/staff/tasks")[code] {
		t.Error("overdue complaint missing from the supervisor's inbox")
	}
	if !listCodes(t, "admin", "/api/v1/staff/complaints?overdue=true&q="+code)[code] {
		t.Error("search overdue=true lacks the complaint")
	}

	// The outbox: who was told what.
	type row struct {
		Kind      string     `db:"kind"`
		Recipient string     `db:"recipient"`
		SentAt    *time.Time `db:"sent_at"`
	}
	want := map[string]bool{
		"ack/pelapor":         true, // the complainant's acknowledgement at intake
		"reminder/mitra-ypii": true, "escalation/supervisor": true, "escalation/pokja-logistik": true,
		"escalation_head/kepala-dinas": true, "overdue_reminder/mitra-ypii": true,
	}
	var rows []row
	if !eventually(30*time.Second, func() bool {
		rows = nil
		_ = testDB.Select(&rows, `SELECT kind, recipient, sent_at FROM notifications WHERE code = $1 ORDER BY id`, code)
		sent := 0
		for _, r := range rows {
			if r.SentAt != nil {
				sent++
			}
		}
		return sent >= len(want) // every expected row written and delivered
	}) {
		t.Fatalf("outbox rows %+v, want %d", rows, len(want))
	}
	for _, r := range rows {
		key := r.Kind + "/" + r.Recipient
		if !want[key] {
			t.Errorf("unexpected notification %s", key)
		}
		delete(want, key)
		if r.SentAt == nil {
			t.Errorf("notification %s not delivered", key)
		}
	}
	if len(want) != 0 {
		t.Errorf("notifications missing: %v", want)
	}
	// The partner sees its reminder in its own list.
	var mine struct {
		Items []struct {
			Code string `json:"code"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	do(t, "GET", "/api/v1/staff/notifications", "mitra-ypii", nil, nil).decode(t, &mine)
	found := false
	for _, it := range mine.Items {
		found = found || it.Code == code && it.Kind == "reminder"
	}
	if !found {
		t.Errorf("mitra-ypii's notifications lack the reminder for %s: %+v", code, mine.Items)
	}

	// Temporal's visibility agrees.
	wid := domain.WorkflowID(code)
	if !eventually(10*time.Second, func() bool {
		res, err := tc.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Namespace: "default",
			Query: "AduanOverdue=true AND AduanPartner='ypii' AND WorkflowId='" + wid + "'"})
		return err == nil && len(res.Executions) == 1
	}) {
		t.Error("AduanOverdue=true does not find the workflow")
	}

	// Acting clears the mark and the partner's stage ends.
	step(t, "mitra-ypii", code, "partner_answer", map[string]any{"answer": "Sudah dikirim hari ini."}, domain.StatusPokjaReview)
	if after := view(t, "admin", code); after.Overdue {
		t.Error("still overdue after the partner answered")
	}
	recordHistory(t, code, "partner_reminder_escalation")
}
