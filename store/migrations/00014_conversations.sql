-- +goose Up
-- Conversations as citizens write them on WhatsApp and SMS.

-- Every inbound message is kept, whatever it carries. A message from a number with no
-- open complaint that does not open one (a greeting, a short text, a lone location) is
-- kept with its sender's number and no code, and joins the complaint the number opens
-- next (within a day).
ALTER TABLE complaint_messages
    ALTER COLUMN code DROP NOT NULL,
    ADD COLUMN kind text NOT NULL DEFAULT 'text'
        CHECK (kind IN ('text', 'image', 'video', 'document', 'audio', 'sticker', 'location', 'contacts', 'button', 'other')),
    -- the sender's normalised number, for messages not attached to a complaint yet
    ADD COLUMN from_phone text,
    -- a shared location (never published)
    ADD COLUMN latitude double precision,
    ADD COLUMN longitude double precision,
    ADD COLUMN place_name text,
    ADD COLUMN place_address text,
    ADD CONSTRAINT complaint_messages_owner CHECK (code IS NOT NULL OR from_phone IS NOT NULL);
CREATE INDEX complaint_messages_unattached ON complaint_messages (from_phone, at) WHERE code IS NULL;

-- A file a message carried: fetched from the provider by the worker's media fetcher
-- (state pending → stored, or failed after its tries), checked against the webhook's type
-- and sha256, and kept in media_blobs. Media never reach Temporal or public pages.
CREATE TABLE message_media (
    id            bigserial PRIMARY KEY,
    message_id    bigint NOT NULL UNIQUE REFERENCES complaint_messages (id),
    channel       text NOT NULL,
    -- the provider's media id (WhatsApp's), or a URL the gateway gave
    provider_ref  text NOT NULL,
    mime_type     text NOT NULL DEFAULT '',
    -- as the webhook announced it (WhatsApp: base64 of the SHA-256), '' when not given
    sha256        text NOT NULL DEFAULT '',
    filename      text,
    voice         boolean NOT NULL DEFAULT false,
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'stored', 'failed')),
    attempts      int NOT NULL DEFAULT 0,
    next_try_at   timestamptz NOT NULL DEFAULT now(),
    last_error    text,
    size_bytes    bigint,
    stored_at     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_media_pending ON message_media (next_try_at) WHERE state = 'pending';
CREATE TABLE media_blobs (
    media_id bigint PRIMARY KEY REFERENCES message_media (id),
    data     bytea NOT NULL
);

-- A complaint opened by a voice note or a picture alone waits for someone to listen or
-- look: set at intake; the inbox marks it while the complaint is new.
ALTER TABLE complaints
    ADD COLUMN needs_review boolean NOT NULL DEFAULT false,
    -- who confirmed the complainant's number is theirs: 'pesan' when they wrote from it,
    -- 'operator:<username>' when an operator took it down from them, NULL while a number
    -- typed into the web form is unconfirmed (it then routes no replies).
    ADD COLUMN phone_confirmed_by text;
UPDATE complaints SET phone_confirmed_by = 'pesan' WHERE phone IS NOT NULL AND channel IN ('whatsapp', 'sms');
UPDATE complaints SET phone_confirmed_by = 'operator:' || coalesce(taken_by, 'admin')
    WHERE phone IS NOT NULL AND channel IN ('phone', 'desk');
DROP INDEX complaints_phone_open;
CREATE INDEX complaints_phone_open ON complaints (phone, created_at DESC)
    WHERE status NOT IN ('closed', 'rejected') AND phone_confirmed_by IS NOT NULL;

-- What the provider says became of each message we sent: sent, delivered, read, failed
-- (with its error), by the provider's message id. A failed message to a complainant is
-- tried again another way (resend_of names the row it replaces).
-- An automatic reply to a number with no complaint (a greeting, a message we cannot use)
-- has no code. mode forces a WhatsApp row's form: 'text' (an automatic reply, inside the
-- window the citizen just opened) or 'template' (a resend after free text failed).
ALTER TABLE notifications
    ALTER COLUMN code DROP NOT NULL,
    ADD COLUMN mode text CHECK (mode IN ('text', 'template')),
    ADD COLUMN delivery_status text CHECK (delivery_status IN ('sent', 'delivered', 'read', 'failed')),
    ADD COLUMN delivery_at timestamptz,
    ADD COLUMN delivery_error text,
    ADD COLUMN resend_of bigint REFERENCES notifications (id),
    ADD COLUMN resent boolean NOT NULL DEFAULT false,
    -- the worker that sends an automatic reply or a resend holds it until then
    ADD COLUMN claimed_until timestamptz;
CREATE INDEX notifications_loose ON notifications (id) WHERE sent_at IS NULL AND (kind = 'auto_reply' OR resend_of IS NOT NULL);
CREATE INDEX notifications_provider_ref ON notifications (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX notifications_failed ON notifications (id) WHERE delivery_status = 'failed' AND NOT resent;

-- Friendly replies to greetings: at most one per number per day.
CREATE TABLE greeting_replies (
    phone   text NOT NULL,
    day     date NOT NULL,
    at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (phone, day)
);

-- +goose Down
DROP TABLE greeting_replies;
DROP INDEX notifications_failed;
DROP INDEX notifications_loose;
DROP INDEX notifications_provider_ref;
DELETE FROM notifications WHERE code IS NULL;
ALTER TABLE notifications ALTER COLUMN code SET NOT NULL, DROP COLUMN mode, DROP COLUMN claimed_until, DROP COLUMN resent, DROP COLUMN resend_of, DROP COLUMN delivery_error,
    DROP COLUMN delivery_at, DROP COLUMN delivery_status;
DROP INDEX complaints_phone_open;
CREATE INDEX complaints_phone_open ON complaints (phone, created_at DESC) WHERE status NOT IN ('closed', 'rejected');
ALTER TABLE complaints DROP COLUMN phone_confirmed_by, DROP COLUMN needs_review;
DROP TABLE media_blobs;
DROP TABLE message_media;
DROP INDEX complaint_messages_unattached;
DELETE FROM complaint_messages WHERE code IS NULL;
ALTER TABLE complaint_messages DROP CONSTRAINT complaint_messages_owner, DROP COLUMN place_address,
    DROP COLUMN place_name, DROP COLUMN longitude, DROP COLUMN latitude, DROP COLUMN from_phone, DROP COLUMN kind,
    ALTER COLUMN code SET NOT NULL;
