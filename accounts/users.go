package accounts

import (
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"aduan/domain"
	"aduan/store"
)

// The system admin's use cases on staff users (the pages under /staf/admin): list them,
// create one with an invite, deactivate and activate, reset a password, revoke API
// tokens. Admins may do all of it; supervisors may list users; nobody else anything. The
// acting user (by) is checked here, not only in the page, and every change is logged
// with their username (never a password or a token).

// Account is a staff user as the admin's list shows them.
type Account struct {
	Username string
	Name     string
	Role     domain.Role
	// Group is the user's pokja (role pokja) or partner (role partner).
	Group        string
	Email        string
	Active       bool
	HeadOfOffice bool
	// HasPassword: the user has set a password; HasTOTP: they have enrolled 2FA.
	HasPassword, HasTOTP bool
	// LiveTokens is how many of their API tokens still work (not revoked, not expired).
	LiveTokens int
	// InvitePending: an invite link of theirs is still usable.
	InvitePending bool
}

// NewAccount is what an admin fills in to create a user.
type NewAccount struct {
	Username string
	Name     string
	Role     domain.Role
	// Group is the pokja ID (role pokja) or partner ID (role partner); ignored otherwise.
	Group string
	Email string
}

// MayViewAccounts says whether a user may see the list of staff users (admins and
// supervisors).
func MayViewAccounts(by domain.Actor) bool {
	return by.Role == domain.RoleAdmin || by.Role == domain.RoleSupervisor
}

// MayManageAccounts says whether a user may change staff users (admins only).
func MayManageAccounts(by domain.Actor) bool { return by.Role == domain.RoleAdmin }

func forbidden(message string) *Error { return &Error{Kind: KindForbidden, Message: message} }

const (
	msgViewOnly   = "Hanya admin Call Center dan supervisor yang dapat melihat daftar pengguna."
	msgManageOnly = "Hanya admin Call Center yang dapat mengubah pengguna."
)

// Accounts lists every staff user, active ones first (admins and supervisors).
func (s *Service) Accounts(ctx context.Context, by domain.Actor) ([]Account, error) {
	if !MayViewAccounts(by) {
		return nil, forbidden(msgViewOnly)
	}
	rows, err := s.db.StaffAccounts(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	out := make([]Account, 0, len(rows))
	for _, r := range rows {
		group := r.PokjaID.String
		if r.Role == domain.RolePartner {
			group = r.PartnerID.String
		}
		out = append(out, Account{Username: r.Username, Name: r.Name, Role: r.Role, Group: group, Email: r.Email.String,
			Active: r.Active, HeadOfOffice: r.HeadOfOffice, HasPassword: r.HasPassword, HasTOTP: r.HasTOTP,
			LiveTokens: r.LiveTokens, InvitePending: r.InvitePending})
	}
	return out, nil
}

// usernamePattern is what a new username may look like: lower case letters, digits, '.',
// '_' and '-', starting with a letter or digit.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,49}$`)

// CheckNewAccount cleans a new user's fields and names each one at fault.
func CheckNewAccount(in NewAccount) (NewAccount, map[string]string) {
	in.Username = strings.TrimSpace(in.Username)
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Group = strings.TrimSpace(in.Group)
	in.Email = strings.TrimSpace(in.Email)
	f := map[string]string{}
	if !usernamePattern.MatchString(in.Username) {
		f["username"] = "Nama pengguna 2–50 karakter: huruf kecil, angka, titik, garis bawah atau tanda minus, diawali huruf atau angka."
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		f["name"] = "Isi nama lengkap."
	case n > 200:
		f["name"] = "Nama paling banyak 200 karakter."
	}
	if !in.Role.Valid() {
		f["role"] = "Pilih peran: admin, pokja, mitra atau supervisor."
	}
	if (in.Role == domain.RolePokja || in.Role == domain.RolePartner) && in.Group == "" {
		f["group"] = "Pilih pokja (peran pokja) atau lembaga mitra (peran mitra)."
	}
	if in.Role != domain.RolePokja && in.Role != domain.RolePartner {
		in.Group = ""
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
			f["email"] = "Alamat e-mail tidak valid (contoh: nama@mamujukab.go.id)."
		}
	}
	if len(f) == 0 {
		return in, nil
	}
	return in, f
}

