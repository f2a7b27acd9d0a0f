package domain

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Calendar is the regency's working time: a time zone, the working days of the week,
// daily office hours, and the national holidays and collective leave days (cuti bersama).
// It does no I/O and is deterministic, so workflow code may use it.
type Calendar struct {
	// UTCOffsetHours is the zone; Kabupaten Mamuju keeps WITA (UTC+8, no daylight saving).
	UTCOffsetHours int `json:"utc_offset_hours"`
	// OfficeOpen and OfficeClose are "HH:MM" local times.
	OfficeOpen  string `json:"office_open"`
	OfficeClose string `json:"office_close"`
	// Workdays are the working weekdays, 1 = Monday … 7 = Sunday.
	Workdays []int `json:"workdays"`
	// Holidays are "YYYY-MM-DD" local dates on which the office is closed.
	Holidays []string `json:"holidays"`
}

// clock is a Calendar made ready for arithmetic.
type clock struct {
	zone        *time.Location
	open, close time.Duration // since local midnight
	workday     [7]bool       // by time.Weekday
	holiday     map[int]bool  // by dayKey
}

// dayKey names a local date for the holiday set: cheaper than formatting it, and the
// calendar walks asks it of every day they pass.
func dayKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

func parseHHMM(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("office hours %q: want HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// prepare makes c ready for arithmetic, or says what is wrong with it. clock caches it.
func (c Calendar) prepare() (clock, error) {
	k := clock{zone: c.Location(), holiday: map[int]bool{}}
	var err error
	if k.open, err = parseHHMM(c.OfficeOpen); err != nil {
		return k, err
	}
	if k.close, err = parseHHMM(c.OfficeClose); err != nil {
		return k, err
	}
	if k.close <= k.open {
		return k, fmt.Errorf("office closes (%s) before it opens (%s)", c.OfficeClose, c.OfficeOpen)
	}
	for _, d := range c.Workdays {
		if d < 1 || d > 7 {
			return k, fmt.Errorf("workday %d: want 1 (Monday) to 7 (Sunday)", d)
		}
		k.workday[d%7] = true
	}
	if len(c.Workdays) == 0 {
		return k, fmt.Errorf("no workdays")
	}
	for _, h := range c.Holidays {
		t, err := time.Parse("2006-01-02", h)
		if err != nil {
			return k, fmt.Errorf("holiday %q: want YYYY-MM-DD", h)
		}
		k.holiday[dayKey(t.Date())] = true
	}
	return k, nil
}

// Validate reports the first problem of a calendar a person wrote.
func (c Calendar) Validate() error {
	_, err := c.clock()
	return err
}

// DayLength is the working time of one office day.
func (c Calendar) DayLength() time.Duration {
	k, err := c.clock()
	if err != nil {
		return 8 * time.Hour
	}
	return k.close - k.open
}

func (k clock) midnight(t time.Time) time.Time {
	y, m, d := t.In(k.zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, k.zone)
}

func (k clock) isWorkday(day time.Time) bool {
	return k.workday[day.Weekday()] && !k.holiday[dayKey(day.Date())]
}

// maxDays bounds every walk over the calendar (ten years), so a calendar with no
// working day left cannot loop for ever.
const maxDays = 3660

// AddWorking returns the instant that lies d of working time after t. Time outside office
// hours, on weekends and on holidays does not count. A t outside office hours counts from
// the next opening.
func (c Calendar) AddWorking(t time.Time, d time.Duration) time.Time {
	k, err := c.clock()
	if err != nil {
		return t.Add(d)
	}
	day := k.midnight(t)
	for i := 0; i < maxDays; i, day = i+1, day.AddDate(0, 0, 1) {
		if !k.isWorkday(day) {
			continue
		}
		open, close := day.Add(k.open), day.Add(k.close)
		from := open
		if t.After(from) {
			from = t
		}
		if !from.Before(close) {
			continue
		}
		if left := close.Sub(from); d <= left {
			if d == 0 && from.Equal(close) {
				continue
			}
			return from.Add(d).In(t.Location())
		} else {
			d -= left
		}
	}
	return t.Add(d)
}

// WorkingBetween is the working time from a to b (0 when b is not after a).
func (c Calendar) WorkingBetween(a, b time.Time) time.Duration {
	k, err := c.clock()
	if err != nil || !b.After(a) {
		if b.After(a) {
			return b.Sub(a)
		}
		return 0
	}
	var total time.Duration
	day := k.midnight(a)
	for i := 0; i < maxDays && day.Before(b); i, day = i+1, day.AddDate(0, 0, 1) {
		if !k.isWorkday(day) {
			continue
		}
		from, to := day.Add(k.open), day.Add(k.close)
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		if to.After(from) {
			total += to.Sub(from)
		}
	}
	return total
}

// SubtractWorking returns the instant d of working time before t (never before floor).
func (c Calendar) SubtractWorking(t, floor time.Time, d time.Duration) time.Time {
	total := c.WorkingBetween(floor, t)
	if d >= total {
		return floor
	}
	return c.AddWorking(floor, total-d)
}

// SortedHolidays returns the holidays in date order (for display and stable files).
func (c Calendar) SortedHolidays() []string {
	out := append([]string(nil), c.Holidays...)
	sort.Strings(out)
	return out
}
