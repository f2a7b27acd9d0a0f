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
		now := workflow.Now(ctx)
		if s.Status == domain.StatusAwaitingInfo {
			s.CloseReason = "no_reply"
			w.enter(ctx, domain.StatusClosed)
			s.ClosedAt = &now
			_, err = w.record(ctx, systemActor, domain.ActionClose, "Pelapor tidak menjawab sampai tenggat; aduan ditutup.")
			w.notify(ctx, key, domain.NotifyNoReplyClosed, p.At)
		} else {
			w.enter(ctx, domain.StatusClosed)
			s.ClosedAt = &now
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
	w.inBackground(ctx, domain.ActivityNotify, w.notifyRequest(key, kind, due), time.Second, 10*time.Minute)
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
// websites in one activity (version 4; before, a Notify and a PublishExternal), without
// holding up the workflow.
func (w *complaint) announce(ctx workflow.Context, answer domain.NotifyRequest) {
	req := domain.AnnounceRequest{Notify: answer, Publish: domain.PublishRequest{Code: w.state.Code}}
	w.inBackground(ctx, domain.ActivityAnnounce, req, 2*time.Second, 10*time.Minute)
}

// publishExternal pushes the published answer to the regency's websites, without holding
// up the workflow: a site that is down is retried, the others are not waited for.
func (w *complaint) publishExternal(ctx workflow.Context) {
	w.inBackground(ctx, domain.ActivityPublishExternal, domain.PublishRequest{Code: w.state.Code}, 5*time.Second, 30*time.Minute)
}

// inBackground runs an activity that talks to the outside world (notifications, websites)
// without holding up the workflow, retried from every to at most maxEvery apart. The
// workflow ends only after it (drain counts w.notifying). Its failure is logged with the
// complaint's code only: the error holds no personal data.
func (w *complaint) inBackground(ctx workflow.Context, activity string, req any, every, maxEvery time.Duration) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: every, BackoffCoefficient: 2, MaximumInterval: maxEvery},
	})
	w.notifying++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { w.notifying-- }()
		if err := workflow.ExecuteActivity(actx, activity, req).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("background activity failed", "activity", activity, "code", w.state.Code, "err", err)
		}
	})
}
