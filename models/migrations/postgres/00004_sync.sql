-- +goose Up
-- Hybrid sync, server side. Installs push their outbox through sync_apply;
-- every change to a synced table (pushed or written directly in cloud mode)
-- is stamped with a commit-ordered version in sync_rows, which installs pull.

-- The synced tables: an allow-list. Registering a table later (campaign send
-- results, ...) is a migration that inserts here and adds the sync_track trigger.
-- mode 'lww': field-level last-writer-wins by server version, deletes win;
-- mode 'append': insert-only rows that never conflict.
CREATE TABLE sync_tables (
    name TEXT PRIMARY KEY,
    pk   TEXT[] NOT NULL,
    mode TEXT NOT NULL DEFAULT 'lww' CHECK (mode IN ('lww', 'append'))
);
INSERT INTO sync_tables (name, pk) VALUES
    ('contacts', '{id}'), ('contact_groups', '{id}'), ('group_members', '{group_id,contact_id}');

-- One row: the version counter. A transaction that writes a synced table
-- bumps it once and holds the row lock until it commits, so versions are
-- handed out in commit order: when version V is visible, every version below
-- V is committed (or rolled back). Pulls can then page by version without
-- missing a slow transaction, which an updated_at or sequence cursor would.
CREATE TABLE sync_clock (
    one     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    version BIGINT NOT NULL
);
INSERT INTO sync_clock (one, version) VALUES (TRUE, 0);

-- The latest version of every synced row; deleted rows stay as tombstones.
CREATE TABLE sync_rows (
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL, -- primary key values joined by ':'
    version BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tbl, row_id)
);
CREATE INDEX sync_rows_cursor ON sync_rows (version, tbl, row_id);
-- Tombstones by id alone: "does this op refer to a deleted row?" (ids are UUIDs, unique across tables).
CREATE INDEX sync_rows_tombstones ON sync_rows (row_id) WHERE deleted;

