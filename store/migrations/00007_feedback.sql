-- +goose Up
-- The complainant's answer to "did this solve your problem?" after publication.
CREATE TABLE complaint_feedback (
    id        bigserial PRIMARY KEY,
    code      text NOT NULL REFERENCES complaints (code),
    at        timestamptz NOT NULL DEFAULT now(),
    channel   text NOT NULL,
    satisfied boolean NOT NULL,
    comment   text
);
CREATE INDEX complaint_feedback_code ON complaint_feedback (code, id);
-- How often the complainant's "no" sent the complaint back to its pokja (at most twice).
ALTER TABLE complaints ADD COLUMN reopen_count int NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE complaints DROP COLUMN reopen_count;
DROP TABLE complaint_feedback;
