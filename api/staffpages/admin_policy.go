package staffpages

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/domain"
)

// policyData is /staf/admin/kebijakan: the deadline policy in force, read-only (`aduan
// policy set FILE` changes it).
type policyData struct {
	Frame
	Tabs       []adminTab
	Version    int
	Overridden bool
	// Calendar is nil when the policy counts plain durations.
	Calendar *domain.Calendar
	ZoneName string
	Workdays string
	Holidays []string
	Stages   []policyRow
	Other    []policyRow
}

// policyRow is one line of the policy: what, and how long ("3d", "1h": as the file writes it).
type policyRow struct{ Label, Value string }

var weekdayNames = map[int]string{1: "Senin", 2: "Selasa", 3: "Rabu", 4: "Kamis", 5: "Jumat", 6: "Sabtu", 7: "Minggu"}

// adminPolicy is GET /staf/admin/kebijakan.
func (h handlers) adminPolicy(c *gin.Context) {
	p, overridden, err := h.core.PolicyInForce(c.Request.Context(), user(c).Actor())
	if err != nil {
		h.fail(c, err)
		return
	}
	d := policyData{Frame: h.frame(c, "Admin: kebijakan tenggat"), Tabs: adminTabs("/staf/admin/kebijakan"),
		Version: p.Version, Overridden: overridden, Calendar: p.Calendar}
	off := p.UTCOffsetHours()
	d.ZoneName = fmt.Sprintf("%s (UTC%+d, %s)", domain.ZoneAt(off).String(), off, domain.TimeZoneName(off))
	if p.Calendar != nil {
		var days []string
		for _, w := range p.Calendar.Workdays {
			days = append(days, weekdayNames[w])
		}
		d.Workdays = strings.Join(days, ", ")
		d.Holidays = p.Calendar.Holidays
	}
	for _, s := range domain.AllStatuses {
		if sp, ok := p.Stages[s]; ok {
			d.Stages = append(d.Stages, policyRow{s.Label(), sp.String()})
		}
	}
	d.Stages = append(d.Stages, policyRow{"Aduan mendesak (setiap tahap kerja)", p.Urgent.String()})
	reminders := []string{}
	for _, f := range p.Reminders {
		reminders = append(reminders, fmt.Sprintf("%g%%", f*100))
	}
	d.Other = []policyRow{
		{"Pengingat (bagian dari waktu tahap)", strings.Join(reminders, ", ")},
		{"Pengingat terakhir sebelum tenggat", p.RemindBefore.String()},
		{"Eskalasi ke kepala dinas setelah terlambat", p.EscalateHeadAfter.String()},
		{"Pengingat terlambat diulang setiap", fmt.Sprintf("%s (paling banyak %d kali)", p.OverdueEvery, p.OverdueMax)},
		{"Batas keseluruhan (hari kalender, Perpres 76/2013)", p.Overall.String()},
		{"Peringatan sebelum batas keseluruhan", p.OverallRemindBefore.String()},
		{"Masa menunggu tanggapan pelapor", p.FeedbackWindow.String()},
		{"Catatan internal masih diterima setelah selesai", p.ArchiveAfter.String()},
	}
	pages.Render(c, http.StatusOK, "admin-policy", d)
}
