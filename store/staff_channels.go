package store

import (
	"context"
	"database/sql"
	"errors"

	"aduan/domain"
)

// How each staff user is reminded: the channel they chose (or the admin chose for them),
// their mobile number and e-mail, and whether their reminders come as a daily digest.

// StaffChannels is a staff user's choice ("" for a value not given).
type StaffChannels struct {
	// Channel is one of domain.OfficerChannels, "" when not chosen yet.
	Channel string `db:"notify_channel"`
	// Phone is as domain.NormalizePhone writes it.
	Phone  string `db:"phone"`
	Email  string `db:"email"`
	Digest bool   `db:"daily_digest"`
}

// OfficerPrefs is the user's choice as domain.RouteToOfficer reads it.
func (s Staff) OfficerPrefs() domain.OfficerPrefs {
	return domain.OfficerPrefs{Channel: s.NotifyChannel.String, Phone: s.Phone.String, Email: s.Email.String,
		Digest: s.DailyDigest}
}

const staffChannelColumns = `username, coalesce(notify_channel, '') AS notify_channel, coalesce(phone, '') AS phone,
	coalesce(email, '') AS email, daily_digest`

// StaffChannelsOf reads a user's choice (ErrNotFound when there is no such user).
func (db *DB) StaffChannelsOf(ctx context.Context, username string) (StaffChannels, error) {
	var row struct {
		Username string `db:"username"`
		StaffChannels
	}
	err := db.GetContext(ctx, &row, `SELECT `+staffChannelColumns+` FROM staff WHERE username = $1`, username)
	if errors.Is(err, sql.ErrNoRows) {
		return StaffChannels{}, ErrNotFound
	}
	return row.StaffChannels, err
}

// AllStaffChannels reads every user's choice, by username.
func (db *DB) AllStaffChannels(ctx context.Context) (map[string]StaffChannels, error) {
	var rows []struct {
		Username string `db:"username"`
		StaffChannels
	}
	if err := db.SelectContext(ctx, &rows, `SELECT `+staffChannelColumns+` FROM staff`); err != nil {
		return nil, err
	}
	out := make(map[string]StaffChannels, len(rows))
	for _, r := range rows {
		out[r.Username] = r.StaffChannels
	}
	return out, nil
}

// SetStaffChannels stores a user's choice, their number and their e-mail ("" clears
// them); ErrNotFound when there is no such user. The values are checked by the caller
// (accounts.CheckChannels); the table checks the channel again.
func (db *DB) SetStaffChannels(ctx context.Context, username string, c StaffChannels) error {
	return affectOne(db.ExecContext(ctx, `UPDATE staff SET notify_channel = $2, phone = $3, email = $4, daily_digest = $5
		WHERE username = $1`, username, nullable(c.Channel), nullable(c.Phone), nullable(c.Email), c.Digest))
}
