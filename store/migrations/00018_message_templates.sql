-- +goose Up
-- Every outbound text in one place (issue 13): the texts an admin changed from their
-- defaults in code (notify's catalog), one row per version. A version holds every text
-- that differs from its default at that time (name → text), so the newest row alone is
-- the set in force; changed names what this version set or put back to its default;
-- created_by is the admin's username, or "cli:<user>" for `aduan templates set`.
CREATE TABLE message_templates (
    version    serial PRIMARY KEY,
    texts      jsonb NOT NULL DEFAULT '{}',
    changed    text[] NOT NULL,
    note       text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE message_templates;
