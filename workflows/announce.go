package workflows

import (
	"fmt"

	"aduan/domain"
)

// versionAnnounceQueued: a publication's announcement (the answer to the complainant and
// the push to the websites) is queued by the publish's own projection, in the same
// transaction as its event, and the worker's announcer carries it out from PostgreSQL.
// Before it, the workflow ran the AnnouncePublication activity: for every publish one more
// activity task and one more workflow task on the Temporal server, which made publish the
// slowest action under load.
const versionAnnounceQueued = "announce-queued"

// announcement is what projection p queues for its publish: the answer notification as the
// activity was sent it (the projection fills in the deadline its plan lays out) and the
// push of the public record.
func (w *complaint) announcement(p domain.Projection) *domain.AnnounceRequest {
	return &domain.AnnounceRequest{
		Notify:  w.notifyRequest(notifyKey(p.State.Code, domain.NotifyAnswer, p.Seq), domain.NotifyAnswer, p.At),
		Publish: domain.PublishRequest{Code: p.State.Code},
	}
}

// notifyKey names a notification by the event that set it off, so a retried one is
// written once.
func notifyKey(code string, kind domain.NotifyKind, seq int64) string {
	return fmt.Sprintf("%s/%s/%d", code, kind, seq)
}
