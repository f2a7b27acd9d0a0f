-- +goose Up
-- How each notification was delivered: the sender and its mode ('log', 'smtp', 'whatsapp:text',
-- 'whatsapp:template:<name>', 'sms') and the provider's message id (WhatsApp's wamid). A WhatsApp,
-- SMS or e-mail row with sent_via 'log' was due but only logged, for want of a configured
-- sender: nobody received it. Rows sent before this migration have neither.
ALTER TABLE notifications
    ADD COLUMN sent_via text,
    ADD COLUMN provider_ref text;

-- +goose Down
ALTER TABLE notifications DROP COLUMN provider_ref, DROP COLUMN sent_via;