-- Ops already applied, so a retried push applies nothing twice.
CREATE TABLE sync_applied (
    op_id      UUID PRIMARY KEY,
    install_id TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    status     TEXT NOT NULL,
    version    BIGINT,
    reason     TEXT,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sync_applied_install ON sync_applied (install_id, seq);

-- Settings installs read before pushing (min_client_schema).
CREATE TABLE sync_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO sync_meta (key, value) VALUES ('min_client_schema', '4');

-- One sender per campaign: the install holding an unexpired lease.
CREATE TABLE sync_leases (
    campaign_id TEXT PRIMARY KEY,
    install_id  TEXT NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- +goose StatementBegin
-- sync_tx_version returns this transaction's version, taking the next one
-- (and the counter's row lock) on first use.
CREATE FUNCTION sync_tx_version() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    IF current_setting('sambad.sync_tx', true) = txid_current()::text THEN
        RETURN current_setting('sambad.sync_version')::bigint;
    END IF;
    UPDATE sync_clock SET version = version + 1 RETURNING version INTO v;
    PERFORM set_config('sambad.sync_version', v::text, true);
    PERFORM set_config('sambad.sync_tx', txid_current()::text, true);
    RETURN v;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- sync_track stamps the rows a statement changed with this transaction's
-- version. It runs once per statement over the transition table "changed"
-- (bulk writes and cascaded deletes cost one insert, not one per row);
-- TG_ARGV holds the primary key columns.
CREATE FUNCTION sync_track() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM changed) THEN
        RETURN NULL;
    END IF;
    v := sync_tx_version();
    -- Dynamic SQL names the key columns directly (r.id::text), which is
    -- about twice as fast as going through to_jsonb(r) for every row.
    EXECUTE format('INSERT INTO sync_rows AS s (tbl, row_id, version, deleted) SELECT %L, %s, $1, %L FROM changed r
                    ON CONFLICT (tbl, row_id) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted',
                   TG_TABLE_NAME,
                   (SELECT string_agg(format('r.%I::text', c), ' || '':'' || ' ORDER BY i) FROM unnest(TG_ARGV) WITH ORDINALITY AS u(c, i)),
                   TG_OP = 'DELETE')
        USING v;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Registering a table: these three triggers, and a row in sync_tables.
CREATE TRIGGER contacts_sync_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER contacts_sync_update AFTER UPDATE ON contacts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER contacts_sync_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER contact_groups_sync_insert AFTER INSERT ON contact_groups REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER contact_groups_sync_update AFTER UPDATE ON contact_groups REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER contact_groups_sync_delete AFTER DELETE ON contact_groups REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER group_members_sync_insert AFTER INSERT ON group_members REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('group_id', 'contact_id');
CREATE TRIGGER group_members_sync_update AFTER UPDATE ON group_members REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('group_id', 'contact_id');
CREATE TRIGGER group_members_sync_delete AFTER DELETE ON group_members REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('group_id', 'contact_id');

-- Rows written before this migration get a version, so installs pull them.
INSERT INTO sync_rows (tbl, row_id, version)
SELECT 'contacts', id::text, 0 FROM contacts
UNION ALL SELECT 'contact_groups', id::text, 0 FROM contact_groups
UNION ALL SELECT 'group_members', group_id::text || ':' || contact_id::text, 0 FROM group_members;

-- Deletes win over edits, and over inserts whose key names a deleted row (a
-- contact's own id, a membership's contact or group). An insert whose only
-- tombstone is its own natural key (a member removed and added back) is a
-- newer write than the removal and is applied; sync_track clears the
-- tombstone, so every install pulls the row again.
-- +goose StatementBegin
-- sync_apply_each applies ops one by one, at most once each, and returns one
-- result per op. An op that fails is rolled back alone (its own
-- subtransaction) and reported as rejected.
CREATE FUNCTION sync_apply_each(ops JSONB)
RETURNS TABLE (op_id UUID, status TEXT, version BIGINT, reason TEXT) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    op      JSONB;
    prev    RECORD;
    tdef    RECORD;
    schema  BIGINT;
    st      TEXT;
    why     TEXT;
    tbl     TEXT;
    rid     TEXT;
    keycond TEXT;
    cols    TEXT;
    sets    TEXT;
    n       BIGINT;
BEGIN
    SELECT COALESCE(MAX(version_id), 0) INTO schema FROM goose_db_version WHERE is_applied;
    FOR op IN SELECT value FROM jsonb_array_elements(ops) LOOP
        op_id := (op->>'op_id')::uuid;
        SELECT a.status, a.version, a.reason INTO prev FROM sync_applied a WHERE a.op_id = (op->>'op_id')::uuid;
        IF FOUND THEN
            status := prev.status; version := prev.version; reason := prev.reason;
            RETURN NEXT;
            CONTINUE;
        END IF;
        IF (op->>'schema')::bigint > schema THEN
            -- Written by a newer schema than this database has: not applied, not recorded.
            status := 'schema'; version := NULL; reason := format('op needs schema %s, the database is at %s', op->>'schema', schema);
            RETURN NEXT;
            CONTINUE;
        END IF;
        tbl := op->>'table';
        rid := op->>'row_id';
        st := 'applied'; why := NULL;
        SELECT t.pk, t.mode INTO tdef FROM sync_tables t WHERE t.name = tbl;
        IF NOT FOUND THEN
            st := 'rejected'; why := format('table %s is not synced', tbl);
        ELSE
            SELECT string_agg(format('t.%I = k.%I', c, c), ' AND ') INTO keycond FROM unnest(tdef.pk) c;
            BEGIN
                IF op->>'kind' = 'delete' THEN
                    EXECUTE format('DELETE FROM %I t USING jsonb_populate_record(NULL::%I, $1) k WHERE %s', tbl, tbl, keycond) USING op->'key';
                    -- Deletes win: leave a tombstone even when the row was never here.
                    INSERT INTO sync_rows AS s (tbl, row_id, version, deleted) VALUES (tbl, rid, sync_tx_version(), TRUE)
                    ON CONFLICT (tbl, row_id) DO UPDATE SET deleted = TRUE, version = EXCLUDED.version WHERE NOT s.deleted;
                ELSIF op->>'kind' = 'insert'
                      AND EXISTS (SELECT 1 FROM jsonb_each_text(op->'key') kv JOIN sync_rows s ON s.row_id = kv.value AND s.deleted) THEN
                    -- An insert loses to the delete of a row its key names:
                    -- its own id, or a parent's. The tombstone of a natural
                    -- key (a membership removed earlier) does not stop it.
                    st := 'deleted'; why := 'the row, or a row it refers to, was deleted';
                ELSIF op->>'kind' <> 'insert' AND EXISTS (SELECT 1 FROM sync_rows s WHERE s.tbl = op->>'table' AND s.row_id = rid AND s.deleted) THEN
                    st := 'deleted'; why := 'the row was deleted';
                ELSIF op->>'kind' = 'insert' THEN
                    SELECT string_agg(format('%I', k), ', '),
                           string_agg(format('%I = EXCLUDED.%I', k, k), ', ') FILTER (WHERE NOT k = ANY (tdef.pk))
                      INTO cols, sets FROM jsonb_object_keys(op->'fields') k;
                    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM jsonb_populate_record(NULL::%I, $1) r ON CONFLICT (%s) DO %s',
                        tbl, cols, cols, tbl,
                        (SELECT string_agg(format('%I', c), ', ') FROM unnest(tdef.pk) c),
                        CASE WHEN tdef.mode = 'append' OR sets IS NULL THEN 'NOTHING' ELSE 'UPDATE SET ' || sets END)
                        USING op->'fields';
                ELSIF op->>'kind' = 'update' AND tdef.mode = 'lww' THEN
                    SELECT string_agg(format('%I = r.%I', k, k), ', ') INTO sets
                      FROM jsonb_object_keys(op->'fields') k WHERE NOT k = ANY (tdef.pk);
                    IF sets IS NOT NULL THEN
                        EXECUTE format('UPDATE %I t SET %s FROM jsonb_populate_record(NULL::%I, $1) r, jsonb_populate_record(NULL::%I, $2) k WHERE %s',
                            tbl, sets, tbl, tbl, keycond) USING op->'fields', op->'key';
                        GET DIAGNOSTICS n = ROW_COUNT;
                        IF n = 0 THEN
                            st := 'rejected'; why := 'the row does not exist in the cloud database';
                        END IF;
                    END IF;
                ELSE
                    st := 'rejected'; why := format('unknown op kind %s for table %s', op->>'kind', tbl);
                END IF;
            EXCEPTION
                WHEN deadlock_detected OR serialization_failure OR lock_not_available THEN
                    -- Transient: fail the whole batch; the install retries it.
                    RAISE;
                WHEN foreign_key_violation THEN
                    -- A parent deleted by another install: deletes win. Otherwise a real error.
                    IF EXISTS (SELECT 1 FROM sync_rows s, jsonb_each_text(op->'key') kv WHERE s.row_id = kv.value AND s.deleted) THEN
                        st := 'deleted'; why := 'a row it refers to was deleted';
                    ELSE
                        st := 'rejected'; why := SQLERRM;
                    END IF;
                WHEN OTHERS THEN
                    st := 'rejected'; why := SQLERRM;
            END;
        END IF;
        status := st; reason := why;
        version := CASE WHEN st = 'applied' THEN sync_tx_version() END;
        INSERT INTO sync_applied (op_id, install_id, seq, status, version, reason)
        VALUES (op_id, op->>'install_id', (op->>'seq')::bigint, st, version, why);
        RETURN NEXT;
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- sync_apply_run applies a run of ops on one table, of one kind, with the
-- same fields and no row twice, as one set-based statement, and records
-- them. It raises on anything unusual; sync_apply then redoes the batch op
-- by op.
CREATE FUNCTION sync_apply_run(run JSONB[]) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    tbl   TEXT;
    kind  TEXT;
    tdef  RECORD;
    cond  TEXT;
    cols  TEXT;
    sets  TEXT;
    tombs TEXT[];
    rows  JSONB;
    n     BIGINT;
    v     BIGINT;
BEGIN
    IF cardinality(run) = 0 THEN
        RETURN;
    END IF;
    tbl := run[1]->>'table';
    kind := run[1]->>'kind';
    IF NOT (SELECT count(*) = count(DISTINCT o->>'row_id') AND bool_and(o->>'table' = tbl AND o->>'kind' = kind)
                   AND count(DISTINCT (SELECT string_agg(x, ',' ORDER BY x) FROM jsonb_object_keys(o->'fields') x)) = 1
              FROM unnest(run) o) THEN
        RAISE EXCEPTION 'not a uniform run';
    END IF;
    SELECT t.pk, t.mode INTO tdef FROM sync_tables t WHERE t.name = tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not synced', tbl;
    END IF;
    SELECT string_agg(format('t.%I = r.%I', c, c), ' AND ') INTO cond FROM unnest(tdef.pk) c;
    v := sync_tx_version();
    -- Deletes win: edits of rows already deleted, and ops on rows whose key
    -- names a deleted row (a deleted contact's own id; the contact or group
    -- of a membership), are answered 'deleted'. An insert whose only
    -- tombstone is its own natural key (a membership removed earlier and
    -- now added back) is a newer write than the removal and is applied.
    SELECT COALESCE(array_agg(o->>'row_id'), '{}') INTO tombs FROM unnest(run) o
     WHERE (kind <> 'insert' AND EXISTS (SELECT 1 FROM sync_rows s WHERE s.tbl = o->>'table' AND s.row_id = o->>'row_id' AND s.deleted))
        OR EXISTS (SELECT 1 FROM jsonb_each_text(o->'key') kv JOIN sync_rows s ON s.row_id = kv.value AND s.deleted);
    IF kind = 'delete' THEN
        SELECT jsonb_agg(o->'key') INTO rows FROM unnest(run) o;
        EXECUTE format('DELETE FROM %I t USING jsonb_populate_recordset(NULL::%I, $1) r WHERE %s', tbl, tbl, cond) USING rows;
        INSERT INTO sync_rows AS s (tbl, row_id, version, deleted)
        SELECT tbl, o->>'row_id', v, TRUE FROM unnest(run) o
        ON CONFLICT (tbl, row_id) DO UPDATE SET deleted = TRUE, version = EXCLUDED.version WHERE NOT s.deleted;
        tombs := '{}';
    ELSE
        SELECT COALESCE(jsonb_agg((o->'fields') || (o->'key')), '[]') INTO rows FROM unnest(run) o WHERE NOT (o->>'row_id') = ANY (tombs);
        IF kind = 'insert' THEN
            SELECT string_agg(format('%I', x), ', '), string_agg(format('%I = EXCLUDED.%I', x, x), ', ') FILTER (WHERE NOT x = ANY (tdef.pk))
              INTO cols, sets FROM jsonb_object_keys(run[1]->'fields') x;
            EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM jsonb_populate_recordset(NULL::%I, $1) r ON CONFLICT (%s) DO %s',
                tbl, cols, cols, tbl,
                (SELECT string_agg(format('%I', c), ', ') FROM unnest(tdef.pk) c),
                CASE WHEN tdef.mode = 'append' OR sets IS NULL THEN 'NOTHING' ELSE 'UPDATE SET ' || sets END)
                USING rows;
        ELSIF kind = 'update' AND tdef.mode = 'lww' THEN
            SELECT string_agg(format('%I = r.%I', x, x), ', ') INTO sets
              FROM jsonb_object_keys(run[1]->'fields') x WHERE NOT x = ANY (tdef.pk);
            IF sets IS NOT NULL THEN
                EXECUTE format('UPDATE %I t SET %s FROM jsonb_populate_recordset(NULL::%I, $1) r WHERE %s', tbl, sets, tbl, cond) USING rows;
                GET DIAGNOSTICS n = ROW_COUNT;
                IF n <> jsonb_array_length(rows) THEN
                    RAISE EXCEPTION 'some rows do not exist';
                END IF;
            END IF;
        ELSE
            RAISE EXCEPTION 'op kind % on table %', kind, tbl;
        END IF;
    END IF;
    INSERT INTO sync_applied (op_id, install_id, seq, status, version, reason)
    SELECT (o->>'op_id')::uuid, o->>'install_id', (o->>'seq')::bigint,
           CASE WHEN (o->>'row_id') = ANY (tombs) THEN 'deleted' ELSE 'applied' END,
           CASE WHEN (o->>'row_id') = ANY (tombs) THEN NULL ELSE v END,
           CASE WHEN (o->>'row_id') = ANY (tombs) THEN 'the row, or a row it refers to, was deleted' END
      FROM unnest(run) o;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- sync_apply_runs applies a batch as runs of similar ops (the fast path).
