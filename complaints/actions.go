package complaints

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// ActionInput is an action's body as a form or JSON brings it. Until is text, so that a
// bad time is reported on its field.
type ActionInput struct {
	domain.ActionRequest
	Until string
}

// Act runs a staff action: it checks the body (fields, the directory), redacts what
// publish would make public, and sends the action to the complaint's workflow as an
// Update, whose validator checks role, assignment and status; it returns once the action
// is applied and projected, with the view it produced. A refusal comes back as
// KindInvalid, KindForbidden or KindInvalidTransition with nothing recorded. A repeated
// key is the same Update, applied once.
func (s *Service) Act(ctx context.Context, actor domain.Actor, code string, action domain.Action, in ActionInput, key string) (StaffView, error) {
	if err := CheckAction(actor, action); err != nil {
		return StaffView{}, err
	}
	key, err := cleanKey(key)
	if err != nil {
		return StaffView{}, err
	}
	req := in.ActionRequest
	req.Actor = actor
	fields := map[string]string{}
	// Identifiers reach PostgreSQL (the directory, the projection) as they are: one that
	// cannot be an identifier is refused here.
	for name, v := range map[string]*string{"pokja": &req.Pokja, "partner": &req.Partner, "category": &req.Category,
		"priority": &req.Priority, "reason": &req.Reason, "duplicate_of": &req.DuplicateOf, "outcome": &req.CallOutcome} {
		*v = checkID(fields, name, *v)
	}
	req.Normalize()
	var redactions []domain.Redaction
	if action == domain.ActionPublish {
		// The public text never carries a phone number, e-mail address or NIK; the admin
		// sees what was taken out (response and audit note).
		var rt, ra []domain.Redaction
		req.PublicTitle, rt = domain.Redact(req.PublicTitle)
		req.PublicAnswer, ra = domain.Redact(req.PublicAnswer)
		redactions = mergeRedactions(rt, ra)
		req.Note = domain.DescribeRedactions(redactions)
	}
	if u := strings.TrimSpace(in.Until); u != "" {
		t, err := time.Parse(time.RFC3339, u)
		if err != nil {
			fields["until"] = "harus waktu RFC 3339, mis. 2026-12-01T17:00:00+08:00"
		} else {
			req.Until = &t
		}
	}
	for k, v := range domain.ValidateFields(action, req) {
		if _, seen := fields[k]; !seen {
			fields[k] = v
		}
	}
	if err := s.checkDirectory(ctx, action, req, fields); err != nil {
		return StaffView{}, err
	}
	if len(fields) > 0 {
		return StaffView{}, invalid(fields)
	}
	row, err := s.load(ctx, code)
	if err != nil {
		return StaffView{}, err
	}
	// Authorised as of now, before the Update: a key already used names an Update that
	// Temporal answers from its record without asking the validator again, so a user
	// taken off the complaint since could otherwise replay it and read the view.
	if !domain.CanView(actor, row.CaseState()) {
		return StaffView{}, &Error{Kind: KindForbidden, Message: msgNotAssigned}
	}
	if err := s.update(ctx, row, action, req, updateID(action, actor, key)); err != nil {
		return StaffView{}, err
	}
	// An action such as return or decline hands the complaint away; its author still
	// gets the view the action produced.
	row, err = s.load(ctx, code)
	if err != nil {
		return StaffView{}, err
	}
	return s.staffView(ctx, actor, row, redactions)
}

// CheckAction refuses, before any body is read, an action that does not exist
// (KindNotFound) or that the user's role may never take (KindForbidden).
func CheckAction(actor domain.Actor, action domain.Action) error {
	spec, known := domain.ActionSpecs[action]
	if !known || !slices.Contains(domain.StaffActions, action) {
		// The complainant's reply and feedback, and a call-back (recorded on its task),
		// have their own endpoints.
		return notFound("Aksi tidak dikenal.")
	}
	if !spec.RoleAllowed(actor.Role) {
		return &Error{Kind: KindForbidden, Message: "Peran Anda tidak boleh melakukan aksi ini."}
	}
	return nil
}

// updateID names the Update of an action: a client retrying with the same key gets the
// same Update, which Temporal applies once; without a key every request is new.
func updateID(action domain.Action, actor domain.Actor, key string) string {
	if key = strings.TrimSpace(key); key != "" && len(key) <= MaxKey {
		return string(action) + ":" + actor.Username + ":" + key
	}
	return uuid.NewString()
}

// mergeRedactions adds up the redactions of several texts by kind.
func mergeRedactions(lists ...[]domain.Redaction) []domain.Redaction {
	var out []domain.Redaction
	for _, list := range lists {
		for _, r := range list {
			found := false
			for i := range out {
				if out[i].Kind == r.Kind {
					out[i].Count += r.Count
					found = true
				}
			}
			if !found {
				out = append(out, r)
			}
		}
	}
	return out
}

