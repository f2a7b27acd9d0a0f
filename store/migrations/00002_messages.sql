-- +goose Up
-- What the complainant writes after intake (replies to questions, later messages). Like the
-- complaint's text it may identify them, so it lives here and never in workflow history:
-- the workflow carries the message's id only.
CREATE TABLE complaint_messages (
    id      bigserial PRIMARY KEY,
    code    text NOT NULL REFERENCES complaints (code),
    at      timestamptz NOT NULL DEFAULT now(),
    channel text NOT NULL,
    text    text NOT NULL
);
CREATE INDEX complaint_messages_code ON complaint_messages (code, id);

-- +goose Down
DROP TABLE complaint_messages;