// CreateAccount creates a new, active user (admins only) and returns the token of their
// one-time invite link (/staf/undangan/<token>, good for InviteTTL), where they set their
// password. A username that exists, deactivated or not, is refused: this never changes
// or re-activates anyone. The user gets no API token.
func (s *Service) CreateAccount(ctx context.Context, by domain.Actor, in NewAccount) (string, error) {
	if !MayManageAccounts(by) {
		return "", forbidden(msgManageOnly)
	}
	in, f := CheckNewAccount(in)
	if f == nil {
		f = map[string]string{}
		var ok bool
		var err error
		switch in.Role {
		case domain.RolePokja:
			ok, err = s.db.PokjaExists(ctx, in.Group)
		case domain.RolePartner:
			ok, err = s.db.PartnerExists(ctx, in.Group)
		default:
			ok = true
		}
		if err != nil {
			return "", unavailable(err)
		}
		if !ok {
			f["group"] = "Pokja atau lembaga mitra ini tidak ada di direktori (atau sudah dipensiunkan)."
		}
	}
	if len(f) > 0 {
		return "", &Error{Kind: KindInvalid, Message: "Pengguna belum dibuat. Periksa isian yang ditandai.", Fields: f}
	}
	st := store.NewStaff(in.Username, in.Name, in.Role, in.Group)
	st.Email.String, st.Email.Valid = in.Email, in.Email != ""
	err := s.db.CreateStaff(ctx, st)
	if errors.Is(err, store.ErrStaffExists) {
		return "", &Error{Kind: KindInvalid, Message: "Pengguna belum dibuat. Periksa isian yang ditandai.",
			Fields: map[string]string{"username": "Nama pengguna ini sudah dipakai (juga oleh pengguna nonaktif)."}}
	}
	if err != nil {
		return "", unavailable(err)
	}
	token, err := s.Invite(ctx, in.Username)
	if err != nil {
		return "", err
	}
	slog.Info("admin: staff user created", "by", by.Username, "username", in.Username, "role", in.Role,
		"group", in.Group, "invite_expires_in", s.cfg.InviteTTL.String())
	return token, nil
}

// SetAccountActive deactivates a user (their sessions end, their tokens are revoked and
// their unused invites dropped, at once) or lets them in again (they need new tokens).
// Admins only; an admin cannot deactivate themselves.
func (s *Service) SetAccountActive(ctx context.Context, by domain.Actor, username string, active bool) error {
	if !MayManageAccounts(by) {
		return forbidden(msgManageOnly)
	}
	if !active && username == by.Username {
		return &Error{Kind: KindInvalid, Message: "Anda tidak dapat menonaktifkan akun Anda sendiri."}
	}
	if err := notFoundUser(s.db.SetStaffActive(ctx, username, active)); err != nil {
		if KindOf(err) == KindNotFound {
			return err
		}
		return unavailable(err)
	}
	if active {
		slog.Info("admin: staff user activated", "by", by.Username, "username", username)
	} else {
		slog.Info("admin: staff user deactivated (sessions ended, tokens revoked)", "by", by.Username, "username", username)
	}
	return nil
}

// ResetPassword gives an active user a new one-time invite link (admins only) and makes
// their old password stop working at once: it is cleared and their sessions end, in the
// same transaction, so a password someone else may know is useless from this moment.
// Their 2FA and API tokens stay. It returns the invite's token.
func (s *Service) ResetPassword(ctx context.Context, by domain.Actor, username string) (string, error) {
	if !MayManageAccounts(by) {
		return "", forbidden(msgManageOnly)
	}
	token := RandomToken()
	now := s.cfg.Now()
	err := s.db.ResetPassword(ctx, hash(token), store.Invite{Username: username, CreatedAt: now,
		ExpiresAt: now.Add(s.cfg.InviteTTL)})
	if errors.Is(err, store.ErrNotFound) {
		return "", &Error{Kind: KindNotFound, Message: "Tidak ada pengguna aktif dengan nama itu (aktifkan dulu pengguna nonaktif)."}
	}
	if err != nil {
		return "", unavailable(err)
	}
	slog.Info("admin: staff password reset (old password cleared, sessions ended, new invite)", "by", by.Username,
		"username", username)
	return token, nil
}

// RevokeTokensOf revokes every API token of a user (admins only) and says how many.
func (s *Service) RevokeTokensOf(ctx context.Context, by domain.Actor, username string) (int64, error) {
	if !MayManageAccounts(by) {
		return 0, forbidden(msgManageOnly)
	}
	n, err := s.db.RevokeUserTokens(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return 0, &Error{Kind: KindNotFound, Message: "Pengguna tidak ditemukan."}
	}
	if err != nil {
		return 0, unavailable(err)
	}
	slog.Info("admin: staff API tokens revoked", "by", by.Username, "username", username, "revoked", n)
	return n, nil
}
