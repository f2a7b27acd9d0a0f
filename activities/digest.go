package activities

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"aduan/domain"
	"aduan/drain"
	"aduan/notify"
	"aduan/store"
)

// An officer who wants a daily digest gets their reminders in one message at the
// office's opening: the rows stay one per reminder in the outbox (each listed on their
// notifications page), and the one message's receipt (sender, provider id, and later
// the provider's delivery reports, matched by that id) is kept on every one of them.

// sendDigests sends the digests due by now, one message per officer, and returns how
// many rows it handled.
func (n *Notifier) sendDigests(ctx context.Context, now time.Time, limit int) (int, error) {
	token := store.NewClaimToken()
	rows, err := n.DB.ClaimDigests(ctx, now, token, looseHold, limit)
	if err != nil {
		return 0, err
	}
	for start := 0; start < len(rows) && !drain.Stopping(ctx); {
		end := start + 1
		for end < len(rows) && rows[end].Recipient == rows[start].Recipient {
			end++
		}
		if err := n.sendDigest(ctx, token, rows[start:end]); err != nil {
			return 0, err
		}
		start = end
	}
	return len(rows), nil
}

// sendDigest sends one officer's reminders as one message, on the channel and address of
// the newest (the officer may have changed them since the first), and records the
// outcome on every row. It claims the rows for the send first, all of them or none (see
// SendLoose): rows another worker took once the batch's hold passed are its to send.
func (n *Notifier) sendDigest(ctx context.Context, token string, rows []store.Notification) error {
	rowIDs := make([]int64, len(rows))
	for i, r := range rows {
		rowIDs[i] = r.ID
	}
	if ok, err := n.DB.ClaimNotifications(ctx, rowIDs, token, n.now(), sendHold); err != nil || !ok {
		return err
	}
	last := rows[len(rows)-1]
	texts, codes, ids := make([]string, len(rows)), make([]string, 0, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		texts[i], ids[i] = r.Text, fmt.Sprint(r.ID)
		if r.Code != "" && !domain.OneOf(r.Code, codes) {
			codes = append(codes, r.Code)
		}
	}
	msg := outgoing(last)
	// The e-mail's Message-ID and the SMS gateway's reference derive from the key: the
	// same set of reminders sent again is the same message.
	msg.ID, msg.DedupeKey = rows[0].ID, "digest/"+last.Recipient+"/"+strings.Join(ids, ",")
	msg.Kind, msg.Code = domain.NotifyReminder, digestCodes(codes)
	set, err := n.templates(ctx)
	if err != nil {
		return err
	}
	msg.Template, msg.Text = "digest.staff", set.Digest(texts, n.BaseURL)
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	receipt, sendErr := n.Senders.Deliver(sctx, msg)
	cancel()
	for _, r := range rows {
		var err error
		switch {
		case sendErr == nil:
			err = n.DB.MarkNotificationSent(ctx, r.ID, n.now(), receipt.Via, receipt.Ref)
		case notify.IsPermanent(sendErr):
			err = n.DB.AbandonNotification(ctx, r.ID, truncate(sendErr.Error(), 1000))
		default:
			err = n.DB.MarkNotificationFailed(ctx, r.ID, truncate(sendErr.Error(), 1000))
		}
		if err != nil {
			return err
		}
	}
	switch {
	case sendErr == nil:
		slog.Info("outbox: daily digest sent", "recipient", last.Recipient, "reminders", len(rows), "via", receipt.Via)
	case notify.IsPermanent(sendErr):
		slog.Warn("outbox: daily digest undeliverable; not retried", "recipient", last.Recipient, "channel", last.Channel)
	default:
		slog.Warn("outbox: daily digest failed; will retry", "recipient", last.Recipient, "channel", last.Channel)
	}
	return nil
}

// digestCodes names a digest's complaints as an e-mail subject and a log line carry
// them: the first three, and how many more.
func digestCodes(codes []string) string {
	if len(codes) <= 3 {
		return strings.Join(codes, ", ")
	}
	return strings.Join(codes[:3], ", ") + fmt.Sprintf(" dan %d lainnya", len(codes)-3)
}
