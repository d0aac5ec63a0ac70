-- +goose Up
-- The fix of 00006 is in Postgres's sync_apply; this version only keeps both
-- dialects' schema versions in step.
SELECT 1;

-- +goose Down
SELECT 1;
