-- +goose Up
-- Messages arriving by WhatsApp or SMS carry the provider's message id: a webhook the
-- provider delivers twice is stored once.
ALTER TABLE complaint_messages ADD COLUMN provider_id text;
CREATE UNIQUE INDEX complaint_messages_provider ON complaint_messages (provider_id) WHERE provider_id IS NOT NULL;
-- Finding a complainant's open complaint by their number.
CREATE INDEX complaints_phone_open ON complaints (phone, created_at DESC) WHERE status NOT IN ('closed', 'rejected');

-- +goose Down
DROP INDEX complaints_phone_open;
DROP INDEX complaint_messages_provider;
ALTER TABLE complaint_messages DROP COLUMN provider_id;
