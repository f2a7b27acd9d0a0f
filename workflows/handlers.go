package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// Error types carried by a rejected Update (the kinds of domain.Refusal); the API maps
// each to its HTTP error code.
const (
	ErrInvalid           = string(domain.RefusedInvalid)
	ErrForbidden         = string(domain.RefusedForbidden)
	ErrInvalidTransition = string(domain.RefusedInvalidTransition)
)

// rejection turns a refusal into the error a validator returns: a non-retryable
// application error of the refusal's kind, with its fields (for invalid) as details so
// the API can name each bad field. Any other error passes unchanged.
func rejection(err error) error {
	var r *domain.Refusal
	if !errors.As(err, &r) {
		return err
	}
	opts := temporal.ApplicationErrorOptions{NonRetryable: true}
	if r.Fields != nil {
		opts.Details = []any{r.Fields}
	}
	return temporal.NewApplicationErrorWithOptions(r.Message, string(r.Kind), opts)
}

// UpdateActions lists every Update the workflow accepts: the staff actions, the
// complainant's reply and feedback, and an operator's recorded call.
var UpdateActions = append(append([]domain.Action{}, domain.StaffActions...), domain.ActionInfo, domain.ActionFeedback,
	domain.ActionCallBack)

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
				if r := w.validate(ctx, action, req); r != nil {
					return rejection(r)
				}
				return nil
			}},
		)
		if err != nil {
			return err
		}
	}
	return nil
}

// validate accepts or refuses an action without changing anything: a refused Update
// leaves no trace in history. The body's fields and who may do what in which status are
// domain's rules; what needs the workflow's clock or memory is checked here.
func (w *complaint) validate(ctx workflow.Context, action domain.Action, req domain.ActionRequest) error {
	if fields := domain.ValidateFields(action, req); len(fields) > 0 {
		return domain.Refuse(domain.RefusedInvalid, "Data aksi tidak lengkap atau tidak valid.", fields)
	}
	if err := domain.Permit(action, req.Actor, w.state); err != nil {
		return err
	}
	s := w.state
	switch action {
	case domain.ActionReassign:
		if req.Partner != "" && s.Partner == "" {
			return domain.Refuse(domain.RefusedInvalidTransition, "Aduan belum diteruskan ke lembaga mitra; tidak ada mitra untuk diganti.", nil)
		}
	case domain.ActionExtend:
		if !req.Until.After(workflow.Now(ctx)) {
			return domain.Refuse(domain.RefusedInvalid, "Tenggat baru harus di masa depan.", map[string]string{"until": "harus di masa depan"})
		}
	case domain.ActionReject:
		if req.DuplicateOf == s.Code {
			return domain.Refuse(domain.RefusedInvalid, "Aduan tidak bisa menjadi duplikat dirinya sendiri.", map[string]string{"duplicate_of": "kode aduan ini sendiri"})
		}
	}
	return nil
}

// act carries out a validated action in three steps: apply it to the state, record it
// (the projection, before the Update returns), and set off what follows its recording.
// It returns the state right after the action.
func (w *complaint) act(ctx workflow.Context, action domain.Action, req domain.ActionRequest) (domain.CaseState, error) {
	ev := w.apply(ctx, action, req)
	queued := action == domain.ActionPublish &&
		workflow.GetVersion(ctx, versionAnnounceQueued, workflow.DefaultVersion, 1) == 1
	w.announceNext = queued
	state, err := w.record(ctx, req.Actor, ev.action, ev.note)
	if err != nil {
		return state, err
	}
	w.follow(ctx, action, req, state, queued)
	return state, nil
}

// change is one action being applied: the request, and what the event will record.
type change struct {
	req domain.ActionRequest
	// to is the status the action moves the complaint to ("" unchanged).
	to domain.Status
	// action and note are the event's; a complainant's "not solved" records reopen.
	action domain.Action
	note   string
}

