-- +goose Up
-- The notification outbox: reminders and escalations, one row per recipient and occasion.
-- The workflow names the occasion (dedupe_key = its key + '/' + recipient), so a retried
-- activity never writes a second row, and a row once sent is never sent again. The
-- address (e-mail or phone) never leaves PostgreSQL: the API lists notifications without it.
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    dedupe_key text NOT NULL UNIQUE,
    code       text NOT NULL REFERENCES complaints (code),
    kind       text NOT NULL,
    -- a staff username, or 'pelapor' for the complainant
    recipient  text NOT NULL,
    channel    text NOT NULL CHECK (channel IN ('log', 'email', 'whatsapp', 'sms')),
    -- e-mail address or phone number; NULL for log
    address    text,
    template   text NOT NULL,
    text       text NOT NULL,
    due_at     timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    attempts   int NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX notifications_recipient ON notifications (recipient, created_at DESC);
CREATE INDEX notifications_unsent ON notifications (sent_at) WHERE sent_at IS NULL;

-- Where staff receive notifications, and who is the head of office (second escalation level).
ALTER TABLE staff
    ADD COLUMN email text NULL,
    ADD COLUMN head_of_office boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE staff DROP COLUMN head_of_office, DROP COLUMN email;
DROP TABLE notifications;
