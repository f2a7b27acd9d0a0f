package workflows

import (
	"slices"
	"testing"
	"time"

	"aduan/domain"
)

// apiTable is API.md's actions table (who may act, on which assignment, in which
// status), written out here on its own so that the test checks the workflow's permissions
// against the contract rather than against domain.Permit. Where each allowed action takes
// the complaint is domain.ActionSpecs[action].To, which the workflow and this test read
// alike.
var apiTable = map[domain.Action]struct {
	roles    []string
	assigned string // "pokja", "partner", "viewer" or ""
	from     []domain.Status
}{
	"triage":         {[]string{"admin"}, "", []domain.Status{"received", "awaiting_info"}},
	"request_info":   {[]string{"admin"}, "", []domain.Status{"received"}},
	"reject":         {[]string{"admin"}, "", []domain.Status{"received", "awaiting_info"}},
	"return":         {[]string{"pokja"}, "pokja", []domain.Status{"at_pokja"}},
	"forward":        {[]string{"pokja"}, "pokja", []domain.Status{"at_pokja"}},
	"answer":         {[]string{"pokja"}, "pokja", []domain.Status{"at_pokja"}},
	"partner_answer": {[]string{"partner"}, "partner", []domain.Status{"at_partner"}},
	"decline":        {[]string{"partner"}, "partner", []domain.Status{"at_partner"}},
	"approve":        {[]string{"pokja"}, "pokja", []domain.Status{"pokja_review"}},
	"send_back":      {[]string{"pokja"}, "pokja", []domain.Status{"pokja_review"}},
	"publish":        {[]string{"admin"}, "", []domain.Status{"ready_to_publish"}},
	"reassign":       {[]string{"admin", "supervisor"}, "", []domain.Status{"at_pokja", "at_partner", "pokja_review"}},
	"extend":         {[]string{"supervisor"}, "", []domain.Status{"received", "awaiting_info", "at_pokja", "at_partner", "pokja_review", "ready_to_publish", "published"}},
	"note":           {[]string{"admin", "supervisor", "pokja", "partner"}, "viewer", domain.AllStatuses},
	"info":           {[]string{"complainant"}, "", []domain.Status{"awaiting_info"}},
	// Ours, beyond API.md (see the README's changelog).
	"close":    {[]string{"admin"}, "", []domain.Status{"ready_to_publish"}},
	"feedback": {[]string{"complainant"}, "", []domain.Status{"published"}},
	"callback": {[]string{"admin"}, "", domain.AllStatuses},
}

// wantStatus is where the allowed action (with validBody's request) takes a complaint
// in status s: its spec's To, unchanged when that is empty, and for feedback whatever
// domain.FeedbackTo says of the answer.
func wantStatus(action domain.Action, req domain.ActionRequest, s domain.CaseState) domain.Status {
	if action == domain.ActionFeedback {
		return domain.FeedbackTo(*req.Satisfied, s.ReopenCount)
	}
	if to := domain.ActionSpecs[action].To; to != "" {
		return to
	}
	return s.Status
}

// actors plays every kind of caller: assigned and unassigned groups included.
var actors = []struct {
	name  string
	actor domain.Actor
}{
	{"admin", domain.Actor{Username: "admin", Role: domain.RoleAdmin}},
	{"supervisor", domain.Actor{Username: "kadis", Role: domain.RoleSupervisor}},
	{"pokja", domain.Actor{Username: "pokja-logistik", Role: domain.RolePokja, Pokja: "logistik"}},
	{"pokja-other", domain.Actor{Username: "pokja-hunian", Role: domain.RolePokja, Pokja: "hunian"}},
	{"partner", domain.Actor{Username: "mitra-ypii", Role: domain.RolePartner, Partner: "ypii"}},
	{"partner-other", domain.Actor{Username: "mitra-pmi", Role: domain.RolePartner, Partner: "pmi"}},
	{"complainant", domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}},
}

