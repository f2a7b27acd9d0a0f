-- +goose Up
-- The evaluation report (store.Report) measures how long complaints stay in each stage:
-- a visit starts at an event whose status differs from the event before and ends at the
-- next such event. Computed from the audit trail at each request (window functions over
-- every event of the period) a year of complaints took seconds; kept here, one row per
-- visit, the report reads the visits of its period instead (docs/PERFORMANCE.md).
--
-- The audit trail stays the one source: triggers on complaint_events follow every event
-- written (inserted, changed by a retried projection or by hand, deleted), so the visits
-- always follow the events.
--   action, prev_status  the starting event's action and the status it left;
--   left_at, seconds     when it left the stage, and how long it stayed (NULL while it
--                        is still there);
--   created_at           the complaint's (kept equal by a trigger on complaints): the
--                        report's cohort without reading the complaints;
--   first_answer         the complaint's first answer: its first publication, or its
--                        close from ready_to_publish (answered privately);
--   first_publication    its first publication.
-- No foreign key to complaints: the visits go with their events (whose own key keeps a
-- complaint from going while they exist), and a check per visit would slow every write.
CREATE TABLE complaint_visits (
    code              text NOT NULL,
    seq               bigint NOT NULL,
    status            text NOT NULL,
    action            text NOT NULL,
    prev_status       text,
    entered_at        timestamptz NOT NULL,
    left_at           timestamptz,
    seconds           float8,
    created_at        timestamptz NOT NULL,
    first_answer      boolean NOT NULL,
    first_publication boolean NOT NULL,
    PRIMARY KEY (code, seq)
);
-- The stage times of a period's complaints, stage by stage, read from the index alone.
CREATE INDEX complaint_visits_stages ON complaint_visits (status, created_at) INCLUDE (code, seconds)
    WHERE seconds IS NOT NULL;
-- The answers and publications of a period.
CREATE INDEX complaint_visits_firsts ON complaint_visits (entered_at)
    INCLUDE (code, created_at, first_answer, first_publication) WHERE first_answer OR first_publication;
-- The report asks which complaints ever went overdue.
CREATE INDEX complaint_events_overdue ON complaint_events (code) WHERE action = 'overdue';
-- The report's cohort (the complaints created in its period) with every column the
-- report reads of them: an index-only scan instead of reading the wide rows (text,
-- answers, search vectors) of a year of complaints.
CREATE INDEX complaints_report ON complaints (created_at) INCLUDE (code, kecamatan, desa, category, pokja,
    partner, channel, status, confidential, reopen_count, overdue, overall_overdue, deadline);

