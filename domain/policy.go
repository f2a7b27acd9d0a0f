package domain

import "time"

// Policy holds the deadlines of a complaint's stages. Durations are calendar time for now;
// working-day calendars come with the SLA work. Zero fields fall back to DefaultPolicy.
type Policy struct {
	// Stage is the time allowed in each status before the complaint is overdue.
	Stage map[Status]time.Duration `json:"stage,omitempty"`
	// Urgent replaces Stage for urgent complaints (life, health, no food or shelter).
	Urgent time.Duration `json:"urgent,omitempty"`
	// FeedbackWindow is how long a published complaint waits before it closes.
	FeedbackWindow time.Duration `json:"feedback_window,omitempty"`
	// ArchiveAfter is how long a closed or rejected complaint still takes internal notes.
	ArchiveAfter time.Duration `json:"archive_after,omitempty"`
}

const day = 24 * time.Hour

// DefaultPolicy follows SP4N-LAPOR! practice: three days to verify and forward, five for
// the follow-up, one day at each stage for urgent complaints.
func DefaultPolicy() Policy {
	return Policy{
		Stage: map[Status]time.Duration{
			StatusReceived:       3 * day,
			StatusAwaitingInfo:   10 * day,
			StatusAtPokja:        5 * day,
			StatusAtPartner:      5 * day,
			StatusPokjaReview:    3 * day,
			StatusReadyToPublish: 1 * day,
		},
		Urgent:         1 * day,
		FeedbackWindow: 10 * day,
		ArchiveAfter:   30 * day,
	}
}

// WithDefaults fills zero fields from DefaultPolicy.
func (p Policy) WithDefaults() Policy {
	d := DefaultPolicy()
	if p.Stage == nil {
		p.Stage = d.Stage
	}
	if p.Urgent == 0 {
		p.Urgent = d.Urgent
	}
	if p.FeedbackWindow == 0 {
		p.FeedbackWindow = d.FeedbackWindow
	}
	if p.ArchiveAfter == 0 {
		p.ArchiveAfter = d.ArchiveAfter
	}
	return p
}

// StageDuration is the time allowed in status s at the given priority (0: no deadline).
func (p Policy) StageDuration(s Status, priority string) time.Duration {
	d, ok := p.Stage[s]
	if !ok {
		return 0
	}
	if priority == "urgent" && s != StatusAwaitingInfo && p.Urgent > 0 && p.Urgent < d {
		return p.Urgent
	}
	return d
}
