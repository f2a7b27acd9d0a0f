package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// nextPoint is the earliest point of the running clocks.
func (w *complaint) nextPoint() (time.Time, bool) {
	var next time.Time
	found := false
	for _, plan := range []domain.Plan{w.stage, w.overall} {
		if len(plan.Points) > 0 && (!found || plan.Points[0].At.Before(next)) {
			next, found = plan.Points[0].At, true
		}
	}
	return next, found
}

// pointsAfter keeps the points later than t.
func pointsAfter(ps []domain.Point, t time.Time) []domain.Point {
	for i, p := range ps {
		if p.At.After(t) {
			return ps[i:]
		}
	}
	return nil
}

// onPoints acts on every point that is due, in order; done says the run may end.
func (w *complaint) onPoints(ctx workflow.Context) (bool, error) {
	now := workflow.Now(ctx)
	for {
		plan, fromStage := &w.stage, true
		if len(w.overall.Points) > 0 && (len(w.stage.Points) == 0 || w.overall.Points[0].At.Before(w.stage.Points[0].At)) {
			plan, fromStage = &w.overall, false
		}
		if len(plan.Points) == 0 || plan.Points[0].At.After(now) {
			return false, nil
		}
		point := plan.Points[0]
		plan.Points = plan.Points[1:]
		// The key names the clock and the point, so a retried or replayed notification
		// is written once.
		clock := fmt.Sprintf("s%d", w.stageSeq)
		if !fromStage {
			clock = "overall"
		}
		key := fmt.Sprintf("%s/%s/%s/%d", w.state.Code, clock, point.Kind, point.At.Unix())
		done, err := w.onPoint(ctx, point, key)
		if err != nil || done {
			return done, err
		}
	}
}

func (w *complaint) onPoint(ctx workflow.Context, p domain.Point, key string) (bool, error) {
	s := &w.state
	var err error
	switch p.Kind {
	case domain.PointReminder:
		w.notify(ctx, key, domain.NotifyReminder, p.At)
	case domain.PointDeadline:
		s.Overdue = true
		_, err = w.record(ctx, systemActor, domain.ActionOverdue, "Tenggat tahap ini terlewati; supervisor diberi tahu.")
		w.notify(ctx, key, domain.NotifyEscalation, p.At)
	case domain.PointEscalateHead:
		_, err = w.record(ctx, systemActor, domain.ActionEscalate, "Masih terlambat; diteruskan ke kepala dinas.")
		w.notify(ctx, key, domain.NotifyEscalationHead, p.At)
	case domain.PointOverdueReminder:
		w.notify(ctx, key, domain.NotifyOverdueReminder, p.At)
	case domain.PointOverallReminder:
		w.notify(ctx, key, domain.NotifyOverallReminder, p.At)
	case domain.PointOverallDeadline:
		s.OverallOverdue = true
		_, err = w.record(ctx, systemActor, domain.ActionOverdue, "Batas penyelesaian aduan (60 hari, Perpres 76/2013) terlewati.")
		w.notify(ctx, key, domain.NotifyOverallEscalation, p.At)
	case domain.PointClose:
		if s.Status == domain.StatusAwaitingInfo {
			s.CloseReason = "no_reply"
			w.enter(ctx, domain.StatusClosed)
			_, err = w.record(ctx, systemActor, domain.ActionClose, "Pelapor tidak menjawab sampai tenggat; aduan ditutup.")
			w.notify(ctx, key, domain.NotifyNoReplyClosed, p.At)
		} else {
			w.enter(ctx, domain.StatusClosed)
			_, err = w.record(ctx, systemActor, domain.ActionClose, "Masa tanggapan pelapor berakhir; aduan selesai.")
		}
	case domain.PointArchive:
		return true, nil
	}
	return false, err
}

// notify writes and delivers a notification without holding up the workflow: a mail
// server that is down delays the message, not the complaint's clocks.
func (w *complaint) notify(ctx workflow.Context, key string, kind domain.NotifyKind, due time.Time) {
	req := w.notifyRequest(key, kind, due)
	w.inBackground(ctx, "notification "+string(kind), time.Second, 10*time.Minute, func(actx workflow.Context) workflow.Future {
		return notifyActivity(actx, req)
	})
}

// notifyRequest describes a notification of kind about the complaint as it is now.
func (w *complaint) notifyRequest(key string, kind domain.NotifyKind, due time.Time) domain.NotifyRequest {
	s := w.state
	req := domain.NotifyRequest{Key: key, Code: s.Code, Kind: kind, Status: s.Status, Pokja: s.Pokja,
		Partner: s.Partner, Deadline: s.Deadline, Due: due}
	if kind == domain.NotifyOverallReminder || kind == domain.NotifyOverallEscalation {
		req.Deadline = s.OverallDeadline
	}
	return req
}

// announce tells the complainant the published answer and pushes it to the regency's
// websites in one activity (one billed action instead of two), without holding up the
// workflow: a site that is down is retried, nothing waits for it.
func (w *complaint) announce(ctx workflow.Context, answer domain.NotifyRequest) {
	req := domain.AnnounceRequest{Notify: answer, Publish: domain.PublishRequest{Code: w.state.Code}}
	w.inBackground(ctx, "announcement", 2*time.Second, 10*time.Minute, func(actx workflow.Context) workflow.Future {
		return announceActivity(actx, req)
	})
}

// inBackground runs an activity that talks to the outside world (notifications, websites)
// without holding up the workflow, retried from every to at most maxEvery apart; start
// starts it with those options. The workflow ends only after it (drain counts
// w.notifying). Its failure is logged with the complaint's code only: the error holds no
// personal data.
func (w *complaint) inBackground(ctx workflow.Context, what string, every, maxEvery time.Duration,
	start func(actx workflow.Context) workflow.Future) {
	w.notifying++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { w.notifying-- }()
		actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			StartToCloseTimeout: time.Minute,
			RetryPolicy:         &temporal.RetryPolicy{InitialInterval: every, BackoffCoefficient: 2, MaximumInterval: maxEvery},
		})
		if err := start(actx).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("background activity failed", "what", what, "code", w.state.Code, "err", err)
		}
	})
}

// systemActor records what the workflow does by itself.
var systemActor = domain.Actor{Username: "system", Role: domain.RoleSystem}
