-- +goose Up
-- The report, the inbox and the searches read the complaints, their visits and their
-- events from index-only scans, which stay index-only only while the visibility map
-- says the pages are all visible: that is, while vacuum keeps up. PostgreSQL's default
-- waits until a fifth of a table has changed (20,000 rows of a year's 100,000), and
-- until then make bench saw the report's statements fall back to reading the tables
-- (a sequential scan of the complaints, bitmap heap scans of the visits: 2 to 3 times
-- slower). Vacuumed and analyzed after 2 % instead.
ALTER TABLE complaints SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE complaint_visits SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE complaint_events SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02);

-- +goose Down
ALTER TABLE complaint_events RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor,
    autovacuum_analyze_scale_factor);
ALTER TABLE complaint_visits RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor,
    autovacuum_analyze_scale_factor);
ALTER TABLE complaints RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor,
    autovacuum_analyze_scale_factor);
