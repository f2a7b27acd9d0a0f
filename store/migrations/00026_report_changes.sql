-- +goose Up
-- The evaluation report of a year reads about 100,000 complaints and 450,000 stage
-- visits: a few hundred milliseconds of CPU each time (docs/PERFORMANCE.md). The core
-- keeps a computed report while nothing it reads has changed (complaints.reportCache);
-- report_changes says when something has: every statement that writes what a report
-- reads draws a number from it. A sequence, so writers never wait for one another (a
-- counter row would make every write queue on its lock).
CREATE SEQUENCE report_changes;

-- +goose StatementBegin
CREATE FUNCTION report_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('report_changes');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- Of the complaints, the updates of what a report reads (store.reportStatements): the
-- loops that claim rows (acknowledgements, starts) update other columns every few
-- seconds, matching rows or not, and would otherwise change the number all the time.
CREATE TRIGGER complaints_report_changed AFTER INSERT OR DELETE OR TRUNCATE ON complaints
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
CREATE TRIGGER complaints_report_updated AFTER UPDATE OF code, created_at, kecamatan, desa, category, pokja, partner,
    channel, status, confidential, reopen_count, overdue, overall_overdue, deadline ON complaints
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
CREATE TRIGGER complaint_events_report_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint_events
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
CREATE TRIGGER complaint_feedback_report_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaint_feedback
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
-- The names of places and groups label the report's rows.
CREATE TRIGGER kecamatan_report_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kecamatan
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
CREATE TRIGGER desa_report_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON desa
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
CREATE TRIGGER pokja_report_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pokja
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();
CREATE TRIGGER partners_report_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners
    FOR EACH STATEMENT EXECUTE FUNCTION report_changed();

-- +goose Down
DROP TRIGGER partners_report_changed ON partners;
DROP TRIGGER pokja_report_changed ON pokja;
DROP TRIGGER desa_report_changed ON desa;
DROP TRIGGER kecamatan_report_changed ON kecamatan;
DROP TRIGGER complaint_feedback_report_changed ON complaint_feedback;
DROP TRIGGER complaint_events_report_changed ON complaint_events;
DROP TRIGGER complaints_report_updated ON complaints;
DROP TRIGGER complaints_report_changed ON complaints;
DROP FUNCTION report_changed();
DROP SEQUENCE report_changes;
