package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// The clocks of runs that started before working-time plans (GetVersion
// changeWorkingTimeSLA = DefaultVersion): calendar-time deadlines from Input.Policy, an
// overdue mark at the deadline, no reminders. Kept so that those runs replay unchanged.

func (w *complaint) nextWakeLegacy() (time.Time, bool) {
	s := w.state
	switch {
	case s.Status.Final():
		if s.ClosedAt == nil {
			return time.Time{}, false
		}
		return s.ClosedAt.Add(w.policy.ArchiveAfter), true
	case s.Deadline == nil:
		return time.Time{}, false
	case s.Status == domain.StatusPublished:
		return *s.Deadline, true
	case s.Overdue:
		return time.Time{}, false
	}
	return *s.Deadline, true
}

func (w *complaint) onTimerLegacy(ctx workflow.Context) (done bool, err error) {
	now := workflow.Now(ctx)
	s := &w.state
	switch {
	case s.Status.Final():
		return true, nil
	case s.Status == domain.StatusPublished:
		w.enter(ctx, domain.StatusClosed)
		s.ClosedAt = &now
		_, err := w.record(ctx, systemActor, domain.ActionClose, "Masa tanggapan pelapor berakhir; aduan selesai.")
		return false, err
	case s.Deadline != nil && !now.Before(*s.Deadline):
		s.Overdue = true
		_, err := w.record(ctx, systemActor, domain.ActionOverdue, "Tenggat tahap ini terlewati.")
		return false, err
	}
	return false, nil
}

func (w *complaint) restartClockLegacy(ctx workflow.Context, until *time.Time) {
	s := &w.state
	if until != nil {
		u := until.UTC()
		s.Deadline, s.Overdue = &u, false
		return
	}
	now := workflow.Now(ctx)
	s.StageStartedAt = now
	s.Overdue = false
	s.Deadline = nil
	var d time.Duration
	if s.Status == domain.StatusPublished {
		d = w.policy.FeedbackWindow
	} else {
		d = w.policy.StageDuration(s.Status, s.EffectivePriority())
	}
	if d > 0 && !s.Status.Final() {
		deadline := now.Add(d)
		s.Deadline = &deadline
	}
}

// systemActor records what the workflow does by itself.
var systemActor = domain.Actor{Username: "system", Role: domain.RoleSystem}
