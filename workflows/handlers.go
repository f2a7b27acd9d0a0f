package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// Error types carried by a rejected Update; the API maps each to its HTTP error code.
const (
	ErrInvalid           = "invalid"
	ErrForbidden         = "forbidden"
	ErrInvalidTransition = "invalid_transition"
)

// rejection builds the error a validator returns. Fields (for ErrInvalid) travel as the
// error's details so the API can name each bad field.
func rejection(kind, message string, fields map[string]string) error {
	opts := temporal.ApplicationErrorOptions{NonRetryable: true}
	if fields != nil {
		opts.Details = []any{fields}
	}
	return temporal.NewApplicationErrorWithOptions(message, kind, opts)
}

// UpdateActions lists every Update the workflow accepts: the staff actions and the
// complainant's reply.
var UpdateActions = append(append([]domain.Action{}, domain.StaffActions...), domain.ActionInfo, domain.ActionFeedback)

func (w *complaint) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (domain.CaseState, error) {
		return w.state, nil
	}); err != nil {
		return err
	}
	for _, action := range UpdateActions {
		err := workflow.SetUpdateHandlerWithOptions(ctx, string(action),
			func(ctx workflow.Context, req domain.ActionRequest) (domain.CaseState, error) {
				return w.act(ctx, action, req)
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req domain.ActionRequest) error {
				return w.validate(ctx, action, req)
			}},
		)
		if err != nil {
			return err
		}
	}
	return nil
}

// validate accepts or rejects an action without changing anything: a rejected Update
// leaves no trace in history.
func (w *complaint) validate(ctx workflow.Context, action domain.Action, req domain.ActionRequest) error {
	if fields := domain.ValidateFields(action, req); len(fields) > 0 {
		return rejection(ErrInvalid, "Data aksi tidak lengkap atau tidak valid.", fields)
	}
	if err := Permit(action, req.Actor, w.state); err != nil {
		return err
	}
	s := w.state
	switch action {
	case domain.ActionReassign:
		if req.Partner != "" && s.Partner == "" {
			return rejection(ErrInvalidTransition, "Aduan belum diteruskan ke lembaga mitra; tidak ada mitra untuk diganti.", nil)
		}
	case domain.ActionExtend:
		if !req.Until.After(workflow.Now(ctx)) {
			return rejection(ErrInvalid, "Tenggat baru harus di masa depan.", map[string]string{"until": "harus di masa depan"})
		}
	case domain.ActionReject:
		if req.DuplicateOf == s.Code {
			return rejection(ErrInvalid, "Aduan tidak bisa menjadi duplikat dirinya sendiri.", map[string]string{"duplicate_of": "kode aduan ini sendiri"})
		}
	}
	return nil
}

// Permit checks what an action needs of the actor and the complaint, whatever its body:
// the role, the assignment, the status (in that order, so that nobody learns a
// complaint's status through an action they may not take). Nil means allowed.
func Permit(action domain.Action, a domain.Actor, s domain.CaseState) error {
	spec, ok := domain.ActionSpecs[action]
	if !ok {
		return rejection(ErrInvalid, "Aksi tidak dikenal.", map[string]string{"action": "nilai tidak dikenal"})
	}
	if !spec.RoleAllowed(a.Role) {
		return rejection(ErrForbidden, fmt.Sprintf("Peran %s tidak boleh melakukan aksi %s.", a.Role, action), nil)
	}
	if !assigned(spec.Assign, a, s) {
		return rejection(ErrForbidden, "Aduan ini tidak ditugaskan kepada Anda.", nil)
	}
	if !spec.AllowedIn(s.Status) {
		return rejection(ErrInvalidTransition,
			fmt.Sprintf("Aksi %s tidak dapat dilakukan pada status %q (%s).", action, s.Status, s.Status.Label()), nil)
	}
	if action == domain.ActionPublish && s.Confidential {
		return rejection(ErrInvalidTransition, "Aduan rahasia atau sensitif tidak boleh diterbitkan.", nil)
	}
	return nil
}

// assigned reports whether the actor holds the assignment an action needs.
func assigned(need domain.Assignment, a domain.Actor, s domain.CaseState) bool {
	switch need {
	case domain.AssignPokja:
		return a.Pokja != "" && a.Pokja == s.Pokja
	case domain.AssignPartner:
		return a.Partner != "" && a.Partner == s.Partner
	case domain.AssignViewer:
		return CanView(a, s)
	}
	return true
}

// CanView reports whether a staff user may see a complaint: admins and supervisors see
// all; a pokja member or partner staff sees the complaints assigned to their group now.
func CanView(a domain.Actor, s domain.CaseState) bool {
	switch a.Role {
	case domain.RoleAdmin, domain.RoleSupervisor:
		return true
	case domain.RolePokja:
		return a.Pokja != "" && a.Pokja == s.Pokja
	case domain.RolePartner:
		return a.Partner != "" && a.Partner == s.Partner
	}
	return false
}