// validBody is a complete body for each action.
func validBody(a domain.Action) domain.ActionRequest {
	until := t0.Add(60 * 24 * time.Hour)
	switch a {
	case "triage":
		return domain.ActionRequest{Pokja: "logistik", Category: "bantuan_logistik", Priority: "high", Title: "Beras belum sampai"}
	case "request_info":
		return domain.ActionRequest{Question: "Di dusun mana tepatnya?"}
	case "reject":
		return domain.ActionRequest{Reason: "spam", Note: "Pesan iklan"}
	case "forward":
		return domain.ActionRequest{Partner: "ypii", Note: "Mohon ditindaklanjuti"}
	case "answer", "partner_answer":
		return domain.ActionRequest{Answer: "Distribusi dijadwalkan Jumat."}
	case "approve":
		return domain.ActionRequest{}
	case "publish":
		return domain.ActionRequest{PublicTitle: "Distribusi beras", PublicAnswer: "Distribusi dijadwalkan Jumat."}
	case "reassign":
		return domain.ActionRequest{Pokja: "hunian", Note: "Lebih tepat pokja hunian"}
	case "extend":
		return domain.ActionRequest{Until: &until, Note: "Menunggu data dari desa"}
	case "info":
		return domain.ActionRequest{MessageID: 7}
	case "feedback":
		yes := true
		return domain.ActionRequest{Satisfied: &yes, FeedbackID: 3}
	case "callback":
		return domain.ActionRequest{CallOutcome: domain.CallTold, CallKind: domain.NotifyQuestion, CallTask: 9}
	}
	return domain.ActionRequest{Note: "Catatan internal"}
}

// expect says how the contract answers actor doing action on s: "" when allowed, else
// the rejection's error type.
func expect(action domain.Action, name string, a domain.Actor, s domain.CaseState) string {
	row := apiTable[action]
	if !slices.Contains(row.roles, string(a.Role)) {
		return ErrForbidden
	}
	mine := func(group, assigned string) bool { return group != "" && group == assigned }
	switch row.assigned {
	case "pokja":
		if !mine(a.Pokja, s.Pokja) {
			return ErrForbidden
		}
	case "partner":
		if !mine(a.Partner, s.Partner) {
			return ErrForbidden
		}
	case "viewer":
		if a.Role == domain.RolePokja && !mine(a.Pokja, s.Pokja) || a.Role == domain.RolePartner && !mine(a.Partner, s.Partner) {
			return ErrForbidden
		}
	}
	if !slices.Contains(row.from, s.Status) {
		return ErrInvalidTransition
	}
	_ = name
	return ""
}

// TestEveryActionInEveryStatus sends every action from every kind of caller in every
// status: the forbidden ones are rejected with the contract's error and record nothing;
// the first allowed one moves the complaint to its spec's status (domain.ActionSpec.To)
// and records exactly one event.
func TestEveryActionInEveryStatus(t *testing.T) {
	for _, status := range domain.AllStatuses {
		for _, action := range UpdateActions {
			t.Run(string(status)+"/"+string(action), func(t *testing.T) {
				h := newHarness(t)
				start := startState(status)
				type sent struct {
					who  string
					want string
					o    *outcome
				}
				var rejected []sent
				var allowed *sent
				minute := time.Minute
				for _, a := range actors {
					want := expect(action, a.name, a.actor, start)
					if want == "" {
						if allowed == nil {
							allowed = &sent{who: a.name}
						}
						continue
					}
					req := validBody(action)
					req.Actor = a.actor
					rejected = append(rejected, sent{who: a.name, want: want, o: h.send(minute, action, req)})
					minute += time.Minute
				}
				var before []domain.Projection
				h.at(minute, func() { before = h.recorded() })
				minute += time.Minute
				if allowed != nil {
					req := validBody(action)
					for _, a := range actors {
						if a.name == allowed.who {
							req.Actor = a.actor
						}
					}
					allowed.o = h.send(minute, action, req)
				}
				h.run(start, nil, minute+time.Minute)

				for _, r := range rejected {
					if r.o.rejected == nil {
						t.Errorf("%s: accepted, want rejection %s (%v)", r.who, r.want, r.o)
						continue
					}
					if got := errorType(r.o.rejected); got != r.want {
						t.Errorf("%s: rejected as %q (%v), want %q", r.who, got, r.o.rejected, r.want)
					}
				}
				if len(before) != 0 {
					t.Errorf("rejected actions recorded %d events", len(before))
				}
				got := h.recorded()
				if allowed == nil {
					if len(got) != 0 {
						t.Errorf("nothing was allowed but %d events were recorded", len(got))
					}
					return
				}
				if allowed.o.rejected != nil || allowed.o.err != nil {
					t.Fatalf("%s: allowed action failed: %v", allowed.who, allowed.o)
				}
				if len(got) != 1 {
					t.Fatalf("allowed action recorded %d events, want 1", len(got))
				}
				next := wantStatus(action, validBody(action), start)
				p := got[0]
				if p.State.Status != next || allowed.o.state.Status != next {
					t.Errorf("%s: status %s (update returned %s), want %s", allowed.who, p.State.Status, allowed.o.state.Status, next)
				}
				if p.Seq != 2 || p.Action != action || p.Actor.Username == "" {
					t.Errorf("event = seq %d action %s actor %q, want seq 2 action %s", p.Seq, p.Action, p.Actor.Username, action)
				}
			})
		}
	}
}
