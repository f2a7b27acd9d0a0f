package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// versionQuestionReach: the question's clock runs from when the question reached the
// complainant. Before it, the clock ran from when the admin asked, whether or not anyone
// could be told.
const versionQuestionReach = "question-reach"

// ask sends the admin's question in the background, like any notification, and then
// acts on what became of it: sent by a provider, the clock laid out at the question runs
// on (it started a moment before); left to an operator's call, or reaching nobody, the
// clock is held, so the complaint is not closed for a silence nobody could break. Nobody
// reached tells the admins at once. A call recorded as told starts the clock (callBack).
func (w *complaint) ask(ctx workflow.Context, key string, asked time.Time) {
	req := w.notifyRequest(key, domain.NotifyQuestion, asked)
	seq := w.state.Seq
	w.notifying++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { w.notifying-- }()
		actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			StartToCloseTimeout: time.Minute,
			RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute},
		})
		var o domain.NotifyOutcome
		if err := notifyActivity(actx, req).Get(ctx, &o); err != nil {
			workflow.GetLogger(ctx).Error("background activity failed", "what", "question", "code", w.state.Code, "err", err)
			return
		}
		// Only the question still waiting counts: the complainant may have answered, or
		// the admin moved on, while it went out.
		if w.state.Status != domain.StatusAwaitingInfo || w.stageSeq != seq {
			return
		}
		var err error
		switch {
		case o.Reached:
			return
		case o.CallBack:
			err = w.holdQuestion(ctx, "Pertanyaan menunggu disampaikan lewat telepon oleh operator; tenggat jawaban dimulai saat panggilan dicatat.")
		default:
			err = w.holdQuestion(ctx, "Pertanyaan tidak dapat disampaikan: pelapor tidak meninggalkan kontak yang dapat dipakai. Admin diberi tahu; aduan tidak ditutup otomatis.")
			if err == nil {
				w.notify(ctx, key+"/unreached", domain.NotifyQuestionUnreached, workflow.Now(ctx))
			}
		}
		if err != nil {
			workflow.GetLogger(ctx).Error("holding the question's clock failed", "code", w.state.Code, "err", err)
		}
	})
}

// holdQuestion stops the question's clock (no deadline, no reminders, no closing) and
// records why.
func (w *complaint) holdQuestion(ctx workflow.Context, note string) error {
	w.stage = domain.Plan{}
	w.state.Deadline, w.state.Overdue = nil, false
	w.replans++
	_, err := w.record(ctx, systemActor, domain.ActionQuestionHeld, note)
	return err
}

// callBack applies an operator's recorded call: a question told starts its clock now
// (when it was held for the call); anything else is the audit trail's note.
func (w *complaint) callBack(ctx workflow.Context, c *change) {
	r := c.req
	told := r.CallOutcome == domain.CallTold
	c.note = callNote(r.CallKind, told, r.Note)
	if told && r.CallKind == domain.NotifyQuestion && w.state.Status == domain.StatusAwaitingInfo && w.state.Deadline == nil {
		w.restartClock(ctx, nil)
	}
}

// callNote is the audit trail's line for a call.
func callNote(kind domain.NotifyKind, told bool, note string) string {
	what := map[domain.NotifyKind]string{domain.NotifyQuestion: "pertanyaan admin", domain.NotifyAnswer: "jawaban",
		domain.NotifyAnswerPrivate: "jawaban", domain.NotifyDuplicate: "pemberitahuan aduan ganda",
		domain.NotifyNoReplyClosed: "penutupan aduan"}[kind]
	text := "Operator menelepon pelapor: " + what + " disampaikan."
	if !told {
		text = "Operator menelepon pelapor untuk menyampaikan " + what + ", tetapi tidak diangkat; akan dicoba lagi."
	}
	if note != "" {
		text += " " + note
	}
	return text
}
