-- +goose Up
-- The regency's deadline policy, one row per version. The newest applies to stages that
-- start after it was written; running stages keep the version they started with.
CREATE TABLE sla_policies (
    version    serial PRIMARY KEY,
    policy     jsonb NOT NULL,
    note       text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The overall clock (from a complete report to its answer) is watched separately.
ALTER TABLE complaints ADD COLUMN overall_deadline timestamptz;
ALTER TABLE complaints ADD COLUMN overall_overdue boolean NOT NULL DEFAULT false;
-- Why the workflow closed a complaint by itself (no_reply).
ALTER TABLE complaints ADD COLUMN close_reason text;

-- +goose Down
ALTER TABLE complaints DROP COLUMN close_reason;
ALTER TABLE complaints DROP COLUMN overall_overdue;
ALTER TABLE complaints DROP COLUMN overall_deadline;
DROP TABLE sla_policies;
