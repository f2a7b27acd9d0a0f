-- +goose Up
-- Search by words (store.Search for staff, store.Publications and PublicPage for the
-- public) reads a GIN index of each complaint's words instead of matching ILIKE against
-- every row: over a year of complaints (100,000) ILIKE took a second and more per
-- search, the index milliseconds (docs/PERFORMANCE.md).
--
-- The words are PostgreSQL's own parse with the 'simple' configuration: lower-cased,
-- no stemming and no stop words (PostgreSQL has no Indonesian stemmer; a search matches
-- the beginning of words instead, see store/search.go). The staff's vector is a generated
-- column, so every write of the row (intake, each projection) keeps it current by itself.
--
-- search_vector: what staff search, the code (its two halves as words: without the
-- ADU- prefix every complaint would share, and apart, as PostgreSQL's parser reads
-- "7K3Q-1234" as a word and a negative number), the title and the complainant's text.
-- A viewer who may not read a confidential complaint's text gets matches on its code
-- and title only (store.Search checks those rows again without the text).
ALTER TABLE complaints ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, translate(regexp_replace(code, '^ADU-', ''), '-', ' ') || ' ' || coalesce(title, '') || ' ' || text)) STORED;
CREATE INDEX complaints_search ON complaints USING gin (search_vector);

-- The public search matches the code (as above) and the published title and answer of
-- a published, non-confidential complaint: an index of that expression, for those rows
-- only (a stored vector would widen every published row, read by every scan of the
-- table, for a search of the public pages alone). store.publicVector is the same
-- expression; the planner uses the index only for the very same.
CREATE INDEX complaints_public_search ON complaints USING gin (
    to_tsvector('simple'::regconfig, translate(regexp_replace(code, '^ADU-', ''), '-', ' ') || ' ' || coalesce(public_title, '') || ' '
        || coalesce(public_answer, '')))
    WHERE published_at IS NOT NULL AND NOT confidential;

-- The search for overdue complaints (?overdue=true, the supervisors' inbox) reads the
-- complaints that can be overdue (store.overdueSQL): marked overdue by their workflow, or
-- in a stage where someone on staff has the ball (domain.StaffStages), whose deadline may
-- have passed. A finished complaint is neither, unless it went overdue: a year of closed
-- complaints stays out of this index. Newest first as searches list, with the columns the
-- search filters on, so its count reads the index alone.
CREATE INDEX complaints_overdue ON complaints (created_at DESC, code)
    INCLUDE (pokja, partner, category, kecamatan, channel, status, deadline, overdue, overall_overdue)
    WHERE overdue OR overall_overdue OR status IN ('received', 'at_pokja', 'at_partner', 'pokja_review', 'ready_to_publish');

-- Plans on the new columns need their statistics now, not at autovacuum's next round.
ANALYZE complaints;

-- +goose Down
DROP INDEX complaints_overdue;
DROP INDEX complaints_public_search;
DROP INDEX complaints_search;
ALTER TABLE complaints DROP COLUMN search_vector;
