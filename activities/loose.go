package activities

import (
	"context"
	"log/slog"
	"time"

	"aduan/domain"
	"aduan/notify"
)

// The outbox rows the worker sends outside any workflow: automatic replies to messages
// that opened nothing, resends of messages a provider reported failed, rows held for
// office hours once their time has come, and the officers' daily digests.

// looseHold is how long a worker holds the rows it took before another may try them.
const looseHold = time.Minute

// SendLoose sends one batch of the officers' digests that are due, and one of automatic
// replies, resends and held rows whose time has come, and returns how many rows it
// handled. A failed row is tried again on a later pass (a permanent failure never).
func (n *Notifier) SendLoose(ctx context.Context, limit int) (int, error) {
	now := n.now()
	digests, err := n.sendDigests(ctx, now, limit)
	if err != nil {
		return 0, err
	}
	rows, err := n.DB.ClaimLoose(ctx, now, looseHold, limit)
	if err != nil {
		return 0, err
	}
	for _, row := range rows {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		receipt, sendErr := n.Senders.Deliver(sctx, outgoing(row))
		cancel()
		switch {
		case sendErr == nil:
			err = n.DB.MarkNotificationSent(ctx, row.ID, n.now(), receipt.Via, receipt.Ref)
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
	return digests + len(rows), nil
}

// ResendFailed tries again, another way (notify.Fallback), each message to a complainant
// that its provider reported failed, and returns how many it handled. A resend due
// outside office hours waits for the morning like any message (QuietHours).
func (n *Notifier) ResendFailed(ctx context.Context, limit int) (int, error) {
	rows, err := n.DB.FailedToResend(ctx, limit)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	sms := n.Senders.Configured(notify.ChannelSMS)
	policy := n.policyOnce(ctx)
	for _, row := range rows {
		next, mode := notify.Fallback(row.Channel, row.SentVia.String, sms)
		var hold *time.Time
		if n.QuietHours && next != "" && !domain.AnyHour(row.Kind, "") {
			p, err := policy()
			if err != nil {
				return 0, err
			}
			if s := p.ScheduleOf(domain.Outgoing{Kind: row.Kind, Channel: next}, n.now(), true); s.Held() {
				hold = &s.HoldUntil
			}
		}
		if err := n.DB.Resend(ctx, row, next, mode, hold); err != nil {
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
