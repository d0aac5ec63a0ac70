-- +goose Up
-- Version tracking (sync_rows) is what hybrid installs pull by; a cloud
-- database that only `cloud` installs use needs none of it, and it is most
-- of what a big write costs (freezing 100,000 recipients: ~1 s of ~2.5 s).
-- So it starts 'off' on a new database and a hybrid install turns it on for
-- good when it first connects (sync_enable_tracking), recording every row
-- already stored. A database that has tracked anything keeps tracking.
INSERT INTO sync_meta (key, value)
SELECT 'tracking', CASE WHEN (SELECT version FROM sync_clock) > 0 OR EXISTS (SELECT 1 FROM sync_leases) THEN 'on' ELSE 'off' END;

-- +goose StatementBegin
-- sync_tracking reports whether writes are tracked. Off, it takes a share
-- lock on the setting, held to the end of the writing transaction, so that
-- sync_enable_tracking (which updates it) waits for every writer that saw
-- 'off' to commit before recording the rows stored, and writers that come
-- after see 'on'. On, it is a plain read: tracking never turns off.
CREATE FUNCTION sync_tracking() RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    v TEXT;
BEGIN
    SELECT value INTO v FROM sync_meta WHERE key = 'tracking';
    IF v IS DISTINCT FROM 'off' THEN
        RETURN TRUE;
    END IF;
    SELECT value INTO v FROM sync_meta WHERE key = 'tracking' FOR SHARE;
    RETURN v IS DISTINCT FROM 'off';
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sync_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM changed) OR NOT sync_tracking() THEN
        RETURN NULL;
    END IF;
    v := sync_tx_version();
    EXECUTE format('INSERT INTO sync_rows AS s (tbl, row_id, version, deleted) SELECT %L, %s, $1, %L FROM changed r
                    ON CONFLICT (tbl, row_id) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted',
                   TG_TABLE_NAME,
                   (SELECT string_agg(format('r.%I::text', c), ' || '':'' || ' ORDER BY i) FROM unnest(TG_ARGV) WITH ORDINALITY AS u(c, i)),
                   TG_OP = 'DELETE')
        USING v;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- sync_enable_tracking turns tracking on (once) and gives every row of
-- every synced table a version, so that the first hybrid install pulls what
-- `cloud` installs wrote before. It returns whether it did anything.
CREATE FUNCTION sync_enable_tracking() RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
    v BIGINT;
BEGIN
    IF (SELECT value FROM sync_meta WHERE key = 'tracking') IS DISTINCT FROM 'off' THEN
        RETURN FALSE;
    END IF;
    -- Waits for the writers holding sync_tracking's share lock.
    UPDATE sync_meta SET value = 'on' WHERE key = 'tracking' AND value = 'off';
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    v := sync_tx_version();
    FOR t IN SELECT name, pk FROM sync_tables LOOP
        EXECUTE format('INSERT INTO sync_rows AS s (tbl, row_id, version, deleted) SELECT %L, %s, $1, FALSE FROM %I r
                        ON CONFLICT (tbl, row_id) DO UPDATE SET version = EXCLUDED.version, deleted = FALSE',
                       t.name,
                       (SELECT string_agg(format('r.%I::text', c), ' || '':'' || ' ORDER BY i) FROM unnest(t.pk) WITH ORDINALITY AS u(c, i)),
                       t.name)
            USING v;
    END LOOP;
    RETURN TRUE;
END $$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION sync_enable_tracking();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sync_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM changed) THEN
        RETURN NULL;
    END IF;
    v := sync_tx_version();
    EXECUTE format('INSERT INTO sync_rows AS s (tbl, row_id, version, deleted) SELECT %L, %s, $1, %L FROM changed r
                    ON CONFLICT (tbl, row_id) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted',
                   TG_TABLE_NAME,
                   (SELECT string_agg(format('r.%I::text', c), ' || '':'' || ' ORDER BY i) FROM unnest(TG_ARGV) WITH ORDINALITY AS u(c, i)),
                   TG_OP = 'DELETE')
        USING v;
    RETURN NULL;
END $$;
-- +goose StatementEnd
DROP FUNCTION sync_tracking();
DELETE FROM sync_meta WHERE key = 'tracking';
