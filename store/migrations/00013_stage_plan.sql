-- +goose Up
-- The plan of the current stage's clock (reminders, deadline, escalations) as the
-- projection laid it out, so the staff console shows what comes next without asking the
-- workflow. Written at intake and by every projection that starts a clock.
ALTER TABLE complaints ADD COLUMN stage_plan jsonb;

-- +goose Down
ALTER TABLE complaints DROP COLUMN stage_plan;
