package domain

import (
	"strconv"
	"strings"
	"sync"
)

// Preparing a calendar parses its office hours and every holiday, and every deadline asks
// for it more than once: intake lays out the plan of each stage, each action the next
// stage's. Profiled, that was a third of an intake's CPU in Aduan's own process. So
// prepared calendars are kept, by their content. A clock is a pure function of its
// calendar, so a kept one is exactly what preparing again would give, in workflow code
// as anywhere: replay is unaffected.
var prepared struct {
	mu     sync.Mutex
	clocks map[string]preparedClock
}

type preparedClock struct {
	k   clock
	err error
}

// preparedMax bounds the cache: a regency runs one calendar at a time, and a calendar an
// admin is still writing (Validate) passes through a few versions.
const preparedMax = 32

// clock is c prepared (prepare), from the cache when it was prepared before. The clock's
// holiday set is shared: nothing writes to it after prepare.
func (c Calendar) clock() (clock, error) {
	key := c.cacheKey()
	prepared.mu.Lock()
	p, ok := prepared.clocks[key]
	prepared.mu.Unlock()
	if ok {
		return p.k, p.err
	}
	k, err := c.prepare()
	prepared.mu.Lock()
	if prepared.clocks == nil || len(prepared.clocks) >= preparedMax {
		prepared.clocks = map[string]preparedClock{}
	}
	prepared.clocks[key] = preparedClock{k: k, err: err}
	prepared.mu.Unlock()
	return k, err
}

// cacheKey is every field of c, written out so that no two calendars share one: each
// text is preceded by its length (a holiday "2026-01-01,2026-01-02", which is wrong, is
// not the two holidays it looks like).
func (c Calendar) cacheKey() string {
	var b strings.Builder
	b.Grow(40 + 14*len(c.Holidays))
	text := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	b.WriteString(strconv.Itoa(c.UTCOffsetHours))
	b.WriteByte(' ')
	text(c.OfficeOpen)
	text(c.OfficeClose)
	b.WriteString(strconv.Itoa(len(c.Workdays)))
	for _, d := range c.Workdays {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(d))
	}
	b.WriteByte(' ')
	for _, h := range c.Holidays {
		text(h)
	}
	return b.String()
}
