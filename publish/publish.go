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

// Settings say where published answers go; a site whose URL is empty is off.
type Settings struct {
	// WebhookURL and WebhookSecret are the signed webhook's receiver and secret.
	WebhookURL    string
	WebhookSecret string
	// WordPressURL is the WordPress site (without /wp-json); WordPressUser and
	// WordPressAppPassword its user and application password; WordPressCategoryID the
	// optional category of the posts (0: none).
	WordPressURL         string
	WordPressUser        string
	WordPressAppPassword string
	WordPressCategoryID  int
}

// Sites builds the configured sites, zero, one or both: the signed webhook when
// s.WebhookURL is set, WordPress when s.WordPressURL is. A site half configured (a
// webhook without its secret, WordPress without its user or password, a negative
// category) is an error, so a slip does not silently publish nowhere or unsigned.
func Sites(s Settings) ([]Site, error) {
	var sites []Site
	var errs []error
	if s.WebhookURL != "" {
		if s.WebhookSecret == "" {
			errs = append(errs, errors.New("publish: the webhook has a URL but no secret"))
		} else {
			sites = append(sites, &WebhookSite{URL: s.WebhookURL, Secret: s.WebhookSecret})
		}
	} else {
		slog.Info("publish: no webhook configured; published answers are not sent to a webhook")
	}
	if s.WordPressURL != "" {
		switch {
		case s.WordPressUser == "" || s.WordPressAppPassword == "":
			errs = append(errs, errors.New("publish: WordPress has a URL but no user or application password"))
		case s.WordPressCategoryID < 0:
			errs = append(errs, fmt.Errorf("publish: WordPress category id %d is not a positive number", s.WordPressCategoryID))
		default:
			sites = append(sites, &WordPressSite{BaseURL: s.WordPressURL, User: s.WordPressUser,
				AppPassword: s.WordPressAppPassword, CategoryID: s.WordPressCategoryID})
		}
	} else {
		slog.Info("publish: no WordPress site configured; published answers are not posted to WordPress")
	}
	return sites, errors.Join(errs...)
}
