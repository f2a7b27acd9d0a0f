package worker

import (
	"context"
	"log/slog"
	"time"

	"aduan/activities"
	"aduan/drain"
)

// RunOutbox sends, every interval until ctx ends, the outbox rows no workflow sends:
// first it turns each failed message to a complainant into its resend, then it sends the
// automatic replies and the resends. It works from PostgreSQL alone, like the
// acknowledger; several workers may run it.
func RunOutbox(ctx context.Context, n *activities.Notifier, interval time.Duration) {
	everyTick(ctx, interval, nil, func() {
		if _, err := n.ResendFailed(ctx, 50); err != nil && ctx.Err() == nil {
			slog.Warn("outbox: reading failed deliveries failed", "err", err)
		}
		for !drain.Stopping(ctx) {
			sent, err := n.SendLoose(ctx, 50)
			if err != nil && ctx.Err() == nil {
				slog.Warn("outbox: sending automatic replies failed", "err", err)
			}
			if sent < 50 {
				break
			}
		}
	})
}
