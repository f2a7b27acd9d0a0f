-- +goose Up
-- With a year of complaints the outbox holds hundreds of thousands of rows, and two
-- lookups read all of them: a complaint's messages (the complaint page, the staff view)
-- by code, and an occasion's messages (every Notify activity) by the prefix of their
-- dedupe key, which the unique index cannot serve under a non-C collation. make bench
-- measured each at about 150 ms over 200,000 rows; with these, a few milliseconds.
CREATE INDEX notifications_code ON notifications (code, recipient, id);
CREATE INDEX notifications_dedupe_prefix ON notifications (dedupe_key text_pattern_ops);

-- +goose Down
DROP INDEX notifications_dedupe_prefix;
DROP INDEX notifications_code;
