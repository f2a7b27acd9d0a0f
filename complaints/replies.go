package complaints

import (
	"context"
	"strconv"

	"aduan/domain"
)

// complainant is who the workflow records for the complainant's own replies.
var complainant = domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}

// Reply is the complainant answering the admin's question (from the tracking page or
// the API; a WhatsApp or SMS reply goes through TakeMessage). The reply is kept in
// PostgreSQL (it may identify them); the workflow gets its id only. It answers with the
// tracking view. A repeated key is the same reply, applied once.
func (s *Service) Reply(ctx context.Context, code, text, key string) (TrackingView, error) {
	reply := domain.ActionRequest{Text: domain.CleanText(text)}
	if fields := domain.ValidateFields(domain.ActionInfo, reply); len(fields) > 0 {
		return TrackingView{}, invalid(fields)
	}
	row, err := s.load(ctx, code)
	if err != nil {
		return TrackingView{}, err
	}
	if row.Status != domain.StatusAwaitingInfo {
		return TrackingView{}, &Error{Kind: KindInvalidTransition, Message: "Aduan ini tidak sedang menunggu informasi dari pelapor."}
	}
	id, err := s.db.AddMessage(ctx, code, row.Channel, reply.Text)
	if err != nil {
		return TrackingView{}, unavailable(err)
	}
	info := domain.ActionRequest{MessageID: id, Actor: complainant}
	if err := s.update(ctx, row, domain.ActionInfo, info, updateID(domain.ActionInfo, complainant, key)); err != nil {
		return TrackingView{}, err
	}
	return s.Tracking(ctx, code)
}

// Feedback records the complainant's answer to "did this solve your problem?" on a
// published complaint: satisfied closes it; not satisfied sends it back to its pokja
// (twice at most, then it closes) with the comment, which stays in PostgreSQL. The web
// form, the API and the messaging channels all use it. It answers with the tracking view.
func (s *Service) Feedback(ctx context.Context, code string, satisfied bool, comment string) (TrackingView, error) {
	comment = domain.CleanText(comment)
	if len([]rune(comment)) > domain.MaxNote {
		return TrackingView{}, &Error{Kind: KindInvalid, Message: "Komentar terlalu panjang.",
			Fields: map[string]string{"comment": "terlalu panjang"}}
	}
	row, err := s.load(ctx, code)
	if err != nil {
		return TrackingView{}, err
	}
	if row.Status != domain.StatusPublished {
		return TrackingView{}, &Error{Kind: KindInvalidTransition,
			Message: "Tanggapan hanya dapat diberikan setelah jawaban diterbitkan dan sebelum aduan selesai."}
	}
	id, err := s.db.AddFeedback(ctx, code, row.Channel, satisfied, comment)
	if err != nil {
		return TrackingView{}, unavailable(err)
	}
	req := domain.ActionRequest{Satisfied: &satisfied, FeedbackID: id, Actor: complainant}
	if err := s.sendUpdate(ctx, code, domain.ActionFeedback, req, "feedback:"+strconv.FormatInt(id, 10)); err != nil {
		if isRejection(err) {
			return TrackingView{}, &Error{Kind: KindInvalidTransition, Message: "Aduan ini sudah tidak menunggu tanggapan."}
		}
		return TrackingView{}, unavailable(err)
	}
	return s.Tracking(ctx, code)
}
