package accounts

import (
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"strings"

	"aduan/domain"
	"aduan/store"
)

// How each staff user is reminded (domain.RouteToOfficer): the channel, their mobile
// number and e-mail, and the daily digest. A user sets their own on their profile page
// (/staf/akun); an admin sets anyone's on /staf/admin/pengguna; supervisors may read
// them. The number and the address are personal data: the logs name the user and the
// channel, never them.

// Channels is a staff user's choice of how reminders and escalations reach them.
type Channels struct {
	// Channel is one of domain.OfficerChannels ("" when nobody chose yet).
	Channel string
	// Phone is as typed; CheckChannels stores it as domain.NormalizePhone writes it.
	Phone string
	Email string
	// Digest groups their reminders into one message a working day.
	Digest bool
}

// CheckChannels cleans a choice and names each field at fault: a channel of
// domain.OfficerChannels, a mobile number (62 8…) for WhatsApp and SMS, an e-mail
// address for e-mail. A number or address given with another channel is kept (and
// checked): it is where the message goes when the chosen channel's provider is missing.
func CheckChannels(in Channels) (Channels, map[string]string) {
	in.Channel = strings.TrimSpace(in.Channel)
	in.Phone, in.Email = strings.TrimSpace(in.Phone), strings.TrimSpace(in.Email)
	f := map[string]string{}
	if !domain.ValidOfficerChannel(in.Channel) {
		f["channel"] = "Pilih cara menerima pengingat: WhatsApp, SMS, e-mail, atau hanya di konsol."
	}
	if in.Phone != "" {
		p := domain.NormalizePhone(in.Phone)
		if p == "" || !domain.IsMobile(p) {
			f["phone"] = "Nomor ponsel tidak valid: nomor seluler Indonesia, misalnya 0812 3456 7890."
		} else {
			in.Phone = p
		}
	} else if in.Channel == domain.OfficerWhatsApp || in.Channel == domain.OfficerSMS {
		f["phone"] = "Isi nomor ponsel untuk menerima pengingat lewat WhatsApp atau SMS."
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
			f["email"] = "Alamat e-mail tidak valid (contoh: nama@mamujukab.go.id)."
		}
	} else if in.Channel == domain.OfficerEmail {
		f["email"] = "Isi alamat e-mail untuk menerima pengingat lewat e-mail."
	}
	if len(f) == 0 {
		return in, nil
	}
	return in, f
}

const (
	msgChannelsOwn     = "Anda hanya dapat melihat dan mengubah cara notifikasi akun Anda sendiri."
	msgChannelsInvalid = "Cara notifikasi belum disimpan. Periksa isian yang ditandai."
)

// ChannelsOf reads a user's choice: their own, or anyone's for admins and supervisors.
func (s *Service) ChannelsOf(ctx context.Context, by domain.Actor, username string) (Channels, error) {
	if by.Username != username && !MayViewAccounts(by) {
		return Channels{}, forbidden(msgChannelsOwn)
	}
	c, err := s.db.StaffChannelsOf(ctx, username)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Channels{}, notFoundUser(err)
		}
		return Channels{}, unavailable(err)
	}
	return Channels(c), nil
}

// AllChannels reads every user's choice, by username (admins and supervisors).
func (s *Service) AllChannels(ctx context.Context, by domain.Actor) (map[string]Channels, error) {
	if !MayViewAccounts(by) {
		return nil, forbidden(msgViewOnly)
	}
	rows, err := s.db.AllStaffChannels(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	out := make(map[string]Channels, len(rows))
	for u, c := range rows {
		out[u] = Channels(c)
	}
	return out, nil
}

// SetChannels stores a user's choice after CheckChannels (KindInvalid with the fields at
// fault): their own, or anyone's for admins.
func (s *Service) SetChannels(ctx context.Context, by domain.Actor, username string, in Channels) error {
	if by.Username != username && !MayManageAccounts(by) {
		return forbidden(msgChannelsOwn)
	}
	in, f := CheckChannels(in)
	if f != nil {
		return &Error{Kind: KindInvalid, Message: msgChannelsInvalid, Fields: f}
	}
	if err := s.db.SetStaffChannels(ctx, username, store.StaffChannels(in)); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return notFoundUser(err)
		}
		return unavailable(err)
	}
	// Never the number or the address.
	slog.Info("staff notification channel set", "by", by.Username, "username", username, "channel", in.Channel,
		"digest", in.Digest, "has_phone", in.Phone != "", "has_email", in.Email != "")
	return nil
}
