package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"aduan/activities"
	"aduan/drain"
	"aduan/media"
	"aduan/notify"
	"aduan/store"
)

// Option adds a loop to RunBackground.
type Option func(*background)

type background struct {
	media *media.Fetcher
	// publisher pushes the announcements' publications (WithPublisher).
	publisher   *activities.Publisher
	stopTimeout time.Duration
	// deployment and buildID are the Worker Deployment version (WithDeployment).
	deployment, buildID string
}

// WithWhatsAppMedia runs the media fetcher as RunBackground's third loop: the files of
// WhatsApp messages are fetched from the Cloud API at apiBase (media.DefaultWhatsAppAPIBase
// when "") with token, and kept in PostgreSQL. Without a token the files wait, and the
// loop says so once.
func WithWhatsAppMedia(apiBase, token string) Option {
	return func(b *background) {
		b.media = &media.Fetcher{WhatsApp: media.WhatsAppConfig{APIBase: apiBase, Token: token}}
	}
}

// tellRefused answers a citizen whose file is not kept, saying why.
func tellRefused(db *store.DB) func(ctx context.Context, p store.PendingMedia, why string) error {
	return func(ctx context.Context, p store.PendingMedia, why string) error {
		v, err := db.TemplatesInForce(ctx)
		if err != nil {
			return err
		}
		set, _ := notify.NewTemplates(v.Version, v.Texts) // an unusable stored text falls back to its default
		text := set.Unsupported()
		if why == media.RefusedTooLarge {
			text = set.TooLarge(p.Kind)
		}
		return db.EnqueueReplyAbout(ctx, p.MessageID, "media_"+why, text)
	}
}

// WithMediaFetcher runs f as RunBackground's third loop (its Queue and Store default to
// the worker's database).
func WithMediaFetcher(f *media.Fetcher) Option {
	return func(b *background) { b.media = f }
}

// runMedia starts RunBackground's media loop when an option asked for it (its Queue and
// Store default to db).
func runMedia(ctx context.Context, wg *sync.WaitGroup, db *store.DB, opts []Option) {
	var b background
	for _, o := range opts {
		o(&b)
	}
	f := b.media
	if f == nil {
		return
	}
	if f.Queue == nil {
		f.Queue = db
	}
	if f.Store == nil {
		f.Store = media.NewPostgreSQL(db)
	}
	if f.OnRefused == nil {
		f.OnRefused = tellRefused(db)
	}
	wg.Go(func() { RunMediaFetcher(ctx, f, time.Second) })
}

// RunMediaFetcher fetches, every interval until ctx ends, the files inbound messages
// announced (a batch at a time, media.Fetcher). Several workers may run it: each claims
// its own batch. Without a token it fetches nothing; it then looks every minute whether
// files are waiting and, the first time some are, says so in the log.
func RunMediaFetcher(ctx context.Context, f *media.Fetcher, interval time.Duration) {
	if !f.Configured() {
		waitUnconfigured(ctx, f)
		return
	}
	everyTick(ctx, interval, nil, func() {
		for !drain.Stopping(ctx) {
			n, err := f.RunOnce(ctx)
			if err != nil {
				if ctx.Err() == nil {
					slog.Warn("media fetcher: reading pending media failed", "err", err)
				}
				break
			}
			if n < f.BatchSize() {
				break
			}
			// A full batch: there may be more waiting.
		}
	})
}

// waitUnconfigured logs once, when files wait, that nothing fetches them.
func waitUnconfigured(ctx context.Context, f *media.Fetcher) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if n, err := f.Waiting(ctx); err == nil && n > 0 {
			slog.Warn("media fetcher: WhatsApp is not configured (ADUAN_WA_TOKEN); media stay pending", "pending", n)
			return
		}
		select {
		case <-drain.Done(ctx):
			return
		case <-t.C:
		}
	}
}
