-- +goose Up
-- Nobody acts in another's name (issue 14).

-- Feedback proves it comes from the complainant: the answer sent to them carries a link
-- with a secret token (/lacak/{code}/tanggapan/{token}). Only the token's hash is kept
-- here, one per message that carried one (a retried or repeated answer makes its own);
-- any of a complaint's tokens opens its feedback form.
CREATE TABLE feedback_tokens (
    -- hex SHA-256 of the token, as store.HashToken writes it
    token_hash text PRIMARY KEY,
    code       text NOT NULL REFERENCES complaints (code),
    -- the outbox row (notifications.dedupe_key) whose text carries the token
    dedupe_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_tokens_code ON feedback_tokens (code);

-- The token is drawn where the message is written to the outbox, so that it exists in
-- clear only in that message: the template leaves the placeholder {TOKEN-TANGGAPAN}
-- (notify.FeedbackTokenPlaceholder) and this trigger replaces it by a fresh token and
-- keeps the token's hash. gen_random_uuid() is PostgreSQL's strong random source; a
-- version-4 UUID holds 122 random bits, written as 22 URL-safe characters. A retried
-- activity writes the same dedupe key again: the token row and the outbox row are then
-- both left as they were (ON CONFLICT DO NOTHING on each), so the message sent and the
-- hash kept stay a pair.
-- +goose StatementBegin
CREATE FUNCTION issue_feedback_token() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    token text;
BEGIN
    IF NEW.code IS NULL THEN
        NEW.text := replace(NEW.text, '{TOKEN-TANGGAPAN}', '');
        RETURN NEW;
    END IF;
    token := rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=');
    INSERT INTO feedback_tokens (token_hash, code, dedupe_key)
        VALUES (encode(sha256(convert_to(token, 'UTF8')), 'hex'), NEW.code, NEW.dedupe_key)
        ON CONFLICT (dedupe_key) DO NOTHING;
    NEW.text := replace(NEW.text, '{TOKEN-TANGGAPAN}', token);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER notifications_feedback_token BEFORE INSERT ON notifications
    FOR EACH ROW WHEN (strpos(NEW.text, '{TOKEN-TANGGAPAN}') > 0)
    EXECUTE FUNCTION issue_feedback_token();

-- Feedback and replies are idempotent: a retried request (the same Idempotency-Key, the
-- same provider message, or the same content in the same round) finds its first row
-- instead of writing a second. applied_at says the workflow took it.
ALTER TABLE complaint_feedback
    ADD COLUMN request_key text,
    ADD COLUMN applied_at timestamptz;
CREATE UNIQUE INDEX complaint_feedback_request_key ON complaint_feedback (code, request_key)
    WHERE request_key IS NOT NULL;

-- A public intake key is tied to its body: the digest of the first request's fields. The
-- same key with other fields is refused (422) instead of answering with another
-- complainant's code.
CREATE TABLE intake_keys (
    key        text PRIMARY KEY,
    digest     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE intake_keys;
DROP INDEX complaint_feedback_request_key;
ALTER TABLE complaint_feedback DROP COLUMN applied_at, DROP COLUMN request_key;
DROP TRIGGER notifications_feedback_token ON notifications;
DROP FUNCTION issue_feedback_token();
DROP TABLE feedback_tokens;
