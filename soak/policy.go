package soak

import (
	"time"

	"aduan/domain"
)

func secs(n int) domain.Span { return domain.Span{Dur: time.Duration(n) * time.Second} }

// soakPolicy is the deadline policy of the soak, in plain seconds (no calendar), so that
// every kind of timer fires within the 2-minute soak: a complaint whose partner answers
// late (the "late" lifecycle, 20–100 s) is reminded, overdue, escalated to the head of
// office and reminded again within 40 s, and past 100 s from intake the overall limit
// runs out; a question nobody answers closes the complaint after a minute; a published
// answer nobody reacts to closes after 30 s; finished complaints end their run a minute
// later. So every complaint ends within minutes and the number of open workflows levels
// off, which a soak needs to tell growth from a leak. Clients act within a second or two,
// so the other lifecycles meet a timer only when a fault slows them down.
var soakPolicy = domain.SLAPolicy{
	Stages: map[domain.Status]domain.Span{
		domain.StatusReceived:       secs(40),
		domain.StatusAwaitingInfo:   secs(60),
		domain.StatusAtPokja:        secs(30),
		domain.StatusAtPartner:      secs(20),
		domain.StatusPokjaReview:    secs(30),
		domain.StatusReadyToPublish: secs(30),
	},
	Urgent:              secs(15),
	Reminders:           []float64{0.5},
	RemindBefore:        secs(5),
	EscalateHeadAfter:   secs(10),
	OverdueEvery:        secs(10),
	OverdueMax:          2,
	Overall:             secs(100),
	OverallRemindBefore: secs(20),
	FeedbackWindow:      secs(30),
	ArchiveAfter:        secs(60),
}
