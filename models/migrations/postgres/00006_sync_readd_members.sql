-- +goose Up
-- A group membership's key is natural, (group_id, contact_id): removing a
-- contact from a group and adding it back writes the same row id again.
-- 00004's sync_apply answered such a re-add 'deleted' (lost to the removal's
-- tombstone), so the cloud never had the membership again while the install
-- that re-added it kept it: the two stayed apart for good. Deletes still win
-- over edits, and over inserts whose key names a deleted row (a contact's
-- own id, a membership's contact or group); an insert whose only tombstone
-- is its own natural key is a newer write than the removal and is applied,
-- and sync_track clears the tombstone, so every install pulls the row again.

-- +goose StatementBegin
-- sync_apply_each applies ops one by one, at most once each, and returns one
-- result per op. An op that fails is rolled back alone (its own
-- subtransaction) and reported as rejected.
CREATE OR REPLACE FUNCTION sync_apply_each(ops JSONB)
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

-- +goose Down
-- +goose StatementBegin
-- sync_apply_each applies ops one by one, at most once each, and returns one
-- result per op. An op that fails is rolled back alone (its own
-- subtransaction) and reported as rejected.
CREATE OR REPLACE FUNCTION sync_apply_each(ops JSONB)
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
                ELSIF EXISTS (SELECT 1 FROM sync_rows s WHERE s.tbl = op->>'table' AND s.row_id = rid AND s.deleted) THEN
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
    -- Deletes win: ops on rows already deleted, or on rows that refer to a
    -- deleted row (a membership of a deleted contact), are answered 'deleted'.
    SELECT COALESCE(array_agg(o->>'row_id'), '{}') INTO tombs FROM unnest(run) o
     WHERE EXISTS (SELECT 1 FROM sync_rows s WHERE s.tbl = o->>'table' AND s.row_id = o->>'row_id' AND s.deleted)
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
