package accounts

import (
	"context"
	"errors"
	"time"

	"aduan/store"
)

func notFoundUser(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Kind: KindNotFound, Message: "Pengguna tidak ditemukan.", Err: err}
	}
	return err
}

// Deactivate stops a user at once: their sessions end and their tokens are revoked.
func (s *Service) Deactivate(ctx context.Context, username string) error {
	return notFoundUser(s.db.SetStaffActive(ctx, username, false))
}

// Activate lets a deactivated user in again (they need new tokens).
func (s *Service) Activate(ctx context.Context, username string) error {
	return notFoundUser(s.db.SetStaffActive(ctx, username, true))
}

// IssueToken makes a bearer token for the JSON API, good for ttl (store.DefaultTokenTTL
// when 0).
func (s *Service) IssueToken(ctx context.Context, username string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = store.DefaultTokenTTL
	}
	t, err := s.db.IssueTokenFor(ctx, username, ttl)
	return t, notFoundUser(err)
}

// RevokeToken revokes the live token that starts with prefix and says whose it was.
func (s *Service) RevokeToken(ctx context.Context, prefix string) (string, error) {
	u, err := s.db.RevokeTokenByPrefix(ctx, prefix)
	if errors.Is(err, store.ErrNotFound) {
		return "", &Error{Kind: KindNotFound, Message: "Tidak ada token aktif dengan awalan itu.", Err: err}
	}
	return u, err
}

// RevokeAllTokens revokes every token of a user and says how many.
func (s *Service) RevokeAllTokens(ctx context.Context, username string) (int64, error) {
	n, err := s.db.RevokeUserTokens(ctx, username)
	return n, notFoundUser(err)
}
