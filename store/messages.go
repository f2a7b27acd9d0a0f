package store

import (
	"context"
	"time"
)

// Message is something the complainant wrote after intake.
type Message struct {
	ID      int64     `db:"id" json:"id"`
	At      time.Time `db:"at" json:"at"`
	Channel string    `db:"channel" json:"channel"`
	Text    string    `db:"text" json:"text"`
}

// AddMessage keeps a complainant's message with their complaint and returns its id.
func (db *DB) AddMessage(ctx context.Context, code, channel, text string) (int64, error) {
	var id int64
	err := db.GetContext(ctx, &id, `INSERT INTO complaint_messages (code, channel, text) VALUES ($1, $2, $3) RETURNING id`,
		code, channel, text)
	return id, err
}

// Messages lists a complaint's messages in order.
func (db *DB) Messages(ctx context.Context, code string) ([]Message, error) {
	msgs := []Message{}
	err := db.SelectContext(ctx, &msgs, `SELECT id, at, channel, text FROM complaint_messages WHERE code = $1 ORDER BY id`, code)
	return msgs, err
}