-- The installs number the runs ("run"); sync_apply_run checks each run
-- really is uniform, so a wrong grouping only costs the slow path.
CREATE FUNCTION sync_apply_runs(ops JSONB) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    schema BIGINT;
    r      RECORD;
BEGIN
    SELECT COALESCE(MAX(version_id), 0) INTO schema FROM goose_db_version WHERE is_applied;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(ops) o WHERE (o->>'schema')::bigint > schema) THEN
        RAISE EXCEPTION 'op from a newer schema';
    END IF;
    -- Grouping materialises the batch (and its already-applied filter) before any run is applied.
    FOR r IN SELECT array_agg(e.o ORDER BY e.i) AS run
               FROM jsonb_array_elements(ops) WITH ORDINALITY AS e(o, i)
              WHERE NOT EXISTS (SELECT 1 FROM sync_applied a WHERE a.op_id = (e.o->>'op_id')::uuid)
              GROUP BY e.o->>'run'
              ORDER BY min(e.i) LOOP
        PERFORM sync_apply_run(r.run);
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
-- sync_apply applies a batch of ops (a JSON array, in the installs' order) at
-- most once each and returns one result per op: applied (with the version
-- stamped), deleted (lost to a delete), rejected (with the reason), or
-- schema (needs a newer cloud schema; not applied, not recorded). It tries
-- the set-based fast path first and, if anything in the batch needs care
-- (a conflict, a missing row, a newer schema), redoes the batch op by op.
CREATE FUNCTION sync_apply(ops JSONB)
RETURNS TABLE (op_id UUID, status TEXT, version BIGINT, reason TEXT) LANGUAGE plpgsql AS $$
DECLARE
    fast BOOLEAN := TRUE;
BEGIN
    -- Take this transaction's version (and the counter's lock) before any
    -- row lock: appliers then queue at the door instead of deadlocking on
    -- each other's rows, and a retried batch waits for the first attempt
    -- to finish and finds its ops already applied.
    PERFORM sync_tx_version();
    BEGIN
        PERFORM sync_apply_runs(ops);
    EXCEPTION
        WHEN deadlock_detected OR serialization_failure OR lock_not_available THEN
            RAISE;
        WHEN OTHERS THEN
            fast := FALSE;
    END;
    IF fast THEN
        RETURN QUERY SELECT a.op_id, a.status, a.version, a.reason
          FROM jsonb_array_elements(ops) WITH ORDINALITY AS e(op, i)
          JOIN sync_applied a ON a.op_id = (e.op->>'op_id')::uuid
         ORDER BY e.i;
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM sync_apply_each(ops);
END $$;
-- +goose StatementEnd

