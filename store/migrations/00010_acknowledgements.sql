-- +goose Up
-- A new complaint's acknowledgement (its code and tracking link, on the complainant's
-- channel) is sent by the worker's acknowledger from PostgreSQL, not by the workflow: it
-- goes out even while Temporal is unreachable, and costs the workflow no activity.
-- Complaints taken before this migration were acknowledged by their workflows.
ALTER TABLE complaints ADD COLUMN ack_pending boolean NOT NULL DEFAULT false;
ALTER TABLE complaints ALTER COLUMN ack_pending SET DEFAULT true;
-- Until when a worker holds a pending acknowledgement (several workers share the work).
ALTER TABLE complaints ADD COLUMN ack_claimed_until timestamptz;
CREATE INDEX complaints_ack_pending ON complaints (created_at) WHERE ack_pending;

-- +goose Down
DROP INDEX complaints_ack_pending;
ALTER TABLE complaints DROP COLUMN ack_claimed_until;
ALTER TABLE complaints DROP COLUMN ack_pending;
