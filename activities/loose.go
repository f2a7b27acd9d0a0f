package activities

import (
	"context"
	"log/slog"
	"time"

	"aduan/domain"
	"aduan/drain"
	"aduan/notify"
	"aduan/store"
)

// The outbox rows the worker sends outside any workflow: automatic replies to messages
// that opened nothing, resends of messages a provider reported failed, rows held for
// office hours once their time has come, and the officers' daily digests.

// looseHold is how long a worker holds a batch it took before another may take the rows
// it has not reached yet. Each row is claimed again for sendHold right before its send
// (store.ClaimNotifications), so a batch slower than looseHold (a slow provider) loses
// its last rows to another worker rather than sending them twice. A failed row stays
// held for the rest of its sendHold: that is its wait before the next try.
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
	token := store.NewClaimToken()
	rows, err := n.DB.ClaimLoose(ctx, now, token, looseHold, limit)
	if err != nil {
		return 0, err
	}
	for _, row := range rows {
		if drain.Stopping(ctx) {
			break // the worker stops: the rows not reached wait for the batch's hold
		}
		ok, err := n.DB.ClaimNotifications(ctx, []int64{row.ID}, token, n.now(), sendHold)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue // the batch's hold passed and another worker took this row
		}
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
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
		if drain.Stopping(ctx) {
			break // the worker stops: the rest is read again by the next pass
		}
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
