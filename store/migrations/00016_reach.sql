-- +goose Up
-- A message to a complainant who can only be reached by telephone is a call-back task
-- for the operators (channel 'callback'): the row stays unsent until an operator records
-- the call as told (sent_at, sent_via 'callback:<username>'); each unanswered try counts
-- in attempts, with last_error saying so.
ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('log', 'email', 'whatsapp', 'sms', 'callback'));
CREATE INDEX notifications_callbacks ON notifications (created_at) WHERE channel = 'callback' AND sent_at IS NULL;

-- +goose Down
DROP INDEX notifications_callbacks;
DELETE FROM notifications WHERE channel = 'callback';
ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check
    CHECK (channel IN ('log', 'email', 'whatsapp', 'sms'));
