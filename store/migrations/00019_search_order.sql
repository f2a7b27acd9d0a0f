-- +goose Up
-- Search lists matches newest first (created_at DESC, code): with this index a word most
-- complaints contain is answered by reading the index in order until a page is full,
-- rather than sorting every match.
CREATE INDEX complaints_created_code ON complaints (created_at DESC, code);

-- +goose Down
DROP INDEX complaints_created_code;
