-- +goose Up
-- Directory: who works on complaints and where complaints come from.
CREATE TABLE pokja (
    id   text PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE partners (
    id   text PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE kecamatan (
    id   text PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE desa (
    id           text PRIMARY KEY,
    kecamatan_id text NOT NULL REFERENCES kecamatan (id),
    name         text NOT NULL
);

-- Staff users; tokens are stored as SHA-256 hashes, never in the clear.
CREATE TABLE staff (
    username   text PRIMARY KEY,
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('admin', 'pokja', 'partner', 'supervisor')),
    pokja_id   text REFERENCES pokja (id),
    partner_id text REFERENCES partners (id),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'pokja' OR pokja_id IS NOT NULL),
    CHECK (role <> 'partner' OR partner_id IS NOT NULL)
);
CREATE TABLE staff_tokens (
    token_hash text PRIMARY KEY,
    username   text NOT NULL REFERENCES staff (username) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- One row per complaint: what intake recorded (with the complainant's personal data,
-- which never leaves PostgreSQL) and the current state projected from its workflow.
CREATE TABLE complaints (
    code              text PRIMARY KEY,
    channel           text NOT NULL,
    text              text NOT NULL,
    name              text,
    phone             text,
    email             text,
    anonymous         boolean NOT NULL DEFAULT false,
    kecamatan         text REFERENCES kecamatan (id),
    desa              text REFERENCES desa (id),
    reported_category text,
    taken_by          text REFERENCES staff (username),
    idempotency_key   text UNIQUE,
    workflow_started  boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    -- projected from the workflow
    status            text NOT NULL,
    confidential      boolean NOT NULL DEFAULT false,
    pokja             text,
    partner           text,
    category          text,
    priority          text,
    title             text,
    deadline          timestamptz,
    overdue           boolean NOT NULL DEFAULT false,
    question          text,
    answer            text,
    partner_answer    text,
    public_title      text,
    public_answer     text,
    reject_reason     text,
    duplicate_of      text,
    published_at      timestamptz,
    closed_at         timestamptz,
    updated_at        timestamptz NOT NULL,
    last_seq          bigint NOT NULL DEFAULT 1
);
CREATE INDEX complaints_status_deadline ON complaints (status, deadline);
CREATE INDEX complaints_pokja ON complaints (pokja, status);
CREATE INDEX complaints_partner ON complaints (partner, status);
CREATE INDEX complaints_created ON complaints (created_at DESC);
CREATE INDEX complaints_unstarted ON complaints (created_at) WHERE NOT workflow_started;

-- The audit trail: append-only, one row per event, numbered by the workflow so that a
-- retried projection never writes an event twice.
CREATE TABLE complaint_events (
    code   text NOT NULL REFERENCES complaints (code),
    seq    bigint NOT NULL,
    at     timestamptz NOT NULL,
    actor  text NOT NULL,
    role   text NOT NULL,
    action text NOT NULL,
    status text NOT NULL,
    note   text,
    PRIMARY KEY (code, seq)
);

-- +goose Down
DROP TABLE complaint_events;
DROP TABLE complaints;
DROP TABLE staff_tokens;
DROP TABLE staff;
DROP TABLE desa;
DROP TABLE kecamatan;
DROP TABLE partners;
DROP TABLE pokja;
