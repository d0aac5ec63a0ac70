-- +goose Up
-- Postgres searches through the trigram index of 00001; this version only
-- keeps both dialects' schema versions in step.
SELECT 1;

-- +goose Down
SELECT 1;
