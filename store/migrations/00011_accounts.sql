-- +goose Up
-- Staff accounts for the browser (issue 11): a password (argon2id, in PHC form with its
-- salt and parameters), two-factor TOTP with one-time recovery codes, server-side
-- sessions and one-time invites (only hashes of their ids), a throttle of failed logins
-- per username and per client address, and an expiry on API tokens.
ALTER TABLE staff
    ADD COLUMN password_hash  text,
    ADD COLUMN totp_secret    text,
    -- the last 30-second TOTP step used, so a code is good once
    ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0,
    ADD COLUMN deactivated_at timestamptz;

CREATE TABLE staff_recovery_codes (
    username  text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (username, code_hash)
);

CREATE TABLE staff_sessions (
    id_hash      text PRIMARY KEY,
    username     text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    -- only the 2FA enrolment page: an admin or supervisor without TOTP yet
    enrol_only   boolean NOT NULL DEFAULT false,
    -- the TOTP secret being enrolled, until the user confirms a code
    pending_totp text,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX staff_sessions_username ON staff_sessions (username);

CREATE TABLE staff_invites (
    token_hash text PRIMARY KEY,
    username   text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

-- Failed logins: key 'user:<username>' (whether or not the user exists) or 'addr:<ip>'.
CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    since        timestamptz NOT NULL,
    locked_until timestamptz
);

ALTER TABLE staff_tokens
    ADD COLUMN expires_at   timestamptz,
    -- the token's first characters, shown to and typed by the admin to revoke it
    ADD COLUMN token_prefix text;
UPDATE staff_tokens SET expires_at = now() + interval '90 days';
CREATE INDEX staff_tokens_prefix ON staff_tokens (token_prefix);

-- +goose Down
DROP INDEX staff_tokens_prefix;
ALTER TABLE staff_tokens DROP COLUMN token_prefix, DROP COLUMN expires_at;
DROP TABLE login_throttle;
DROP TABLE staff_invites;
DROP TABLE staff_sessions;
DROP TABLE staff_recovery_codes;
ALTER TABLE staff DROP COLUMN deactivated_at, DROP COLUMN totp_last_step, DROP COLUMN totp_secret,
    DROP COLUMN password_hash;
