package activities

import (
	"context"
	"fmt"

	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// Quiet hours and digests in the Notify activity: each row is given its schedule
// (domain.SLAPolicy.ScheduleOf) before it is written; a held row keeps its hold in the
// outbox, which is what staff see ("ditahan sampai …") and what the worker's outbox
// loop sends by.

// policyOnce reads the regency's SLA policy at most once per activity.
func (n *Notifier) policyOnce(ctx context.Context) func() (domain.SLAPolicy, error) {
	var (
		p    domain.SLAPolicy
		err  error
		read bool
	)
	return func() (domain.SLAPolicy, error) {
		if !read {
			read = true
			if p, err = n.DB.CurrentSLAPolicy(ctx); err != nil {
				err = fmt.Errorf("sla policy: %w", err)
			}
		}
		return p, err
	}
}

// schedule sets each row's hold (rows[i] is recipients[i]'s). A message goes out at the
// later of now and its due time: a retried activity that runs in the morning sends what
// was due at night. The policy and the complaint's priority are read only when some row
// could wait.
func (n *Notifier) schedule(ctx context.Context, req domain.NotifyRequest, recipients []recipient, rows []store.Notification,
	policy func() (domain.SLAPolicy, error)) error {
	// Only an acknowledgement or an automatic reply never waits, whatever its priority.
	mayWait := n.QuietHours && !domain.AnyHour(req.Kind, "")
	for _, r := range recipients {
		mayWait = mayWait || r.digest
	}
	if !mayWait {
		return nil
	}
	p, err := policy()
	if err != nil {
		return err
	}
	priority := ""
	if domain.IsEscalation(req.Kind) {
		if priority, err = n.DB.ComplaintPriority(ctx, req.Code); err != nil {
			return fmt.Errorf("priority of %s: %w", req.Code, err)
		}
	}
	at := n.now()
	if req.Due.After(at) {
		at = req.Due
	}
	for i, r := range recipients {
		s := p.ScheduleOf(domain.Outgoing{Kind: req.Kind, Priority: priority, Channel: r.channel,
			Digest: r.digest && r.audience == notify.AudienceStaff, Deadline: req.Deadline}, at, n.QuietHours)
		if s.Held() {
			hold := s.HoldUntil
			rows[i].HoldUntil, rows[i].Digest = &hold, s.Digest
		}
	}
	return nil
}
