package complaints

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"aduan/domain"
	"aduan/store"
)

// Call-back tasks: a message that must reach a complainant who can only be reached by
// telephone (a desk visitor without a mobile number, a landline, a regency without
// WhatsApp or SMS) waits in the operators' list with the text to read out. The operator
// records the call: told (the message reached them; a question's clock starts then) or
// no answer (the task stays, to try again). Both land in the audit trail.

// CallBackTask is one call to make, as the operator sees it.
type CallBackTask struct {
	ID        int64
	Code      string
	Kind      domain.NotifyKind
	Phone     string
	Text      string
	Tries     int
	LastTry   string
	CreatedAt time.Time
}

// callBackList bounds the list.
const callBackList = 200

// CallBacks lists the calls waiting to be made, oldest first: the admins' (the Call
// Center operators') work.
func (s *Service) CallBacks(ctx context.Context, viewer domain.Actor) ([]CallBackTask, error) {
	if viewer.Role != domain.RoleAdmin {
		return nil, &Error{Kind: KindForbidden, Message: "Hanya admin Call Center yang menelepon balik pelapor."}
	}
	rows, err := s.db.OpenCallBacks(ctx, callBackList)
	if err != nil {
		return nil, unavailable(err)
	}
	out := make([]CallBackTask, 0, len(rows))
	for _, r := range rows {
		out = append(out, callBackOf(r))
	}
	return out, nil
}

func callBackOf(r store.CallBack) CallBackTask {
	return CallBackTask{ID: r.ID, Code: r.Code, Kind: r.Kind, Phone: r.Phone, Text: r.Text, Tries: r.Attempts,
		LastTry: r.LastError.String, CreatedAt: r.CreatedAt}
}

// RecordCallBack records an admin's call on task id: outcome domain.CallTold or
// domain.CallNoAnswer, with an optional note. The workflow records it in the audit trail
// (and starts a question's clock when it was told); then the task is closed, or counts the
// unanswered try.
func (s *Service) RecordCallBack(ctx context.Context, actor domain.Actor, id int64, outcome, note string) error {
	if actor.Role != domain.RoleAdmin {
		return &Error{Kind: KindForbidden, Message: "Hanya admin Call Center yang mencatat panggilan ke pelapor."}
	}
	outcome, note = strings.TrimSpace(outcome), domain.CleanText(note)
	req := domain.ActionRequest{Actor: actor, CallOutcome: outcome, CallTask: id, Note: note}
	task, err := s.db.CallBackTask(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("Tugas telepon balik tidak ditemukan.")
	}
	if err != nil {
		return unavailable(err)
	}
	req.CallKind = task.Kind
	if fields := domain.ValidateFields(domain.ActionCallBack, req); len(fields) > 0 {
		if _, ok := fields["outcome"]; ok {
			fields["outcome"] = "pilih: disampaikan (told) atau tidak diangkat (no_answer)"
		}
		return invalid(fields)
	}
	if task.Done != nil {
		return &Error{Kind: KindInvalidTransition, Message: "Panggilan ini sudah dicatat sebagai disampaikan."}
	}
	row, err := s.load(ctx, task.Code)
	if err != nil {
		return err
	}
	// One Update per try: the id names the task, the try and the outcome, so a form sent
	// twice records one call.
	updateID := fmt.Sprintf("callback:%d:%d:%s", id, task.Attempts, outcome)
	if err := s.update(ctx, row, domain.ActionCallBack, req, updateID); err != nil {
		if KindOf(err) != KindInvalidTransition {
			return err
		}
		// An archived complaint's workflow is gone: the call is still recorded on the task.
		slog.Info("call-back recorded without the audit trail: the complaint is archived", "code", task.Code)
	}
	why := ""
	if outcome == domain.CallNoAnswer {
		why = "tidak diangkat (" + actor.Username + ", " + time.Now().UTC().Format(time.RFC3339) + ")"
	}
	if _, err := s.db.RecordCall(ctx, id, outcome == domain.CallTold, actor.Username, why); err != nil {
		return unavailable(err)
	}
	return nil
}
