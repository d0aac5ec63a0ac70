-- +goose Up
-- Nothing changes on the install side: 00007 prunes the cloud's record of
-- applied ops (see the Postgres migration). This file keeps both dialects at
-- the same version, which the push's schema check compares.
--
-- sync_prune relies on sync_outbox.seq only growing (AUTOINCREMENT): a later
-- migration that rebuilds sync_outbox must carry its sqlite_sequence row over.
SELECT 1;

-- +goose Down
SELECT 1;