// act applies a validated action, records it, and returns the state right after it.
func (w *complaint) act(ctx workflow.Context, action domain.Action, req domain.ActionRequest) (domain.CaseState, error) {
	s := &w.state
	note := req.Note
	now := workflow.Now(ctx)
	recorded := action
	switch action {
	case domain.ActionTriage:
		s.Pokja, s.Category, s.Priority, s.Title = req.Pokja, req.Category, req.Priority, req.Title
		// A sensitive category makes the complaint confidential for good.
		s.Confidential = s.Confidential || domain.IsSensitive(req.Category)
		w.enter(ctx, domain.StatusAtPokja)
	case domain.ActionRequestInfo:
		s.Question = req.Question
		note = req.Question
		w.enter(ctx, domain.StatusAwaitingInfo)
	case domain.ActionInfo:
		s.Question = ""
		note = fmt.Sprintf("Pelapor menjawab pertanyaan (pesan #%d).", req.MessageID)
		if req.MessageID == 0 {
			note = req.Text // histories from before replies moved to PostgreSQL
		}
		w.enter(ctx, domain.StatusReceived)
		// The report is complete now: the legal limit counts from here.
		w.restartOverall(ctx)
	case domain.ActionReject:
		s.RejectReason, s.DuplicateOf = req.Reason, req.DuplicateOf
		s.ClosedAt = &now
		w.enter(ctx, domain.StatusRejected)
	case domain.ActionReturn:
		s.Pokja, s.Partner = "", ""
		w.enter(ctx, domain.StatusReceived)
	case domain.ActionForward:
		s.Partner = req.Partner
		w.enter(ctx, domain.StatusAtPartner)
	case domain.ActionAnswer:
		s.Answer = req.Answer
		note = req.Answer
		w.enter(ctx, domain.StatusReadyToPublish)
	case domain.ActionPartnerAnswer:
		s.PartnerAnswer = req.Answer
		note = req.Answer
		w.enter(ctx, domain.StatusPokjaReview)
	case domain.ActionDecline:
		s.Partner = ""
		w.enter(ctx, domain.StatusAtPokja)
	case domain.ActionApprove:
		s.Answer = s.PartnerAnswer
		if req.Answer != "" {
			s.Answer = req.Answer
			note = req.Answer
		}
		w.enter(ctx, domain.StatusReadyToPublish)
	case domain.ActionSendBack:
		w.enter(ctx, domain.StatusAtPartner)
	case domain.ActionPublish:
		s.PublicTitle, s.PublicAnswer = req.PublicTitle, req.PublicAnswer
		s.PublishedAt = &now
		w.enter(ctx, domain.StatusPublished)
	case domain.ActionClose:
		s.ClosedAt = &now
		w.enter(ctx, domain.StatusClosed)
	case domain.ActionFeedback:
		switch {
		case *req.Satisfied:
			note = fmt.Sprintf("Pelapor menyatakan masalahnya selesai (tanggapan #%d).", req.FeedbackID)
			s.ClosedAt = &now
			w.enter(ctx, domain.StatusClosed)
		case s.ReopenCount < domain.MaxReopens:
			s.ReopenCount++
			note = fmt.Sprintf("Pelapor menyatakan belum selesai (tanggapan #%d); aduan dibuka kembali ke pokja (ke-%d).", req.FeedbackID, s.ReopenCount)
			recorded = domain.ActionReopen
			s.Partner = ""
			w.enter(ctx, domain.StatusAtPokja)
		default:
			note = fmt.Sprintf("Pelapor menyatakan belum selesai (tanggapan #%d); aduan sudah dua kali dibuka kembali, kini ditutup.", req.FeedbackID)
			s.ClosedAt = &now
			w.enter(ctx, domain.StatusClosed)
		}
	case domain.ActionReassign:
		if req.Pokja != "" {
			s.Pokja = req.Pokja
		}
		if req.Partner != "" {
			s.Partner = req.Partner
		}
		w.restartClock(ctx, nil)
	case domain.ActionExtend:
		until := req.Until.UTC()
		w.restartClock(ctx, &until)
	case domain.ActionNote:
		// An internal note changes nothing but the audit trail.
	}
	state, err := w.record(ctx, req.Actor, recorded, note)
	if err == nil && w.localProjection && action == domain.ActionPublish {
		// One activity tells the complainant and pushes to the websites (version 4).
		w.announce(ctx, w.notifyRequest(fmt.Sprintf("%s/%s/%d", state.Code, domain.NotifyAnswer, state.Seq),
			domain.NotifyAnswer, workflow.Now(ctx)))
		return state, nil
	}
	if err == nil && w.closesLoop {
		switch {
		case action == domain.ActionPublish:
			w.publishExternal(ctx)
		case action == domain.ActionReject && req.Reason == "duplicate" && req.DuplicateOf != "":
			w.notify(ctx, fmt.Sprintf("%s/duplicate/%d", state.Code, state.Seq), domain.NotifyDuplicate, now)
		}
	}
	if err == nil && w.tellsComplainant {
		// What the complainant must hear goes to them on their channel.
		tell := map[domain.Action]domain.NotifyKind{
			domain.ActionRequestInfo: domain.NotifyQuestion,
			domain.ActionPublish:     domain.NotifyAnswer,
			domain.ActionClose:       domain.NotifyAnswerPrivate,
		}
		if kind, ok := tell[action]; ok {
			w.notify(ctx, fmt.Sprintf("%s/%s/%d", state.Code, kind, state.Seq), kind, workflow.Now(ctx))
		}
	}
	return state, err
}
