// Package activities holds the complaint workflow's side effects. They use the store;
// workflows call them by their registered names.
package activities

import (
	"context"

	"aduan/domain"
	"aduan/store"
)

// Activities bundles the activities with what they need.
type Activities struct {
	DB *store.DB
	// Projected, when set, is called after every projection written, with whether it
	// queued a publication's announcement: the worker's announcer takes that at once
	// rather than at its next pass, and gives way to the staff actions meanwhile
	// (worker.RunAnnouncer).
	Projected func(announced bool)
}

// ProjectComplaint writes one audit event and the complaint's new state to PostgreSQL.
// When the event started a clock it first lays out its plan with the regency's current
// policy, so the deadline written and the plan returned agree. It is idempotent (keyed by
// the event's sequence number), so Temporal may retry it freely.
func (a *Activities) ProjectComplaint(ctx context.Context, p domain.Projection) (domain.ProjectResult, error) {
	var res domain.ProjectResult
	if p.Plan != nil {
		var policy domain.SLAPolicy
		if p.Plan.Override == nil {
			var err error
			if policy, err = a.DB.CurrentSLAPolicy(ctx); err != nil {
				return res, err
			}
		}
		res = policy.Plans(*p.Plan)
		p.State.Deadline = res.Stage.Deadline
		if res.Overall != nil {
			p.State.OverallDeadline = res.Overall.Deadline
		}
	}
	if p.Announce != nil {
		// The answer names the deadline the publish's own clock has just been given.
		announce := *p.Announce
		announce.Notify.Deadline = p.State.Deadline
		p.Announce = &announce
	}
	var plan *domain.Plan
	if p.Plan != nil {
		// The console shows the next few points; the row keeps only those.
		head := res.Stage.Head(domain.PlanPointsKept)
		plan = &head
	}
	if err := a.DB.ApplyProjection(ctx, p, plan); err != nil {
		return res, err
	}
	loggerOf(ctx).Debug("projection written", "code", p.State.Code, "seq", p.Seq, "action", p.Action)
	if a.Projected != nil {
		a.Projected(p.Announce != nil)
	}
	return res, nil
}