-- Supabase publishes the public schema through its REST API: with row level
-- security on and no policies, its anon and authenticated roles see nothing,
-- while Sambad's own role (the tables' owner) is not affected.
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE group_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_tables ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_clock ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_applied ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_meta ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_leases ENABLE ROW LEVEL SECURITY;

-- +goose Down
ALTER TABLE group_members DISABLE ROW LEVEL SECURITY;
ALTER TABLE contact_groups DISABLE ROW LEVEL SECURITY;
ALTER TABLE contacts DISABLE ROW LEVEL SECURITY;
DROP FUNCTION sync_apply(JSONB);
DROP FUNCTION sync_apply_runs(JSONB);
DROP FUNCTION sync_apply_run(JSONB[]);
DROP FUNCTION sync_apply_each(JSONB);
DROP TRIGGER group_members_sync_insert ON group_members;
DROP TRIGGER group_members_sync_update ON group_members;
DROP TRIGGER group_members_sync_delete ON group_members;
DROP TRIGGER contact_groups_sync_insert ON contact_groups;
DROP TRIGGER contact_groups_sync_update ON contact_groups;
DROP TRIGGER contact_groups_sync_delete ON contact_groups;
DROP TRIGGER contacts_sync_insert ON contacts;
DROP TRIGGER contacts_sync_update ON contacts;
DROP TRIGGER contacts_sync_delete ON contacts;
DROP FUNCTION sync_track();
DROP FUNCTION sync_tx_version();
DROP TABLE sync_leases;
DROP TABLE sync_meta;
DROP TABLE sync_applied;
DROP TABLE sync_rows;
DROP TABLE sync_clock;
DROP TABLE sync_tables;
