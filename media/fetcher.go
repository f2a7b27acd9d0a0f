package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"aduan/domain"
	"aduan/store"
)

// Queue is the bookkeeping of the files to fetch: *store.DB (message_media).
type Queue interface {
	ClaimMedia(ctx context.Context, channels []string, hold time.Duration, limit int) ([]store.PendingMedia, error)
	MediaWaiting(ctx context.Context, channels []string) (int, error)
	MediaStored(ctx context.Context, id int64, mimeType string, size int64) error
	MediaRetry(ctx context.Context, id int64, after time.Duration, counted bool, lastError string) error
	MediaFailed(ctx context.Context, id int64, lastError string) error
}

var _ Queue = (*store.DB)(nil)

// Channels are the channels whose files the fetcher takes (an SMS gateway's media would
// need a fetcher of its own; its rows wait).
var Channels = []string{"whatsapp"}

// Fetcher fetches the pending files of WhatsApp messages and keeps them. The zero values
// of its tuning fields take the defaults given.
//
// What becomes of a try: a kept file is stored. A file Aduan does not keep (its type is
// not allowed for the message's kind, it is over the kind's size limit, declared or
// actual) fails at once. A hash that does not match the webhook's is tried once more
// with a fresh download URL (a corrupted transfer), and fails the second time in a row.
// A media id the provider does not know (404) is tried NotFoundAttempts times. A download
// URL refused (401/403/404/410: they expire after five minutes) is asked for again at
// once, one time; then the next try starts over. Server errors, throttling and the network
// are tried again after Backoff, doubling up to MaxBackoff, MaxAttempts tries in all. A
// refusal of our access token does not count as a try: the file waits until the token is
// fixed.
type Fetcher struct {
	Queue    Queue
	Store    Store
	WhatsApp WhatsAppConfig
	// Client makes the requests (a client without an overall timeout when nil; Timeout
	// bounds each file).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger

	// MaxAttempts is how many tries a file gets (12).
	MaxAttempts int
	// NotFoundAttempts is how many tries a media id the provider does not know gets (3).
	NotFoundAttempts int
	// Backoff is the wait after the first failed try (30 s), doubled after each up to
	// MaxBackoff (1 h).
	Backoff, MaxBackoff time.Duration
	// Hold is how long a claimed file is left to its worker (5 min); Timeout bounds one
	// file's try (2 min); Batch is how many files are fetched at once (2: a file is held
	// in memory whole, up to 20 MB, while it is checked and written).
	Hold    time.Duration
	Timeout time.Duration
	Batch   int

	// OnRefused, when set, is told of a file refused for the citizen's file's sake (too
	// large, a type not kept: RefusedTooLarge, RefusedType), so they hear why.
	OnRefused func(ctx context.Context, p store.PendingMedia, why string) error

	// lastCredWarning is when a refused token was last logged (unix nanoseconds).
	lastCredWarning atomic.Int64
}

// NewFetcher is the fetcher of WhatsApp files into PostgreSQL, as the worker runs it.
func NewFetcher(db *store.DB, wa WhatsAppConfig) *Fetcher {
	return &Fetcher{Queue: db, Store: NewPostgreSQL(db), WhatsApp: wa}
}

// Configured reports whether the fetcher can reach the provider (it has a token).
func (f *Fetcher) Configured() bool { return f.WhatsApp.Token != "" }

// BatchSize is how many files one RunOnce takes at most.
func (f *Fetcher) BatchSize() int { return orInt(f.Batch, 2) }

// Waiting counts the files waiting to be fetched.
func (f *Fetcher) Waiting(ctx context.Context) (int, error) {
	return f.Queue.MediaWaiting(ctx, Channels)
}

