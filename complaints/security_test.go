package complaints_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"

	"aduan/complaints"
	"aduan/complaints/storefake"
	"aduan/domain"
	"aduan/store"
)

const code = "ADU-7K3Q-XW2M"

// accepted is a mocked Update the workflow took.
func accepted(t *testing.T) *mocks.WorkflowUpdateHandle {
	h := mocks.NewWorkflowUpdateHandle(t)
	h.On("Get", mock.Anything, mock.Anything).Return(nil)
	return h
}

// Item 10: a WhatsApp "YA" whose feedback could not be written is answered 503 (the
// provider delivers it again), and the repeated delivery records it, once, although
// its message was already kept (and could not be forgotten: the database was away).
func TestWhatsAppYesSurvivesADatabaseError(t *testing.T) {
	ctx := context.Background()
	const phone = "6281234567890"
	db := storefake.New()
	db.Put(storefake.Published(code, ""))
	db.Open[phone] = store.OpenComplaint{Code: code, Status: domain.StatusPublished}
	db.FailFeedback, db.FailForget = true, true
	tc := mocks.NewClient(t)
	var sent client.UpdateWorkflowOptions
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		sent = args.Get(1).(client.UpdateWorkflowOptions)
		closed := db.Rows[code] // "YA" closes it: the number has no open complaint now
		closed.Status = domain.StatusClosed
		db.Put(closed)
		delete(db.Open, phone)
	}).Return(accepted(t), nil).Once()
	core := complaints.New(db, tc, complaints.Config{})
	yes := complaints.InboundMessage{Channel: "whatsapp", ID: "wamid.YA1", From: "+62 812-3456-7890", Text: "YA"}
	if err := core.TakeMessage(ctx, yes); complaints.KindOf(err) != complaints.KindUnavailable {
		t.Fatalf("feedback not written, answered %v; want unavailable (503)", err)
	}
	db.FailFeedback, db.FailForget = false, false
	if err := core.TakeMessage(ctx, yes); err != nil {
		t.Fatalf("repeated delivery: %v", err)
	}
	if err := core.TakeMessage(ctx, yes); err != nil { // and once more, after it was taken
		t.Fatalf("third delivery: %v", err)
	}
	if len(db.Feedbacks) != 1 || !db.Feedbacks[0].Satisfied || !db.Feedbacks[0].Applied ||
		sent.UpdateID != fmt.Sprintf("feedback:%d", db.Feedbacks[0].ID) {
		t.Fatalf("feedback %+v, update %q", db.Feedbacks, sent.UpdateID)
	}
}

// Item 1: feedback from the complainant's confirmed number needs no token; from the
// door, the same feedback without one is forbidden.
func TestFeedbackTokenOrNumber(t *testing.T) {
	ctx := context.Background()
	db := storefake.New()
	db.Put(storefake.Published(code, ""))
	db.TokenHashes[code] = []string{store.HashToken("Zk3pQm9xT2vB7nLc4rYw1a")}
	tc := mocks.NewClient(t)
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(accepted(t), nil).Once()
	core := complaints.New(db, tc, complaints.Config{})
	_, err := core.Feedback(ctx, code, complaints.FeedbackInput{Satisfied: true})
	if complaints.KindOf(err) != complaints.KindForbidden {
		t.Fatalf("without token: %v", err)
	}
	if _, err := core.FeedbackFromNumber(ctx, code, true, "YA", "sms:1"); err != nil {
		t.Fatalf("from the number: %v", err)
	}
}

// Item 5: a merged duplicate's tracking view follows the complaint that carries it
// without its code (nor its complainant's question).
func TestMergedDuplicateDoesNotLearnTheOriginalsCode(t *testing.T) {
	const dup = "ADU-2222-3333"
	db := storefake.New()
	orig := storefake.Published(code, "")
	orig.Status, orig.Question = domain.StatusAwaitingInfo, sql.NullString{String: "Di dusun mana?", Valid: true}
	db.Put(orig)
	d := storefake.Published(dup, "")
	d.Status, d.PublishedAt = domain.StatusRejected, nil
	d.RejectReason = sql.NullString{String: "duplicate", Valid: true}
	d.DuplicateOf = sql.NullString{String: code, Valid: true}
	db.Put(d)
	core := complaints.New(db, mocks.NewClient(t), complaints.Config{})
	v, err := core.Tracking(context.Background(), dup)
	if err != nil {
		t.Fatal(err)
	}
	if !v.MergedIntoOther || v.Merged == nil || v.Merged.Status != domain.StatusAwaitingInfo {
		t.Fatalf("merged view %+v", v)
	}
	if strings.Contains(strings.ReplaceAll(fmtView(v), dup, ""), code) || v.Merged.Question != "" {
		t.Errorf("the duplicate's view names the original or its question: %+v / %+v", v, *v.Merged)
	}
}

// fmtView is every string of a tracking view and its merged one.
func fmtView(v complaints.TrackingView) string {
	out := v.Code + " " + v.Question + " " + v.RejectReason
	if v.Answer != nil {
		out += " " + v.Answer.Code
	}
	if v.Merged != nil {
		out += " " + fmtView(*v.Merged)
	}
	return out
}
