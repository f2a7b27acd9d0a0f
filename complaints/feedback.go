package complaints

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strconv"

	"aduan/domain"
	"aduan/store"
)

// Feedback is the complainant's answer to "did this solve your problem?" on a published
// complaint: satisfied closes it; not satisfied sends it back to its pokja (twice at
// most, then it closes) with the comment, which stays in PostgreSQL.
//
// Only the complainant may give it, and the code proves nothing: every published code is
// public. So it needs the secret token of the link sent to the complainant with the
// answer (FeedbackInput.Token), or it comes from the complainant's own confirmed number
// (TakeMessage, which calls FeedbackFromNumber).

// FeedbackInput is feedback as the web form or the JSON API brings it.
type FeedbackInput struct {
	Satisfied bool
	Comment   string
	// Token is the secret of the feedback link the complainant was sent.
	Token string
	// Key makes a retried request the same feedback (the Idempotency-Key); without one,
	// the same answer and comment to the same publication count once.
	Key string
}

// msgFeedbackNotYours refuses feedback without the complainant's token.
const msgFeedbackNotYours = "Tanggapan hanya dapat diberikan oleh pelapor, lewat tautan yang kami kirimkan bersama jawaban " +
	"atau dengan membalas pesan jawaban itu lewat WhatsApp/SMS."

// feedbackTokenPattern is the shape of a token the outbox draws (22 URL-safe characters);
// anything else is refused without a look at the database.
var feedbackTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// Feedback records feedback given with the complainant's token (KindForbidden without a
// valid one). It answers with the tracking view. A retry of feedback already taken
// answers as the first did and records nothing more.
func (s *Service) Feedback(ctx context.Context, code string, in FeedbackInput) (TrackingView, error) {
	comment, err := feedbackComment(in.Comment)
	if err != nil {
		return TrackingView{}, err
	}
	key, err := cleanKey(in.Key)
	if err != nil {
		return TrackingView{}, err
	}
	row, err := s.load(ctx, code)
	if err != nil {
		return TrackingView{}, err
	}
	ok, err := s.FeedbackTokenValid(ctx, code, in.Token)
	if err != nil {
		return TrackingView{}, err
	}
	if !ok {
		return TrackingView{}, &Error{Kind: KindForbidden, Message: msgFeedbackNotYours}
	}
	if key == "" {
		key = contentKey(strconv.FormatBool(in.Satisfied), comment)
	}
	return s.recordFeedback(ctx, row, in.Satisfied, comment, "web:"+key)
}

// FeedbackFromNumber records feedback that came from the complainant's own confirmed
// number (a WhatsApp or SMS "YA"/"BELUM"): the number is the proof. providerKey is the
// channel and the provider's message id, so a delivery repeated counts once.
func (s *Service) FeedbackFromNumber(ctx context.Context, code string, satisfied bool, text, providerKey string) (TrackingView, error) {
	comment, err := feedbackComment(text)
	if err != nil {
		comment = string([]rune(comment)[:domain.MaxNote]) // a long message is still a "YA"
	}
	row, err := s.load(ctx, code)
	if err != nil {
		return TrackingView{}, err
	}
	return s.recordFeedback(ctx, row, satisfied, comment, "msg:"+providerKey)
}

// FeedbackTokenValid reports whether token opens the feedback of the complaint code: it
// is one of the tokens sent to its complainant, compared by hash in constant time.
func (s *Service) FeedbackTokenValid(ctx context.Context, code, token string) (bool, error) {
	if !feedbackTokenPattern.MatchString(token) {
		return false, nil
	}
	hashes, err := s.db.FeedbackTokenHashes(ctx, code)
	if err != nil {
		return false, unavailable(err)
	}
	presented := []byte(store.HashToken(token))
	found := 0
	for _, h := range hashes {
		found |= subtle.ConstantTimeCompare(presented, []byte(h))
	}
	return found == 1, nil
}

// FeedbackLink is the tracking view behind a complainant's feedback link
// (/lacak/{code}/tanggapan/{token}) for the client at ip: KindForbidden when the token is
// not one sent to the complaint's complainant. A wrong token spends one of the client's
// lookup misses, like a wrong code.
func (s *Service) FeedbackLink(ctx context.Context, ip, code, token string) (v TrackingView, err error) {
	err = s.lookup(ip, func() error {
		if v, err = s.Tracking(ctx, code); err != nil {
			return err
		}
		ok, err := s.FeedbackTokenValid(ctx, code, token)
		if err == nil && !ok {
			err = &Error{Kind: KindForbidden, Message: msgFeedbackNotYours}
		}
		return err
	})
	return v, err
}

// feedbackComment cleans a comment and checks its length.
func feedbackComment(comment string) (string, error) {
	comment = domain.CleanText(comment)
	if len([]rune(comment)) > domain.MaxNote {
		return comment, &Error{Kind: KindInvalid, Message: "Komentar terlalu panjang.",
			Fields: map[string]string{"comment": "terlalu panjang"}}
	}
	return comment, nil
}

// contentKey stands for a request without a key: the same content is the same request.
func contentKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "isi:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// recordFeedback writes the feedback once and sends it to the workflow. The key is scoped
// by the publication it answers, so feedback on a later publication (after a reopening)
// is new even with the same words. Written but not taken (Temporal away), it waits for
// the retry, which finds the same row and sends the same Update; refused by the workflow
// (the complaint moved on), it is removed.
func (s *Service) recordFeedback(ctx context.Context, row store.Complaint, satisfied bool, comment, key string) (TrackingView, error) {
	if row.PublishedAt != nil {
		key = strconv.FormatInt(row.PublishedAt.UnixMicro(), 10) + ":" + key
	}
	if row.Status != domain.StatusPublished {
		fb, found, err := s.db.FeedbackByKey(ctx, row.Code, key)
		if err != nil {
			return TrackingView{}, unavailable(err)
		}
		if found && fb.Applied {
			return s.Tracking(ctx, row.Code) // a retry of feedback already taken
		}
		return TrackingView{}, &Error{Kind: KindInvalidTransition,
			Message: "Tanggapan hanya dapat diberikan setelah jawaban diterbitkan dan sebelum aduan selesai."}
	}
	id, _, err := s.db.AddFeedbackOnce(ctx, row.Code, row.Channel, key, satisfied, comment)
	if err != nil {
		return TrackingView{}, unavailable(err)
	}
	req := domain.ActionRequest{Satisfied: &satisfied, FeedbackID: id, Actor: complainant}
	if err := s.sendUpdate(ctx, row.Code, domain.ActionFeedback, req, "feedback:"+strconv.FormatInt(id, 10)); err != nil {
		if isRejection(err) {
			if derr := s.db.DeleteUnappliedFeedback(ctx, id); derr != nil {
				slog.Warn("refused feedback not removed", "code", row.Code, "err", derr)
			}
			return TrackingView{}, &Error{Kind: KindInvalidTransition, Message: "Aduan ini sudah tidak menunggu tanggapan."}
		}
		return TrackingView{}, unavailable(err)
	}
	if err := s.db.MarkFeedbackApplied(ctx, id); err != nil {
		// Taken by the workflow all the same; only a retry's answer depends on the mark.
		slog.Warn("feedback not marked applied", "code", row.Code, "err", err)
	}
	return s.Tracking(ctx, row.Code)
}