func orInt(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

func orDur(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

func (f *Fetcher) logger() *slog.Logger {
	if f.Logger != nil {
		return f.Logger
	}
	return slog.Default()
}

func (f *Fetcher) wa() whatsApp {
	c := f.Client
	if c == nil {
		c = &http.Client{}
	}
	return whatsApp{cfg: f.WhatsApp, client: c}
}

// backoff is the wait after the failed try number attempt (1 for the first).
func (f *Fetcher) backoff(attempt int) time.Duration {
	d, limit := orDur(f.Backoff, 30*time.Second), orDur(f.MaxBackoff, time.Hour)
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// RunOnce claims a batch of due files and fetches them, at the same time; it returns how
// many it claimed (a full batch: there may be more waiting).
func (f *Fetcher) RunOnce(ctx context.Context) (int, error) {
	if !f.Configured() {
		return 0, nil
	}
	batch, err := f.Queue.ClaimMedia(ctx, Channels, orDur(f.Hold, 5*time.Minute), f.BatchSize())
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, p := range batch {
		wg.Go(func() { _ = f.Fetch(ctx, p) })
	}
	wg.Wait()
	return len(batch), nil
}

// Fetch makes one try at a claimed file and records its outcome; it returns the try's
// failure (nil: the file is kept). When ctx ends first, nothing is recorded: the file is
// taken again when its hold has passed.
func (f *Fetcher) Fetch(ctx context.Context, p store.PendingMedia) error {
	log := f.logger().With("media_id", p.ID, "kind", p.Kind)
	attempt := p.Attempts + 1
	fctx, cancel := context.WithTimeout(ctx, orDur(f.Timeout, 2*time.Minute))
	data, mimeType, err := f.fetch(fctx, p)
	cancel()
	if err == nil {
		if err = f.Store.Put(ctx, p.ID, data); err != nil {
			err = transient("keeping the file: %v", err)
		} else if err = f.Queue.MediaStored(ctx, p.ID, mimeType, int64(len(data))); err != nil {
			// The hold passes and the file is fetched and put again.
			log.Warn("media fetcher: recording a kept file failed", "err", err)
			return err
		} else {
			log.Info("media fetcher: file kept", "bytes", len(data), "type", mimeType, "attempt", attempt)
			return nil
		}
	}
	if ctx.Err() != nil {
		return err
	}
	var fe *fetchError
	if !errors.As(err, &fe) {
		fe = &fetchError{kind: transientKind, msg: err.Error()}
	}
	retry := func(counted bool, after time.Duration, msg string) {
		if rerr := f.Queue.MediaRetry(ctx, p.ID, after, counted, msg); rerr != nil {
			log.Warn("media fetcher: recording a failed try failed", "err", rerr)
		}
		log.Info("media fetcher: try failed; will try again", "attempt", attempt, "after", after, "err", msg)
	}
	fail := func(msg string) {
		if ferr := f.Queue.MediaFailed(ctx, p.ID, msg); ferr != nil {
			log.Warn("media fetcher: recording a failed file failed", "err", ferr)
		}
		log.Warn("media fetcher: file not kept", "attempt", attempt, "err", msg)
	}
	maxAttempts, notFound := orInt(f.MaxAttempts, 12), orInt(f.NotFoundAttempts, 3)
	switch fe.kind {
	case permanentKind:
		fail(fe.msg)
		if fe.refused != "" && f.OnRefused != nil {
			if rerr := f.OnRefused(ctx, p, fe.refused); rerr != nil {
				log.Warn("media fetcher: telling the citizen failed", "err", rerr)
			}
		}
	case credentials:
		now := time.Now().UnixNano()
		if last := f.lastCredWarning.Load(); now-last > int64(10*time.Minute) && f.lastCredWarning.CompareAndSwap(last, now) {
			f.logger().Warn("media fetcher: the WhatsApp Cloud API refused the access token (ADUAN_WA_TOKEN); media wait", "err", fe.msg)
		}
		retry(false, max(f.backoff(attempt), min(10*orDur(f.Backoff, 30*time.Second), orDur(f.MaxBackoff, time.Hour))), fe.msg)
	case idNotFound:
		if attempt >= notFound {
			fail(fmt.Sprintf("%s (%d tries)", fe.msg, attempt))
		} else {
			retry(true, f.backoff(attempt), fe.msg)
		}
	case hashMismatch:
		if strings.HasPrefix(p.LastError.String, hashMismatchMsg) || attempt >= maxAttempts {
			fail(fe.msg + " (twice in a row)")
		} else {
			retry(true, f.backoff(attempt), fe.msg)
		}
	default:
		if attempt >= maxAttempts {
			fail(fmt.Sprintf("gave up after %d tries: %s", attempt, fe.msg))
		} else {
			retry(true, f.backoff(attempt), fe.msg)
		}
	}
	return fe
}

// fetch downloads and checks one file: its bytes and the type to keep it as.
func (f *Fetcher) fetch(ctx context.Context, p store.PendingMedia) ([]byte, string, error) {
	limit := domain.MediaLimit(p.Kind)
	if !p.Kind.HasMedia() || limit <= 0 {
		return nil, "", permanent("a %s message carries no file Aduan keeps", p.Kind)
	}
	if p.Channel != "whatsapp" {
		return nil, "", permanent("no media fetcher for channel %s", p.Channel)
	}
	wa := f.wa()
	for round := 1; ; round++ {
		meta, err := wa.meta(ctx, p.ProviderRef)
		if err != nil {
			return nil, "", err
		}
		mimeType, err := checkType(p.Kind, meta.MimeType, p.MimeType)
		if err != nil {
			return nil, "", err
		}
		if int64(meta.FileSize) > limit {
			return nil, "", refuse(RefusedTooLarge, permanent("the file is %d bytes, over the limit of %d for %s messages", meta.FileSize, limit, p.Kind))
		}
		data, err := wa.download(ctx, meta.URL, limit)
		if errors.Is(err, errURLExpired) {
			if round == 1 {
				continue // a fresh URL
			}
			return nil, "", transient("download: %v twice; a fresh URL next try", err)
		}
		if err != nil {
			return nil, "", err
		}
		sum := sha256.Sum256(data)
		checked := false
		for _, want := range []string{p.SHA256, meta.SHA256} {
			if strings.TrimSpace(want) == "" {
				continue
			}
			if !hashMatches(want, sum[:]) {
				return nil, "", &fetchError{kind: hashMismatch,
					msg: fmt.Sprintf("%s: the file's SHA-256 is %s", hashMismatchMsg, base64.StdEncoding.EncodeToString(sum[:]))}
			}
			checked = true
		}
		if !checked && meta.FileSize > 0 && int64(len(data)) != int64(meta.FileSize) {
			return nil, "", transient("download: %d bytes where %d were declared", len(data), meta.FileSize)
		}
		return data, mimeType, nil
	}
}

// checkType is the type to keep a file as: the provider's (from the metadata, else the
// webhook's), without parameters and in lower case. Every type declared must be allowed
// for the kind.
func checkType(kind domain.MessageKind, declared ...string) (string, error) {
	keep := ""
	for _, d := range declared {
		t := BaseType(d)
		if t == "" {
			continue
		}
		if !domain.MediaTypeAllowed(kind, t) {
			return "", refuse(RefusedType, permanent("file type %q is not kept for %s messages", t, kind))
		}
		if keep == "" {
			keep = t
		}
	}
	if keep == "" {
		return "", permanent("no file type declared")
	}
	return keep, nil
}

// BaseType is a MIME type without its parameters, in lower case ("" when unreadable).
func BaseType(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	t, _, err := mime.ParseMediaType(s)
	if err != nil {
		t, _, _ = strings.Cut(s, ";")
		t = strings.ToLower(strings.TrimSpace(t))
	}
	if strings.Count(t, "/") != 1 || strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/") || strings.ContainsAny(t, " \t\"") {
		return ""
	}
	return t
}

// hashMatches reports whether want (WhatsApp's base64 of the SHA-256 in the webhook; the
// metadata's may be hex) is sum.
func hashMatches(want string, sum []byte) bool {
	w := strings.TrimSpace(want)
	if len(w) == 2*sha256.Size {
		if b, err := hex.DecodeString(w); err == nil {
			return bytes.Equal(b, sum)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(w); err == nil && len(b) == sha256.Size {
			return bytes.Equal(b, sum)
		}
	}
	return false
}

// How a try failed.
type failKind int

const (
	transientKind failKind = iota // tried again, counted
	permanentKind                 // failed at once
	idNotFound                    // the provider does not know the media id: a few tries
	credentials                   // our token refused: tried again, not counted
	hashMismatch                  // tried once more, then failed
)

// hashMismatchMsg starts a hash mismatch's last_error (the next try reads it).
const hashMismatchMsg = "sha256 mismatch"

// fetchError is a failed try, with what to do about it. Its message goes to last_error
// and the log: status codes and our own words, never an address or what the file holds.
type fetchError struct {
	kind failKind
	msg  string
	// refused says why the citizen's file is not kept, for the reply they get
	// (RefusedTooLarge, RefusedType; "" when it is not their file's fault).
	refused string
}

// Why a citizen's file is refused (Fetcher.OnRefused).
const (
	RefusedTooLarge = "too_large"
	RefusedType     = "type"
)

// refuse marks err (a permanent failure) as the citizen's file's fault.
func refuse(why string, err error) error {
	if fe, ok := err.(*fetchError); ok {
		fe.refused = why
	}
	return err
}

func (e *fetchError) Error() string { return e.msg }

func transient(format string, args ...any) error {
	return &fetchError{kind: transientKind, msg: fmt.Sprintf(format, args...)}
}

func permanent(format string, args ...any) error {
	return &fetchError{kind: permanentKind, msg: fmt.Sprintf(format, args...)}
}
