package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"aduan/domain"
	"aduan/publish"
	"aduan/store"
)

// Publisher is the PublishExternal activity with what it needs.
type Publisher struct {
	DB *store.DB
	// Sites are the configured external websites (publish.Sites); none: nothing to do.
	Sites []publish.Site
	// BaseURL is ADUAN_PUBLIC_URL, the prefix of the public page's link.
	BaseURL string
}

// Error types of the PublishExternal activity's non-retryable errors.
const (
	// ErrTypeConfidential: the complaint is confidential and is never published.
	ErrTypeConfidential = "ConfidentialComplaint"
	// ErrTypeNotPublished: the complaint has no published answer (after the attempts
	// allowed for its projection to land).
	ErrTypeNotPublished = "NotPublished"
	// ErrTypePublishRejected: every site that failed rejected the push for good (a 4xx
	// other than 408/429); publication_sync.last_error says why.
	ErrTypePublishRejected = "PublishRejected"
)

// publishSettleAttempts is how many attempts the activity waits for a publication that
// PostgreSQL does not show yet (its projection lagging) before it gives up.
const publishSettleAttempts = 5

// PublishExternal pushes the public record of a published answer to every configured
// site that does not have it yet. For each site it skips what publication_sync says the
// site already accepted (this publication of this code), pushes, and records the outcome;
// a failing site never keeps the others from being pushed. It fails when any site
// failed, so Temporal retries it and the retry pushes only to those: retryable unless
// every failure was permanent (a 4xx other than 408/429).
//
// With a site configured it refuses, without retry, a complaint that is confidential or
// unknown. The record holds no personal data, and nothing personal reaches the logs or
// the error (which lands in workflow history): the sites' answers are kept in
// publication_sync.last_error.
func (p *Publisher) PublishExternal(ctx context.Context, req domain.PublishRequest) error {
	if req.Code == "" {
		return temporal.NewNonRetryableApplicationError("publish request without code", "BadPublishRequest", nil)
	}
	if len(p.Sites) == 0 {
		// No site configured: nothing leaves, so there is nothing to read or refuse.
		return nil
	}
	logger := loggerOf(ctx)
	rec, err := p.DB.PublicRecord(ctx, req.Code)
	if errors.Is(err, store.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError("publish: no complaint "+req.Code, "UnknownComplaint", nil)
	}
	if err != nil {
		return fmt.Errorf("read the public record of %s: %w", req.Code, err)
	}
	if rec.Confidential {
		// Whatever asked, a confidential complaint never leaves: not even to check a site.
		logger.Warn("publish: refused a confidential complaint", "code", req.Code)
		return temporal.NewNonRetryableApplicationError("publish: "+req.Code+" is confidential and is never published",
			ErrTypeConfidential, nil)
	}
	if rec.PublishedAt == nil || strings.TrimSpace(rec.PublicAnswer) == "" {
		if activity.IsActivity(ctx) && activity.GetInfo(ctx).Attempt < publishSettleAttempts {
			// Its projection not written yet: try again shortly.
			return fmt.Errorf("the publication of %s is not in PostgreSQL yet", req.Code)
		}
		return temporal.NewNonRetryableApplicationError("publish: "+req.Code+" has no published answer",
			ErrTypeNotPublished, nil)
	}
	publishedAt := *rec.PublishedAt
	record := publish.Record{
		Code: rec.Code, Title: rec.PublicTitle, Answer: rec.PublicAnswer, Category: rec.Category,
		Kecamatan: rec.Kecamatan, KecamatanName: rec.KecamatanName, Desa: rec.Desa, DesaName: rec.DesaName,
		PublishedAt: publishedAt, URL: strings.TrimRight(p.BaseURL, "/") + "/publik/" + rec.Code,
	}
	if c, ok := domain.CategoryByID(rec.Category); ok {
		record.CategoryName = c.Name
	}

	var retryable, permanent []string
	for i, site := range p.Sites {
		if err := ctx.Err(); err != nil {
			return err
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
		name := site.Name()
		done, err := p.DB.PublicationSynced(ctx, rec.Code, name, publishedAt)
		if err != nil {
			return fmt.Errorf("read publication_sync of %s: %w", rec.Code, err)
		}
		if done {
			continue
		}
		remoteID, pushErr := site.Push(ctx, record)
		if pushErr == nil {
			if err := p.DB.MarkPublicationSynced(ctx, rec.Code, name, publishedAt, time.Now(), remoteID); err != nil {
				// Pushed but not recorded: a retry pushes again, which every site takes as
				// an update (the webhook's delivery id, WordPress's slug).
				return fmt.Errorf("record %s as synced to %s: %w", rec.Code, name, err)
			}
			logger.Info("publish: pushed", "code", rec.Code, "site", name)
			continue
		}
		if err := p.DB.MarkPublicationFailed(ctx, rec.Code, name, time.Now(), truncate(pushErr.Error(), 1000)); err != nil {
			return fmt.Errorf("record the failed push of %s to %s: %w", rec.Code, name, err)
		}
		if publish.IsPermanent(pushErr) {
			logger.Warn("publish: the site refused the push; not retried", "code", rec.Code, "site", name)
			permanent = append(permanent, name)
			continue
		}
		logger.Warn("publish: push failed; will retry", "code", rec.Code, "site", name)
		retryable = append(retryable, name)
	}
	switch {
	case len(retryable) > 0:
		return fmt.Errorf("publish %s: pushing to %s failed (see publication_sync.last_error)",
			rec.Code, strings.Join(append(retryable, permanent...), ", "))
	case len(permanent) > 0:
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf(
			"publish %s: %s refused the push (see publication_sync.last_error)", rec.Code, strings.Join(permanent, ", ")),
			ErrTypePublishRejected, nil)
	}
	return nil
}
