-- +goose Up
-- The evaluation report counts the published complaints that a complainant reopened; of
-- everyone's complaints it reads the visits alone and looks the few reopened ones up here,
-- instead of joining a year of complaints (docs/PERFORMANCE.md).
CREATE INDEX complaints_reopened ON complaints (code) WHERE reopen_count > 0;

-- +goose Down
DROP INDEX complaints_reopened;
