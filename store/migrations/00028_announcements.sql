-- +goose Up
-- A publication's announcement (the answer to the complainant and the push to the regency's
-- websites), queued by the publish's projection in the same transaction as its event and
-- carried out by the worker's announcer (worker.RunAnnouncer): one row per publish event.
-- request is the domain.AnnounceRequest the workflow built (codes, status, pokja, dates: no
-- personal data). next_at is when it is due (again, after a failure); claimed_until holds
-- it for the announcer that took it; done_at is set once both halves succeeded or cannot.
-- last_error keeps the last failure, as publication_sync and notifications do.
CREATE TABLE announcements (
    code          text NOT NULL REFERENCES complaints (code),
    seq           bigint NOT NULL,
    request       jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    next_at       timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    attempts      int NOT NULL DEFAULT 0,
    last_error    text,
    done_at       timestamptz,
    PRIMARY KEY (code, seq)
);
-- The announcer's one question, asked every second: what is due and not done.
CREATE INDEX announcements_due ON announcements (next_at) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE announcements;