-- complaint_visits_lay_out lays out again every visit of the given complaints from their
-- events.
-- +goose StatementBegin
CREATE FUNCTION complaint_visits_lay_out(codes text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM complaint_visits WHERE code = ANY (codes);
    WITH e AS (
        SELECT code, seq, at, status, action, lag(status) OVER (PARTITION BY code ORDER BY seq) AS prev
        FROM complaint_events WHERE code = ANY (codes)
    ), s AS (
        SELECT e.*, (status = 'published' OR (status = 'closed' AND action = 'close' AND prev = 'ready_to_publish')) AS answer
        FROM e WHERE prev IS DISTINCT FROM status
    )
    INSERT INTO complaint_visits (code, seq, status, action, prev_status, entered_at, left_at, seconds, created_at,
        first_answer, first_publication)
    SELECT s.code, s.seq, s.status, s.action, s.prev, s.at, lead(s.at) OVER w,
        extract(epoch FROM lead(s.at) OVER w - s.at)::float8, c.created_at,
        s.answer AND count(*) FILTER (WHERE s.answer) OVER w = 1,
        s.status = 'published' AND count(*) FILTER (WHERE s.status = 'published') OVER w = 1
    FROM s JOIN complaints c ON c.code = s.code
    WINDOW w AS (PARTITION BY s.code ORDER BY s.seq);
END;
$$;
-- +goose StatementEnd

-- complaint_visits_follow follows the events a statement wrote. One event appended after
-- the complaint's last (intake, every projection) closes the current visit and opens the
-- next when the status changes, and does nothing else when it does not: a few index
-- lookups. Anything else (several events, as a bulk load writes them; an event written out
-- of order, changed by a retried projection or by hand, deleted) lays out the complaints'
-- visits again, in one pass. The complaints' rows are locked first (in code order), so two
-- transactions writing events of one complaint follow them one after the other, the
-- second seeing the first's (PL/pgSQL takes a fresh snapshot per statement).
-- +goose StatementBegin
CREATE FUNCTION complaint_visits_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    evs complaint_events[];
    ev complaint_events;
    created timestamptz;
    cur_seq bigint;
    cur_status text;
    later boolean;
    answer boolean;
    publication boolean;
    codes text[];
BEGIN
    SELECT array_agg(x::complaint_events) INTO evs FROM (SELECT * FROM changed_events LIMIT 2) x;
    IF evs IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' AND cardinality(evs) = 1 THEN
        ev := evs[1];
        SELECT c.created_at, v.seq, v.status,
                EXISTS (SELECT 1 FROM complaint_events e WHERE e.code = c.code AND e.seq > ev.seq)
            INTO created, cur_seq, cur_status, later
            FROM complaints c
            LEFT JOIN LATERAL (SELECT v.seq, v.status FROM complaint_visits v WHERE v.code = c.code
                ORDER BY v.seq DESC LIMIT 1) v ON true
            WHERE c.code = ev.code
            FOR UPDATE OF c;
        IF (cur_seq IS NULL OR ev.seq > cur_seq) AND NOT later THEN
            IF cur_status IS DISTINCT FROM ev.status THEN
                UPDATE complaint_visits v SET left_at = ev.at, seconds = extract(epoch FROM ev.at - v.entered_at)
                    WHERE v.code = ev.code AND v.seq = cur_seq;
                answer := ev.status = 'published' OR (ev.status = 'closed' AND ev.action = 'close' AND cur_status = 'ready_to_publish');
                IF answer THEN
                    answer := NOT EXISTS (SELECT 1 FROM complaint_visits v WHERE v.code = ev.code AND v.first_answer);
                END IF;
                publication := ev.status = 'published';
                IF publication THEN
                    publication := NOT EXISTS (SELECT 1 FROM complaint_visits v WHERE v.code = ev.code AND v.status = 'published');
                END IF;
                INSERT INTO complaint_visits (code, seq, status, action, prev_status, entered_at, created_at,
                    first_answer, first_publication)
                VALUES (ev.code, ev.seq, ev.status, ev.action, cur_status, ev.at, created, answer, publication);
            END IF;
            RETURN NULL;
        END IF;
    END IF;
    SELECT array_agg(DISTINCT code) INTO codes FROM changed_events;
    PERFORM 1 FROM complaints c WHERE c.code = ANY (codes) ORDER BY c.code FOR UPDATE;
    PERFORM complaint_visits_lay_out(codes);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION complaint_visits_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE complaint_visits SET created_at = NEW.created_at WHERE code = NEW.code;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- A lay-out reads and writes its complaints' rows by index, however many they are (the
-- thousands of a bulk load's statement too: a scan of every visit and every event at each
-- statement would make a load quadratic).
ALTER FUNCTION complaint_visits_lay_out(text[]) SET enable_seqscan = off;
CREATE TRIGGER complaint_events_visits_insert AFTER INSERT ON complaint_events
    REFERENCING NEW TABLE AS changed_events FOR EACH STATEMENT EXECUTE FUNCTION complaint_visits_follow();
CREATE TRIGGER complaint_events_visits_update AFTER UPDATE ON complaint_events
    REFERENCING NEW TABLE AS changed_events FOR EACH STATEMENT EXECUTE FUNCTION complaint_visits_follow();
CREATE TRIGGER complaint_events_visits_delete AFTER DELETE ON complaint_events
    REFERENCING OLD TABLE AS changed_events FOR EACH STATEMENT EXECUTE FUNCTION complaint_visits_follow();
CREATE TRIGGER complaints_visits_created AFTER UPDATE OF created_at ON complaints
    FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at) EXECUTE FUNCTION complaint_visits_created();

-- The visits of the complaints there are.
SELECT complaint_visits_lay_out(array_agg(code)) FROM complaints;
ANALYZE complaint_visits;

-- +goose Down
DROP TRIGGER complaints_visits_created ON complaints;
DROP TRIGGER complaint_events_visits_delete ON complaint_events;
DROP TRIGGER complaint_events_visits_update ON complaint_events;
DROP TRIGGER complaint_events_visits_insert ON complaint_events;
DROP FUNCTION complaint_visits_created();
DROP FUNCTION complaint_visits_follow();
DROP FUNCTION complaint_visits_lay_out(text[]);
DROP INDEX complaints_report;
DROP INDEX complaint_events_overdue;
DROP TABLE complaint_visits;
