-- +goose Up
-- Officers are reminded where they read (issue 13): each staff user chooses how
-- reminders and escalations reach them ('whatsapp' template, 'sms', 'email', or
-- 'console' only: the row is kept, nothing is sent; NULL: not chosen yet, which is
-- e-mail when they have an address, else the console), with their mobile number (as
-- domain.NormalizePhone writes it) for WhatsApp and SMS, and whether their reminders come
-- grouped into one daily digest. The number is personal data: it never goes to a log.
ALTER TABLE staff
    ADD COLUMN notify_channel text CHECK (notify_channel IN ('whatsapp', 'sms', 'email', 'console')),
    ADD COLUMN phone          text,
    ADD COLUMN daily_digest   boolean NOT NULL DEFAULT false;

-- Quiet hours: a message due outside the regency's office hours waits until hold_until
-- (the next opening), and a reminder to an officer who wants a digest waits for it
-- (digest). The Notify activity writes such rows and leaves them; the worker's outbox
-- sends them once their time has come (the digest rows of one officer as one message).
ALTER TABLE notifications
    ADD COLUMN hold_until timestamptz,
    ADD COLUMN digest     boolean NOT NULL DEFAULT false;
CREATE INDEX notifications_held ON notifications (hold_until) WHERE sent_at IS NULL AND hold_until IS NOT NULL;

-- +goose Down
DROP INDEX notifications_held;
ALTER TABLE notifications DROP COLUMN digest, DROP COLUMN hold_until;
ALTER TABLE staff DROP COLUMN daily_digest, DROP COLUMN phone, DROP COLUMN notify_channel;
