-- +goose Up
-- The reports page counts every listed campaign's recipients per run and
-- state (models.RunReports): with this index that count reads the index
-- alone instead of every recipient row (BENCHMARKS.md, "Reports page").
CREATE INDEX campaign_recipients_run_state ON campaign_recipients (campaign_id, run, state);

-- +goose Down
DROP INDEX campaign_recipients_run_state;
