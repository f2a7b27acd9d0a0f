package complaints

import (
	"context"
	"time"

	"aduan/domain"
	"aduan/store"
)

// What the staff console needs beyond the JSON API's use cases.

// PublicationPreview is what publish will make public: the texts after redaction and
// what redaction takes out, shown to the admin before anything is published.
type PublicationPreview struct {
	Title, Answer string
	Redactions    []domain.Redaction
}

// PreviewPublication redacts a public title and answer exactly as publish will.
func PreviewPublication(title, answer string) PublicationPreview {
	title, answer = domain.CleanText(title), domain.CleanText(answer)
	var rt, ra []domain.Redaction
	title, rt = domain.Redact(title)
	answer, ra = domain.Redact(answer)
	return PublicationPreview{Title: title, Answer: answer, Redactions: mergeRedactions(rt, ra)}
}

// BoardRow is one pokja's or partner's open work.
type BoardRow = store.BoardRow

// Board is the open work per pokja and per partner with its overdue count and oldest
// deadline, for those who see every complaint (admins and supervisors).
func (s *Service) Board(ctx context.Context, viewer domain.Actor) (pokja, partners []BoardRow, err error) {
	if !domain.SeesEverything(viewer) {
		return nil, nil, &Error{Kind: KindForbidden, Message: "Papan kerja hanya untuk admin Call Center dan supervisor."}
	}
	pokja, partners, err = s.db.Board(ctx)
	if err != nil {
		return nil, nil, unavailable(err)
	}
	return pokja, partners, nil
}

// Upcoming is what the current stage's clock will do next, in order: reminders, the
// deadline, escalations (the plan the projection laid out, its points after now), for a
// complaint whose view the user was given (StaffView checked who may see it).
func (s *Service) Upcoming(ctx context.Context, v StaffView) ([]domain.Point, error) {
	if v.Status.Final() {
		return nil, nil
	}
	plan, err := s.db.StagePlan(ctx, v.Code)
	if err != nil {
		return nil, unavailable(err)
	}
	if plan == nil {
		return nil, nil
	}
	now := time.Now()
	var out []domain.Point
	for _, p := range plan.Points {
		if p.At.After(now) {
			out = append(out, p)
		}
	}
	return out, nil
}
