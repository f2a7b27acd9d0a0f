package domain

import "time"

// Holidays2026 are Indonesia's national holidays and collective leave days (cuti
// bersama) of 2026 as set by the joint decree of three ministers (SKB 3 Menteri), plus
// the fixed-date holidays of 2027. The regency checks and extends the list with
// `aduan policy set`; a date here that turns out wrong only shifts a deadline by a day.
var Holidays2026 = []string{
	// 2026: national holidays
	"2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20", "2026-03-21",
	"2026-04-03", "2026-05-01", "2026-05-14", "2026-05-27", "2026-05-31", "2026-06-01",
	"2026-06-16", "2026-08-17", "2026-08-25", "2026-12-25",
	// 2026: cuti bersama
	"2026-02-16", "2026-03-18", "2026-03-23", "2026-03-24", "2026-05-15", "2026-05-28",
	"2026-12-24",
	// 2027: fixed dates (the rest follows the 2027 decree)
	"2027-01-01", "2027-05-01", "2027-06-01", "2027-08-17", "2027-12-25",
}

// DefaultCalendar is Kabupaten Mamuju's: WITA, Monday to Friday, 08:00–16:00.
func DefaultCalendar() *Calendar {
	return &Calendar{
		UTCOffsetHours: 8, OfficeOpen: "08:00", OfficeClose: "16:00",
		Workdays: []int{1, 2, 3, 4, 5}, Holidays: append([]string(nil), Holidays2026...),
	}
}

func days(n int) Span { return Span{Days: n} }

// DefaultSLAPolicy follows Indonesian public-complaint practice (see README "Deadlines"):
// SP4N-LAPOR! gives the admin 3 working days to verify and forward and the agency 5
// working days to follow up, and closes a report 10 working days after the follow-up
// when nobody replies; urgent complaints get 1 working day at each stage; Perpres
// 76/2013 settles a complaint within 60 days of a complete report.
func DefaultSLAPolicy() SLAPolicy {
	return SLAPolicy{
		Calendar: DefaultCalendar(),
		Stages: map[Status]Span{
			StatusReceived:       days(3),
			StatusAwaitingInfo:   days(10),
			StatusAtPokja:        days(5),
			StatusAtPartner:      days(5),
			StatusPokjaReview:    days(2),
			StatusReadyToPublish: days(1),
		},
		Urgent:              days(1),
		Reminders:           []float64{0.5},
		RemindBefore:        Span{Dur: time.Hour},
		EscalateHeadAfter:   days(2),
		OverdueEvery:        days(1),
		OverdueMax:          10,
		Overall:             days(60),
		OverallRemindBefore: days(10),
		FeedbackWindow:      days(10),
		ArchiveAfter:        days(30),
	}
}
