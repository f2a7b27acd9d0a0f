package complaints

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"aduan/domain"
)

// deliveryStatuses are the statuses a provider may report.
var deliveryStatuses = map[string]bool{"sent": true, "delivered": true, "read": true, "failed": true}

// TakeStatus keeps a provider's report on a message Aduan sent with its outbox row. A
// failed message to a complainant is then tried another way by the worker's resender
// (the approved template, then SMS). A report on a message Aduan does not know is
// logged and dropped: the provider must not retry it.
func (s *Service) TakeStatus(ctx context.Context, st DeliveryStatus) error {
	status := strings.ToLower(strings.TrimSpace(st.Status))
	ref, err := providerID("id", st.Ref)
	if err != nil {
		return err
	}
	if !deliveryStatuses[status] {
		slog.Info("delivery status ignored", "channel", st.Channel, "status", status)
		return nil
	}
	at := st.At
	if at.IsZero() {
		at = time.Now()
	}
	var why string
	if status == "failed" {
		why = strings.TrimSpace(strings.Join([]string{domain.CleanText(st.ErrorCode), domain.CleanText(st.ErrorTitle)}, " "))
	}
	n, err := s.db.RecordDelivery(ctx, st.Channel, ref, status, at, why)
	if err != nil {
		return unavailable(err)
	}
	if n == 0 {
		slog.Info("delivery status for a message not in the outbox", "channel", st.Channel, "status", status)
	} else if status == "failed" {
		slog.Warn("message delivery failed", "channel", st.Channel, "error_code", domain.CleanText(st.ErrorCode))
	}
	return nil
}
