package accounts

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"aduan/store"
)

// Invite makes a one-time link token for username to set their password, good for
// InviteTTL; only its hash is stored, and the user's earlier unused invites stop working.
func (s *Service) Invite(ctx context.Context, username string) (string, error) {
	token := RandomToken()
	now := s.cfg.Now()
	err := s.db.CreateInvite(ctx, hash(token), store.Invite{Username: username, CreatedAt: now,
		ExpiresAt: now.Add(s.cfg.InviteTTL)})
	if errors.Is(err, store.ErrNotFound) {
		return "", &Error{Kind: KindNotFound, Message: "Pengguna tidak ditemukan."}
	}
	if err != nil {
		return "", unavailable(err)
	}
	return token, nil
}

// InviteUsable says whether an invite can still be used at now.
func InviteUsable(inv store.Invite, now time.Time) bool {
	return !inv.UsedAt.Valid && now.Before(inv.ExpiresAt)
}

// CheckInvite finds the usable invite of token (KindNotFound otherwise) and says whose it is.
func (s *Service) CheckInvite(ctx context.Context, token string) (string, error) {
	inv, err := s.db.InviteByHash(ctx, hash(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !InviteUsable(inv, s.cfg.Now())) {
		return "", &Error{Kind: KindNotFound, Message: msgInvite}
	}
	if err != nil {
		return "", unavailable(err)
	}
	return inv.Username, nil
}

// AcceptInvite sets the password of the invite's user and spends the invite.
func (s *Service) AcceptInvite(ctx context.Context, token, password, confirm string) (string, error) {
	username, err := s.CheckInvite(ctx, token)
	if err != nil {
		return "", err
	}
	if f := CheckNewPassword(password, confirm); f != nil {
		return username, &Error{Kind: KindInvalid, Message: "Periksa kata sandi Anda.", Fields: f}
	}
	h, err := HashPassword(password, s.cfg.Params)
	if err != nil {
		return username, unavailable(err)
	}
	err = s.db.UseInvite(ctx, hash(token), h, s.cfg.Now())
	if errors.Is(err, store.ErrNotFound) {
		return username, &Error{Kind: KindNotFound, Message: msgInvite}
	}
	if err != nil {
		return username, unavailable(err)
	}
	slog.Info("staff password set from an invite", "username", username)
	return username, nil
}