// checkDirectory adds a field error for a pokja or partner the directory does not know
// (one already refused is not looked up).
func (s *Service) checkDirectory(ctx context.Context, action domain.Action, req domain.ActionRequest, fields map[string]string) error {
	if req.Pokja != "" && fields["pokja"] == "" && (action == domain.ActionTriage || action == domain.ActionReassign) {
		ok, err := s.db.PokjaExists(ctx, req.Pokja)
		if err != nil {
			return unavailable(err)
		}
		if !ok {
			fields["pokja"] = "pokja tidak dikenal"
		}
	}
	if req.Partner != "" && fields["partner"] == "" && (action == domain.ActionForward || action == domain.ActionReassign) {
		ok, err := s.db.PartnerExists(ctx, req.Partner)
		if err != nil {
			return unavailable(err)
		}
		if !ok {
			fields["partner"] = "lembaga mitra tidak dikenal"
		}
	}
	return nil
}

// update sends an action to the complaint's workflow and waits until it is completed,
// i.e. validated, applied and projected into PostgreSQL; a complaint whose workflow the
// starter has not started yet gets it started with this action.
func (s *Service) update(ctx context.Context, row store.Complaint, action domain.Action, req domain.ActionRequest, id string) error {
	var err error
	if row.WorkflowStarted {
		err = s.sendUpdate(ctx, row.Code, action, req, id)
	} else {
		err = s.sendUpdateWithStart(ctx, row, action, req, id)
	}
	if err != nil {
		return s.updateFailed(ctx, row.Code, err)
	}
	return nil
}

// sendUpdate delivers an action to the complaint's workflow as the Update id and waits
// until it is completed: validated, applied and projected into PostgreSQL.
func (s *Service) sendUpdate(ctx context.Context, code string, action domain.Action, req domain.ActionRequest, id string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ActionTimeout)
	defer cancel()
	opts := updateOptions(code, action, req, id)
	handle, err := s.temporal.UpdateWorkflow(ctx, opts)
	if isNotFound(err) {
		// The action came before the starter: start the workflow now and try once more.
		if started, serr := s.startNow(ctx, code); serr != nil {
			return serr
		} else if started {
			handle, err = s.temporal.UpdateWorkflow(ctx, opts)
		}
	}
	if err != nil {
		return err
	}
	// A validator's rejection arrives here, not from UpdateWorkflow.
	var state domain.CaseState
	return handle.Get(ctx, &state)
}

// sendUpdateWithStart is sendUpdate for a complaint whose workflow intake has not started
// yet: one request starts the workflow (unless it runs meanwhile) and delivers the action
// in its first task.
func (s *Service) sendUpdateWithStart(ctx context.Context, row store.Complaint, action domain.Action, req domain.ActionRequest, id string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ActionTimeout)
	defer cancel()
	in, err := s.initialInput(ctx, row)
	if err != nil {
		return err
	}
	handle, err := workflows.UpdateWithStart(ctx, s.temporal, s.cfg.TaskQueue, in, updateOptions(row.Code, action, req, id))
	if err != nil {
		return err
	}
	if err := s.db.MarkWorkflowStarted(ctx, row.Code); err != nil {
		slog.Warn("marking workflow started failed", "code", row.Code, "err", err)
	}
	var state domain.CaseState
	return handle.Get(ctx, &state)
}

// updateOptions is an action as an Update that returns once it is completed.
func updateOptions(code string, action domain.Action, req domain.ActionRequest, id string) client.UpdateWorkflowOptions {
	return client.UpdateWorkflowOptions{
		WorkflowID:   domain.WorkflowID(code),
		UpdateName:   string(action),
		UpdateID:     id,
		Args:         []any{req},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	}
}

// updateFailed turns a failed Update into an Error: the workflow's refusal, a complaint
// still being started or already archived, or Temporal being away.
func (s *Service) updateFailed(ctx context.Context, code string, err error) error {
	if r, ok := asRefusal(err); ok {
		return refused(r)
	}
	if isNotFound(err) {
		row, lerr := s.load(ctx, code)
		if lerr != nil {
			return lerr
		}
		if !row.WorkflowStarted {
			return &Error{Kind: KindUnavailable, Err: err,
				Message: "Aduan ini sedang didaftarkan ke sistem alur kerja. Silakan coba lagi sebentar lagi."}
		}
		return &Error{Kind: KindInvalidTransition, Message: "Aduan ini sudah diarsipkan; tidak ada aksi yang dapat dilakukan lagi."}
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return unavailable(err)
}

// asRefusal reads the workflow validator's refusal out of a failed Update: an application
// error whose type is a domain.RefusalKind and whose details name the bad fields.
func asRefusal(err error) (*domain.Refusal, bool) {
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		return nil, false
	}
	kind := domain.RefusalKind(app.Type())
	switch kind {
	case domain.RefusedInvalid, domain.RefusedForbidden, domain.RefusedInvalidTransition:
	default:
		return nil, false
	}
	var fields map[string]string
	if app.HasDetails() {
		_ = app.Details(&fields)
	}
	return domain.Refuse(kind, app.Message(), fields), true
}

// isRejection reports an Update the workflow refused (the complaint moved on meanwhile).
func isRejection(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app)
}
