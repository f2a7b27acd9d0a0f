package domain

import (
	"fmt"
	"time"
)

// DefaultUTCOffsetHours is Kabupaten Mamuju's zone, WITA (UTC+8, no daylight saving): the
// zone of a policy without a calendar (tests, demos).
const DefaultUTCOffsetHours = 8

// ZoneAt is the fixed zone UTC+offset, named as Indonesians name their three zones.
func ZoneAt(offsetHours int) *time.Location {
	name := fmt.Sprintf("UTC%+d", offsetHours)
	switch offsetHours {
	case 7:
		name = "WIB"
	case 8:
		name = "WITA"
	case 9:
		name = "WIT"
	}
	return time.FixedZone(name, offsetHours*3600)
}

// Location is the calendar's time zone.
func (c Calendar) Location() *time.Location { return ZoneAt(c.UTCOffsetHours) }

// UTCOffsetHours is the regency's zone as the policy's calendar gives it (WITA without one).
func (p SLAPolicy) UTCOffsetHours() int {
	if p.Calendar == nil {
		return DefaultUTCOffsetHours
	}
	return p.Calendar.UTCOffsetHours
}

// Location is the regency's time zone: its calendar's, WITA without one. Every date a
// user reads is shown in it.
func (p SLAPolicy) Location() *time.Location { return ZoneAt(p.UTCOffsetHours()) }

// TimeZoneName is the IANA name of Indonesia's zone at offsetHours (Asia/Makassar for
// WITA), or "UTC+N" for any other offset.
func TimeZoneName(offsetHours int) string {
	switch offsetHours {
	case 7:
		return "Asia/Jakarta"
	case 8:
		return "Asia/Makassar"
	case 9:
		return "Asia/Jayapura"
	}
	return fmt.Sprintf("UTC%+d", offsetHours)
}
