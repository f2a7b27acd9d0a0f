-- +goose Up
-- Several workers (and several attempts of one Notify activity) share the outbox. A
-- sender claims each row right before it sends it: claimed_by is the claim's random
-- token, claimed_until (00014) until when it holds, longer than a send can take. Two
-- senders never have one row in flight at once; a sender that dies leaves the row to be
-- taken again once the claim has passed.
ALTER TABLE notifications ADD COLUMN claimed_by text;
-- The relay claims the unstarted complaints whose workflows it starts, so two workers'
-- relays do not both start one (Temporal would take only one, but each start is a
-- request to a server that may just have come back from an outage).
ALTER TABLE complaints ADD COLUMN start_claimed_until timestamptz;

-- +goose Down
ALTER TABLE complaints DROP COLUMN start_claimed_until;
ALTER TABLE notifications DROP COLUMN claimed_by;
