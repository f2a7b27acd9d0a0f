package activities

import (
	"context"
	"errors"
	"strings"

	"go.temporal.io/sdk/temporal"

	"aduan/domain"
)

// Announcer carries out a publication's announcement (domain.ActivityAnnounce) with the
// worker's own Notifier and Publisher.
type Announcer struct {
	Notifier  *Notifier
	Publisher *Publisher
}

// Announce tells the complainant the answer and pushes it to the regency's websites. Both
// are tried on every attempt, so a website that is down neither delays nor blocks the
// complainant's answer; a retry resends nothing already delivered or pushed (the outbox
// and publication_sync remember). It is retried while either half may still succeed.
func (a *Announcer) Announce(ctx context.Context, req domain.AnnounceRequest) error {
	_, err := a.Notifier.send(ctx, req.Notify)
	return joinAttempts(err, a.Publisher.PublishExternal(ctx, req.Publish))
}

// joinAttempts combines the outcomes of independent halves of one activity: nil when all
// succeeded, retryable when any failure is, non-retryable when every failure is final.
func joinAttempts(errs ...error) error {
	var msgs []string
	retry := false
	for _, err := range errs {
		if err == nil {
			continue
		}
		msgs = append(msgs, err.Error())
		var app *temporal.ApplicationError
		if !errors.As(err, &app) || !app.NonRetryable() {
			retry = true
		}
	}
	switch {
	case len(msgs) == 0:
		return nil
	case retry:
		return errors.New(strings.Join(msgs, "; "))
	}
	return temporal.NewNonRetryableApplicationError(strings.Join(msgs, "; "), "AnnounceFailed", nil)
}
