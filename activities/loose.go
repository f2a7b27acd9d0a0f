package activities

import (
	"context"
	"log/slog"
	"time"

	"aduan/notify"
)

// The outbox rows the worker sends outside any workflow: automatic replies to messages
// that opened nothing, and resends of messages a provider reported failed.

// looseHold is how long a worker holds the rows it took before another may try them.
const looseHold = time.Minute

// SendLoose sends one batch of automatic replies and resends and returns its size. A
// failed row is tried again on a later pass (a permanent failure never).
func (n *Notifier) SendLoose(ctx context.Context, limit int) (int, error) {
	rows, err := n.DB.ClaimLoose(ctx, looseHold, limit)
	if err != nil {
		return 0, err
	}
	for _, row := range rows {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		receipt, sendErr := n.Senders.Deliver(sctx, outgoing(row))
		cancel()
		switch {
		case sendErr == nil:
			err = n.DB.MarkNotificationSent(ctx, row.ID, time.Now(), receipt.Via, receipt.Ref)
		case notify.IsPermanent(sendErr):
			slog.Warn("outbox: message undeliverable; not retried", "id", row.ID, "kind", row.Kind, "channel", row.Channel)
			err = n.DB.AbandonNotification(ctx, row.ID, truncate(sendErr.Error(), 1000))
		default:
			slog.Warn("outbox: delivery failed; will retry", "id", row.ID, "kind", row.Kind, "channel", row.Channel)
			err = n.DB.MarkNotificationFailed(ctx, row.ID, truncate(sendErr.Error(), 1000))
		}
		if err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// ResendFailed tries again, another way (notify.Fallback), each message to a complainant
// that its provider reported failed, and returns how many it handled.
func (n *Notifier) ResendFailed(ctx context.Context, limit int) (int, error) {
	rows, err := n.DB.FailedToResend(ctx, limit)
	if err != nil {
		return 0, err
	}
	sms := n.Senders.Configured(notify.ChannelSMS)
	for _, row := range rows {
		next, mode := notify.Fallback(row.Channel, row.SentVia.String, sms)
		if err := n.DB.Resend(ctx, row, next, mode); err != nil {
			return 0, err
		}
		if next == "" {
			slog.Warn("outbox: failed message to a complainant has no other way to go", "id", row.ID, "code", row.Code,
				"channel", row.Channel)
		} else {
			slog.Info("outbox: failed message to a complainant tried again", "id", row.ID, "code", row.Code,
				"channel", next, "mode", mode)
		}
	}
	return len(rows), nil
}
