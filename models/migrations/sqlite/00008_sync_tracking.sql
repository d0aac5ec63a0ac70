-- +goose Up
-- Nothing changes on the install side: 00008 lets a cloud database that no
-- hybrid install uses skip version tracking (see the Postgres migration).
-- This file keeps both dialects at the same version.
SELECT 1;

-- +goose Down
SELECT 1;
