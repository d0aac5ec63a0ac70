-- +goose Up
-- Nothing changes on the install side (see the Postgres migration). This
-- file keeps both dialects at the same version, which the push's schema
-- check compares.
SELECT 1;

-- +goose Down
SELECT 1;