// edits change the complaint's fields as each action says, besides its status (the
// action's domain.ActionSpec.To) and its clocks (apply). Actions without an entry change
// no field: send_back, close, extend, note.
var edits = map[domain.Action]func(s *domain.CaseState, c *change){
	domain.ActionTriage: func(s *domain.CaseState, c *change) {
		s.Pokja, s.Category, s.Priority, s.Title = c.req.Pokja, c.req.Category, c.req.Priority, c.req.Title
		// A sensitive category makes the complaint confidential for good.
		s.Confidential = s.Confidential || domain.IsSensitive(c.req.Category)
	},
	domain.ActionRequestInfo: func(s *domain.CaseState, c *change) {
		s.Question = c.req.Question
		c.note = c.req.Question
	},
	domain.ActionInfo: func(s *domain.CaseState, c *change) {
		// The reply itself stays in PostgreSQL; the event names its message.
		s.Question = ""
		c.note = fmt.Sprintf("Pelapor menjawab pertanyaan (pesan #%d).", c.req.MessageID)
	},
	domain.ActionReject: func(s *domain.CaseState, c *change) {
		s.RejectReason, s.DuplicateOf = c.req.Reason, c.req.DuplicateOf
	},
	domain.ActionReturn: func(s *domain.CaseState, c *change) {
		s.Pokja, s.Partner = "", ""
	},
	domain.ActionForward: func(s *domain.CaseState, c *change) {
		s.Partner = c.req.Partner
	},
	domain.ActionAnswer: func(s *domain.CaseState, c *change) {
		s.Answer = c.req.Answer
		c.note = c.req.Answer
	},
	domain.ActionPartnerAnswer: func(s *domain.CaseState, c *change) {
		s.PartnerAnswer = c.req.Answer
		c.note = c.req.Answer
	},
	domain.ActionDecline: func(s *domain.CaseState, c *change) {
		s.Partner = ""
	},
	domain.ActionApprove: func(s *domain.CaseState, c *change) {
		// The partner's answer as it stands, unless the pokja edited it.
		s.Answer = s.PartnerAnswer
		if c.req.Answer != "" {
			s.Answer = c.req.Answer
			c.note = c.req.Answer
		}
	},
	domain.ActionPublish: func(s *domain.CaseState, c *change) {
		s.PublicTitle, s.PublicAnswer = c.req.PublicTitle, c.req.PublicAnswer
	},
	domain.ActionReassign: func(s *domain.CaseState, c *change) {
		if c.req.Pokja != "" {
			s.Pokja = c.req.Pokja
		}
		if c.req.Partner != "" {
			s.Partner = c.req.Partner
		}
	},
	domain.ActionFeedback: func(s *domain.CaseState, c *change) {
		switch {
		case *c.req.Satisfied:
			c.note = fmt.Sprintf("Pelapor menyatakan masalahnya selesai (tanggapan #%d).", c.req.FeedbackID)
		case c.to == domain.StatusAtPokja:
			s.ReopenCount++
			s.Partner = ""
			c.action = domain.ActionReopen
			c.note = fmt.Sprintf("Pelapor menyatakan belum selesai (tanggapan #%d); aduan dibuka kembali ke pokja (ke-%d).", c.req.FeedbackID, s.ReopenCount)
		default:
			c.note = fmt.Sprintf("Pelapor menyatakan belum selesai (tanggapan #%d); aduan sudah dua kali dibuka kembali, kini ditutup.", c.req.FeedbackID)
		}
	},
}

// apply changes the complaint as a validated action says: its fields (edits), its status
// (the action's domain.ActionSpec.To; feedback's by the answer, domain.FeedbackTo) and its
// clocks: a new status starts that stage's clock, reassign starts the stage's clock
// again, extend lays it out again before the new deadline, and the complainant's reply
// restarts the overall clock (the report is complete now). It returns the event to record.
func (w *complaint) apply(ctx workflow.Context, action domain.Action, req domain.ActionRequest) change {
	s := &w.state
	c := change{req: req, to: domain.ActionSpecs[action].To, action: action, note: req.Note}
	if action == domain.ActionFeedback {
		c.to = domain.FeedbackTo(*req.Satisfied, s.ReopenCount)
	}
	if edit := edits[action]; edit != nil {
		edit(s, &c)
	}
	switch {
	case c.to != "":
		w.enter(ctx, c.to)
	case action == domain.ActionReassign:
		w.restartClock(ctx, nil)
	case action == domain.ActionExtend:
		until := req.Until.UTC()
		w.restartClock(ctx, &until)
	}
	if action == domain.ActionInfo {
		w.restartOverall(ctx)
	}
	if action == domain.ActionCallBack {
		w.callBack(ctx, &c)
	}
	return c
}

// follow sets off what an action's recording calls for, in the background (nothing here
// holds up the Update): the complainant hears the admin's question, or the answer of a
// complaint closed without publishing, on their channel; a publication not queued by its
// projection (queued false: published before versionAnnounceQueued) is announced by an
// activity; and the complainant of a complaint merged into another learns which one
// carries theirs. Notification keys name the event, so a retried one is written once.
func (w *complaint) follow(ctx workflow.Context, action domain.Action, req domain.ActionRequest, state domain.CaseState, queued bool) {
	now := workflow.Now(ctx)
	key := func(kind domain.NotifyKind) string { return notifyKey(state.Code, kind, state.Seq) }
	switch {
	case action == domain.ActionRequestInfo:
		if workflow.GetVersion(ctx, versionQuestionReach, workflow.DefaultVersion, 1) == 1 {
			w.ask(ctx, key(domain.NotifyQuestion), now)
		} else {
			w.notify(ctx, key(domain.NotifyQuestion), domain.NotifyQuestion, now)
		}
	case action == domain.ActionClose:
		w.notify(ctx, key(domain.NotifyAnswerPrivate), domain.NotifyAnswerPrivate, now)
	case action == domain.ActionPublish && !queued:
		w.announce(ctx, w.notifyRequest(key(domain.NotifyAnswer), domain.NotifyAnswer, now))
	case action == domain.ActionReject && req.Reason == "duplicate" && req.DuplicateOf != "":
		w.notify(ctx, key(domain.NotifyDuplicate), domain.NotifyDuplicate, now)
	}
}
