-- +goose Up
-- The staff inbox (store.Tasks) reads each role's open work soonest deadline first and
-- stops at a page. These partial indexes hold exactly those rows in that order, so the
-- inbox reads a page from an index instead of sorting every open complaint of a pokja
-- (measured with 10,000 open complaints in docs/PERFORMANCE.md).
CREATE INDEX complaints_inbox_admin ON complaints (deadline, created_at)
    WHERE status IN ('received', 'ready_to_publish');
CREATE INDEX complaints_inbox_pokja ON complaints (pokja, deadline, created_at)
    WHERE status IN ('at_pokja', 'pokja_review');
CREATE INDEX complaints_inbox_partner ON complaints (partner, deadline, created_at)
    WHERE status = 'at_partner';

-- +goose Down
DROP INDEX complaints_inbox_partner;
DROP INDEX complaints_inbox_pokja;
DROP INDEX complaints_inbox_admin;
