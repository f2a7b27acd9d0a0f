// Package publish pushes published answers to the regency's external websites: a
// generic signed webhook (WebhookSite) and a WordPress site through its REST API
// (WordPressSite). The PublishExternal activity (activities.Publisher) reads the public
// record from PostgreSQL, hands it to every configured Site and records, per site, what
// was pushed (store: publication_sync), so a retry pushes only to the sites that failed.
//
// A Record is public by construction: the public title and answer, category, place and
// publication time. Never the complainant's identity or their own text, and never a
// confidential complaint (the activity refuses those before any Site sees them).
package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"aduan/httpcall"
)

// Record is the public record of one published answer: what the regency's websites show.
type Record struct {
	Code     string
	Title    string
	Answer   string
	Category string // the category's id (e.g. bantuan_logistik)
	// CategoryName is the category's Indonesian name ("" when unknown).
	CategoryName string
	// Kecamatan and Desa are the directory ids, as the public API gives them; their
	// names are for people.
	Kecamatan     string
	KecamatanName string
	Desa          string
	DesaName      string
	PublishedAt   time.Time
	// URL is the answer's public page: ${ADUAN_PUBLIC_URL}/publik/{code}.
	URL string
}

// Slug is the record's slug on a website: its code in lower case (adu-xxxx-xxxx).
func (r Record) Slug() string { return strings.ToLower(r.Code) }

// Site is one external website. Push must be idempotent: pushing the same record again
// updates what the site shows rather than adding a second copy. It returns the site's
// id of what it wrote, when it gives one. An error wrapped with Permanent is one that
// pushing again cannot mend (the site rejected the request); any other error may pass
// when tried again. Push must be safe for concurrent use.
type Site interface {
	// Name is the site's stable key in publication_sync ("webhook", "wordpress").
	Name() string
	Push(ctx context.Context, r Record) (remoteID string, err error)
}

// PermanentError, Permanent and IsPermanent mark a failure that trying again cannot
// mend (see httpcall).
type PermanentError = httpcall.PermanentError

// Permanent marks err as a failure that trying again cannot mend.
func Permanent(err error) error { return httpcall.Permanent(err) }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool { return httpcall.IsPermanent(err) }

// FromEnv builds the configured sites, zero, one or both:
//   - the signed webhook when ADUAN_PUBLISH_WEBHOOK_URL is set (with
//     ADUAN_PUBLISH_WEBHOOK_SECRET, which it then needs);
//   - WordPress when ADUAN_WP_URL is set (with ADUAN_WP_USER and ADUAN_WP_APP_PASSWORD,
//     which it then needs, and optionally ADUAN_WP_CATEGORY_ID, a number).
//
// A site half configured is an error, so a typo does not silently publish nowhere.
func FromEnv(getenv func(string) string) ([]Site, error) {
	var sites []Site
	var errs []error
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	if u := env("ADUAN_PUBLISH_WEBHOOK_URL"); u != "" {
		secret := env("ADUAN_PUBLISH_WEBHOOK_SECRET")
		if secret == "" {
			errs = append(errs, errors.New("ADUAN_PUBLISH_WEBHOOK_URL is set but ADUAN_PUBLISH_WEBHOOK_SECRET is not"))
		} else {
			sites = append(sites, &WebhookSite{URL: u, Secret: secret})
		}
	} else {
		slog.Info("publish: ADUAN_PUBLISH_WEBHOOK_URL not set; published answers are not sent to a webhook")
	}
	if base := env("ADUAN_WP_URL"); base != "" {
		wp := &WordPressSite{BaseURL: base, User: env("ADUAN_WP_USER"), AppPassword: env("ADUAN_WP_APP_PASSWORD")}
		ok := true
		if wp.User == "" || wp.AppPassword == "" {
			errs = append(errs, errors.New("ADUAN_WP_URL is set but ADUAN_WP_USER or ADUAN_WP_APP_PASSWORD is not"))
			ok = false
		}
		if c := env("ADUAN_WP_CATEGORY_ID"); c != "" {
			id, err := strconv.Atoi(c)
			if err != nil || id <= 0 {
				errs = append(errs, fmt.Errorf("ADUAN_WP_CATEGORY_ID %q is not a positive number", c))
				ok = false
			}
			wp.CategoryID = id
		}
		if ok {
			sites = append(sites, wp)
		}
	} else {
		slog.Info("publish: ADUAN_WP_URL not set; published answers are not posted to WordPress")
	}
	return sites, errors.Join(errs...)
}
