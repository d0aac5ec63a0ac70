-- +goose Up
-- Two changes to hybrid sync's server side: delete runs take the fast path
-- again, and installs prune sync_applied of ops they can no longer retry.

-- +goose StatementBegin
-- sync_apply_run as in 00004, but its tombstone insert names the conflict
-- target by constraint: "ON CONFLICT (tbl, row_id)" is ambiguous with the
-- variable tbl, so every run of deletes raised and sync_apply redid the
-- batch op by op. (The tbl in that insert's SELECT list is the variable,
-- as meant: no column of that name is in scope there.) A delete run also no
-- longer looks up tombstones it then ignores.
CREATE OR REPLACE FUNCTION sync_apply_run(run JSONB[]) RETURNS VOID LANGUAGE plpgsql AS $$
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
    -- A delete is applied whatever tombstones there are (deletes win).
    IF kind <> 'delete' THEN
        SELECT COALESCE(array_agg(o->>'row_id'), '{}') INTO tombs FROM unnest(run) o
         WHERE (kind <> 'insert' AND EXISTS (SELECT 1 FROM sync_rows s WHERE s.tbl = o->>'table' AND s.row_id = o->>'row_id' AND s.deleted))
            OR EXISTS (SELECT 1 FROM jsonb_each_text(o->'key') kv JOIN sync_rows s ON s.row_id = kv.value AND s.deleted);
    ELSE
        tombs := '{}';
    END IF;
    IF kind = 'delete' THEN
        SELECT jsonb_agg(o->'key') INTO rows FROM unnest(run) o;
        EXECUTE format('DELETE FROM %I t USING jsonb_populate_recordset(NULL::%I, $1) r WHERE %s', tbl, tbl, cond) USING rows;
        INSERT INTO sync_rows AS s (tbl, row_id, version, deleted)
        SELECT tbl, o->>'row_id', v, TRUE FROM unnest(run) o
        ON CONFLICT ON CONSTRAINT sync_rows_pkey DO UPDATE SET deleted = TRUE, version = EXCLUDED.version WHERE NOT s.deleted;
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

-- sync_applied_install (install_id, seq), from 00004, is the index sync_prune walks.

-- +goose StatementBegin
-- sync_prune deletes up to max_rows of install's sync_applied rows whose seq
-- is below "below", and returns how many it deleted; the caller repeats
-- while it gets max_rows back, each call its own short transaction.
--
-- sync_applied exists so that a retried push applies nothing twice, and an
-- install retries only ops still in its outbox. Seqs are per install and
-- only grow (SQLite AUTOINCREMENT), and an op leaves the outbox only once
-- the cloud's answer for it is acknowledged there, so an install passes the
-- lowest seq in its outbox (or one past the highest it ever wrote, when the
-- outbox is empty): no op below it will ever be sent again, and its record
-- can go. An op whose answer was lost is still in the outbox, hence at or
-- above "below", and keeps its record. The call is safe however late it
-- runs: "below" stays a valid bound once it was read.
--
-- The tombstones in sync_rows are NOT pruned: they make a delete win over
-- an edit or insert that reaches the cloud later, from an install that may
-- have been offline for months, and tell installs pulling later to delete.
CREATE FUNCTION sync_prune(install TEXT, below BIGINT, max_rows INTEGER DEFAULT 5000)
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    n BIGINT;
BEGIN
    IF install IS NULL OR install = '' THEN
        RAISE EXCEPTION 'sync_prune: the install id is missing';
    END IF;
    IF below IS NULL OR max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'sync_prune: needs a seq bound and a positive max_rows (got %, %)', below, max_rows;
    END IF;
    DELETE FROM sync_applied a
     WHERE a.op_id IN (SELECT b.op_id FROM sync_applied b
                        WHERE b.install_id = install AND b.seq < below
                        ORDER BY b.seq LIMIT max_rows);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION sync_prune(TEXT, BIGINT, INTEGER);

-- +goose StatementBegin
-- sync_apply_run as 00004 made it.
CREATE OR REPLACE FUNCTION sync_apply_run(run JSONB[]) RETURNS VOID LANGUAGE plpgsql AS $$
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
