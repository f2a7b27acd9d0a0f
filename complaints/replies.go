package complaints

import (
	"context"
	"log/slog"
	"strconv"

	"aduan/domain"
	"aduan/store"
)

// complainant is who the workflow records for the complainant's own replies.
var complainant = domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}

// Reply is the complainant answering the admin's question (from the API; a WhatsApp or
// SMS reply goes through TakeMessage). The reply is kept in PostgreSQL (it may identify
// them); the workflow gets its id only. It answers with the tracking view.
//
// A retried request is the same reply, stored and applied once: the same key, or without
// one the same text, to the same question. A reply the workflow refuses (the complaint
// moved on meanwhile) is removed again; one written while Temporal was away waits for the
// retry, which finds it and sends the same Update.
func (s *Service) Reply(ctx context.Context, code, text, key string) (TrackingView, error) {
	reply := domain.ActionRequest{Text: domain.CleanText(text)}
	if fields := domain.ValidateFields(domain.ActionInfo, reply); len(fields) > 0 {
		return TrackingView{}, invalid(fields)
	}
	key, err := cleanKey(key)
	if err != nil {
		return TrackingView{}, err
	}
	row, err := s.load(ctx, code)
	if err != nil {
		return TrackingView{}, err
	}
	events, err := s.db.Events(ctx, code)
	if err != nil {
		return TrackingView{}, unavailable(err)
	}
	if key == "" {
		key = contentKey(reply.Text)
	}
	// Scoped by the question it answers: the same words to a later question are new.
	ref := code + ":" + strconv.FormatInt(questionSeq(events), 10) + ":" + key
	if row.Status != domain.StatusAwaitingInfo {
		seen, err := s.db.ProviderMessageSeen(ctx, row.Channel, replyChannel+":"+ref)
		if err != nil {
			return TrackingView{}, unavailable(err)
		}
		if !seen {
			return TrackingView{}, &Error{Kind: KindInvalidTransition, Message: "Aduan ini tidak sedang menunggu informasi dari pelapor."}
		}
		// A retry of a reply already stored: the same Update tells whether it was taken.
	}
	id, _, err := s.db.AddInboundMessage(ctx, code, row.Channel, reply.Text, replyChannel+":"+ref)
	if err != nil {
		return TrackingView{}, unavailable(err)
	}
	info := domain.ActionRequest{MessageID: id, Actor: complainant}
	if err := s.update(ctx, row, domain.ActionInfo, info, "info:"+replyChannel+":"+ref); err != nil {
		if KindOf(err) != KindUnavailable {
			if ferr := s.db.ForgetMessage(ctx, id); ferr != nil {
				slog.Warn("refused reply not removed", "code", code, "err", ferr)
			}
		}
		return TrackingView{}, err
	}
	return s.Tracking(ctx, code)
}

// replyChannel prefixes the key of a reply sent through the API, as a provider's name
// prefixes its message ids.
const replyChannel = "reply"

// questionSeq is the event number of the latest question, 0 when none was asked.
func questionSeq(events []store.Event) int64 {
	var seq int64
	for _, e := range events {
		if e.Action == string(domain.ActionRequestInfo) {
			seq = e.Seq
		}
	}
	return seq
}
