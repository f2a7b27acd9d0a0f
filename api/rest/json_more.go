package rest

import (
	"time"

	"aduan/complaints"
	"aduan/domain"
)

type groupJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type desaJSON struct {
	ID        string `json:"id"`
	Kecamatan string `json:"kecamatan"`
	Name      string `json:"name"`
}

type kecamatanJSON struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Desa []desaJSON `json:"desa"`
}

// actionJSON is a staff action as domain.ActionSpecs says: who may take it, in which
// statuses, and the status it leads to ("" for unchanged), so a client can show the way
// ahead without its own copy of API.md's table.
type actionJSON struct {
	Name  domain.Action   `json:"name"`
	Roles []domain.Role   `json:"roles"`
	From  []domain.Status `json:"from"`
	To    domain.Status   `json:"to,omitempty"`
}

func actionsJSON() []actionJSON {
	out := make([]actionJSON, 0, len(domain.StaffActions))
	for _, a := range domain.StaffActions {
		spec := domain.ActionSpecs[a]
		aj := actionJSON{Name: a, Roles: spec.Roles, From: []domain.Status{}, To: spec.To}
		for _, st := range domain.AllStatuses {
			if spec.AllowedIn(st) {
				aj.From = append(aj.From, st)
			}
		}
		out = append(out, aj)
	}
	return out
}

type directoryJSON struct {
	Actions       []actionJSON      `json:"actions"`
	Pokja         []groupJSON       `json:"pokja"`
	Partners      []groupJSON       `json:"partners"`
	Categories    []domain.Category `json:"categories"`
	Kecamatan     []kecamatanJSON   `json:"kecamatan"`
	Channels      []string          `json:"channels"`
	Priorities    []string          `json:"priorities"`
	RejectReasons []string          `json:"reject_reasons"`
}

func directoryOf(d complaints.Directory) directoryJSON {
	out := directoryJSON{Actions: actionsJSON(), Pokja: []groupJSON{}, Partners: []groupJSON{}, Kecamatan: []kecamatanJSON{},
		Categories: domain.Categories, Channels: domain.Channels, Priorities: domain.Priorities,
		RejectReasons: domain.RejectReasons}
	for _, g := range d.Pokja {
		out.Pokja = append(out.Pokja, groupJSON{ID: g.ID, Name: g.Name})
	}
	for _, g := range d.Partners {
		out.Partners = append(out.Partners, groupJSON{ID: g.ID, Name: g.Name})
	}
	for _, k := range d.Kecamatan {
		kj := kecamatanJSON{ID: k.ID, Name: k.Name, Desa: []desaJSON{}}
		for _, x := range k.Desa {
			kj.Desa = append(kj.Desa, desaJSON{ID: x.ID, Kecamatan: x.KecamatanID, Name: x.Name})
		}
		out.Kecamatan = append(out.Kecamatan, kj)
	}
	return out
}

// notificationJSON is one of the caller's notifications. It never carries the address
// the notification went to.
type notificationJSON struct {
	ID        int64             `json:"id"`
	Code      string            `json:"code"`
	Kind      domain.NotifyKind `json:"kind"`
	Channel   string            `json:"channel"`
	Template  string            `json:"template"`
	Text      string            `json:"text"`
	DueAt     time.Time         `json:"due_at"`
	CreatedAt time.Time         `json:"created_at"`
	SentAt    *time.Time        `json:"sent_at"`
	Attempts  int               `json:"attempts"`
}

func notificationOf(n complaints.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Code: n.Code, Kind: n.Kind, Channel: n.Channel, Template: n.Template,
		Text: n.Text, DueAt: n.DueAt, CreatedAt: n.CreatedAt, SentAt: n.SentAt, Attempts: n.Attempts}
}

type reportCountJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type stageTimeJSON struct {
	Stage         domain.Status `json:"stage"`
	Label         string        `json:"label"`
	Visits        int           `json:"visits"`
	MedianSeconds *float64      `json:"median_seconds"`
	P90Seconds    *float64      `json:"p90_seconds"`
}

type reportScopeJSON struct {
	Role    domain.Role `json:"role"`
	Pokja   string      `json:"pokja,omitempty"`
	Partner string      `json:"partner,omitempty"`
}

// reportJSON is the body of GET /api/v1/staff/reports.
type reportJSON struct {
	From                string                       `json:"from"`
	To                  string                       `json:"to"`
	TimeZone            string                       `json:"time_zone"`
	Scope               reportScopeJSON              `json:"scope"`
	Total               int                          `json:"total"`
	Counts              map[string][]reportCountJSON `json:"counts"`
	Stages              []stageTimeJSON              `json:"stages"`
	Answered            int                          `json:"answered"`
	AnsweredOnTime      int                          `json:"answered_on_time"`
	OnTimeShare         *float64                     `json:"on_time_share"`
	OverallLimitSeconds float64                      `json:"overall_limit_seconds"`
	FeedbackCount       int                          `json:"feedback_count"`
	FeedbackSatisfied   int                          `json:"feedback_satisfied"`
	SatisfactionRate    *float64                     `json:"satisfaction_rate"`
	Published           int                          `json:"published"`
	Reopened            int                          `json:"reopened"`
	ReopenRate          *float64                     `json:"reopen_rate"`
	TopOverduePartners  []reportCountJSON            `json:"top_overdue_partners"`
	TopOverdueDesa      []reportCountJSON            `json:"top_overdue_desa"`
}

func countsOf(list []complaints.ReportCount) []reportCountJSON {
	out := make([]reportCountJSON, 0, len(list))
	for _, rc := range list {
		out = append(out, reportCountJSON{Key: rc.Key, Label: rc.Label, Count: rc.Count})
	}
	return out
}

func reportOf(r complaints.Report) reportJSON {
	out := reportJSON{From: r.From, To: r.To, TimeZone: r.TimeZone,
		Scope: reportScopeJSON{Role: r.Role, Pokja: r.Scope.Pokja, Partner: r.Scope.Partner},
		Total: r.Total, Counts: map[string][]reportCountJSON{}, Stages: []stageTimeJSON{}, Answered: r.Answered,
		AnsweredOnTime: r.AnsweredOnTime, OnTimeShare: r.OnTimeShare, OverallLimitSeconds: r.OverallLimitSeconds,
		FeedbackCount: r.FeedbackCount, FeedbackSatisfied: r.FeedbackSatisfied, SatisfactionRate: r.SatisfactionRate,
		Published: r.Published, Reopened: r.Reopened, ReopenRate: r.ReopenRate,
		TopOverduePartners: countsOf(r.TopOverduePartners), TopOverdueDesa: countsOf(r.TopOverdueDesa)}
	for dim, list := range r.Counts {
		out.Counts[dim] = countsOf(list)
	}
	for _, st := range r.Stages {
		out.Stages = append(out.Stages, stageTimeJSON{Stage: st.Stage, Label: st.Label, Visits: st.Visits,
			MedianSeconds: st.MedianSeconds, P90Seconds: st.P90Seconds})
	}
	return out
}
