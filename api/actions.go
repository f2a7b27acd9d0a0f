package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// actionBody is an action's JSON body. Until is read as text so that a bad time is
// reported on its field rather than as broken JSON.
type actionBody struct {
	domain.ActionRequest
	Until string `json:"until"`
}

// act runs a staff action: POST /api/v1/staff/complaints/{code}/actions/{action}.
func (s *server) act(c *gin.Context) {
	code, ok := complaintCode(c)
	if !ok {
		return
	}
	action := domain.Action(c.Param("action"))
	spec, known := domain.ActionSpecs[action]
	if !known || action == domain.ActionInfo {
		notFound(c, "Aksi tidak dikenal.")
		return
	}
	actor := currentActor(c)
	if !spec.RoleAllowed(actor.Role) {
		fail(c, http.StatusForbidden, codeForbidden, "Peran Anda tidak boleh melakukan aksi ini.", nil)
		return
	}
	var body actionBody
	if !readJSON(c, &body) {
		return
	}
	req := body.ActionRequest
	req.Actor = actor
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
	fields := map[string]string{}
	if u := strings.TrimSpace(body.Until); u != "" {
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
	if !s.checkDirectory(c, action, req, fields) {
		return
	}
	if len(fields) > 0 {
		invalid(c, fields)
		return
	}
	row, ok := s.loadComplaint(c, code)
	if !ok {
		return
	}
	if !s.update(c, row, action, req) {
		return
	}
	if redactions != nil {
		c.Set(redactionsKey, redactions)
	}
	s.respondStaffView(c, code, true)
}

// redactionsKey carries what publish redacted to the staff view of its response.
const redactionsKey = "aduan.redactions"

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

// checkDirectory adds a field error for a pokja or partner the directory does not know.
func (s *server) checkDirectory(c *gin.Context, action domain.Action, req domain.ActionRequest, fields map[string]string) bool {
	if req.Pokja != "" && (action == domain.ActionTriage || action == domain.ActionReassign) {
		ok, err := s.DB.PokjaExists(c.Request.Context(), req.Pokja)
		if err != nil {
			unavailable(c, err)
			return false
		}
		if !ok {
			fields["pokja"] = "pokja tidak dikenal"
		}
	}
	if req.Partner != "" && (action == domain.ActionForward || action == domain.ActionReassign) {
		ok, err := s.DB.PartnerExists(c.Request.Context(), req.Partner)
		if err != nil {
			unavailable(c, err)
			return false
		}
		if !ok {
			fields["partner"] = "lembaga mitra tidak dikenal"
		}
	}
	return true
}

// update sends an action to the complaint's workflow as an Update and waits until it is
// completed, i.e. validated, applied and projected into PostgreSQL. On failure it answers
// the request itself and returns false.
func (s *server) update(c *gin.Context, row store.Complaint, action domain.Action, req domain.ActionRequest) bool {
	code := row.Code
	// A client retrying with the same Idempotency-Key gets the same Update, which
	// Temporal applies once.
	updateID := uuid.NewString()
	if key := strings.TrimSpace(c.GetHeader("Idempotency-Key")); key != "" && len(key) <= 200 {
		updateID = string(action) + ":" + req.Actor.Username + ":" + key
	}
	ctx := c.Request.Context()
	var err error
	if row.WorkflowStarted {
		err = s.sendUpdate(ctx, code, action, req, updateID)
	} else {
		// Intake's starter has not started the workflow yet: start it with this action.
		err = s.sendUpdateWithStart(ctx, row, action, req, updateID)
	}
	if err != nil {
		s.updateFailed(c, code, err)
		return false
	}
	return true
}

// sendUpdate delivers an action to the complaint's workflow as the Update updateID and
// waits until it is completed: validated, applied and projected into PostgreSQL.
func (s *server) sendUpdate(ctx context.Context, code string, action domain.Action, req domain.ActionRequest, updateID string) error {
	ctx, cancel := context.WithTimeout(ctx, s.ActionTimeout)
	defer cancel()
	opts := updateOptions(code, action, req, updateID)
	handle, err := s.Temporal.UpdateWorkflow(ctx, opts)
	if isNotFound(err) {
		// The action came before the starter: start the workflow now and try once more.
		if started, serr := s.startNow(ctx, code); serr != nil {
			return serr
		} else if started {
			handle, err = s.Temporal.UpdateWorkflow(ctx, opts)
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
func (s *server) sendUpdateWithStart(ctx context.Context, row store.Complaint, action domain.Action, req domain.ActionRequest, updateID string) error {
	ctx, cancel := context.WithTimeout(ctx, s.ActionTimeout)
	defer cancel()
	in, err := s.initialInput(ctx, row)
	if err != nil {
		return err
	}
	handle, err := workflows.UpdateWithStart(ctx, s.Temporal, s.TaskQueue, in, updateOptions(row.Code, action, req, updateID))
	if err != nil {
		return err
	}
	if err := s.DB.MarkWorkflowStarted(ctx, row.Code); err != nil {
		slog.Warn("marking workflow started failed", "code", row.Code, "err", err)
	}
	var state domain.CaseState
	return handle.Get(ctx, &state)
}

// updateOptions is an action as an Update that returns once it is completed.
func updateOptions(code string, action domain.Action, req domain.ActionRequest, updateID string) client.UpdateWorkflowOptions {
	return client.UpdateWorkflowOptions{
		WorkflowID:   domain.WorkflowID(code),
		UpdateName:   string(action),
		UpdateID:     updateID,
		Args:         []any{req},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	}
}

// updateFailed maps a failed Update to API.md's error codes.
func (s *server) updateFailed(c *gin.Context, code string, err error) {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		switch app.Type() {
		case workflows.ErrInvalid:
			var fields map[string]string
			if app.HasDetails() {
				_ = app.Details(&fields)
			}
			fail(c, http.StatusBadRequest, codeInvalid, app.Message(), fields)
			return
		case workflows.ErrForbidden:
			fail(c, http.StatusForbidden, codeForbidden, app.Message(), nil)
			return
		case workflows.ErrInvalidTransition:
			fail(c, http.StatusConflict, codeInvalidTransition, app.Message(), nil)
			return
		}
	}
	if isNotFound(err) {
		row, ok := s.loadComplaint(c, code)
		if !ok {
			return
		}
		if !row.WorkflowStarted {
			fail(c, http.StatusServiceUnavailable, codeUnavailable,
				"Aduan ini sedang didaftarkan ke sistem alur kerja. Silakan coba lagi sebentar lagi.", nil)
			return
		}
		fail(c, http.StatusConflict, codeInvalidTransition,
			"Aduan ini sudah diarsipkan; tidak ada aksi yang dapat dilakukan lagi.", nil)
		return
	}
	unavailable(c, err)
}
