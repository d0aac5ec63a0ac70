-- +goose Up
-- Hybrid sync, install side. The outbox is filled by triggers the sync worker
-- (package syncer) installs from its table registry, inside the transaction
-- of every write to a synced table, whichever code path makes it.

-- Key/value state: install_id, outbox ('on' once sync was set up), the pull
-- cursor, last push/pull times, last error. 'applying' is set only inside the
-- worker's own transaction so that applying pulled rows records no ops.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Local changes waiting for the cloud, in order (seq is the per-install sequence).
CREATE TABLE sync_outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id          TEXT NOT NULL UNIQUE, -- UUID: the idempotency key
    install_id     TEXT NOT NULL,
    tbl            TEXT NOT NULL,
    row_id         TEXT NOT NULL,        -- primary key values joined by ':'
    row_key        TEXT NOT NULL,        -- primary key as a JSON object
    kind           TEXT NOT NULL,        -- insert, update, delete
    fields         TEXT NOT NULL,        -- JSON object of the changed fields
    schema_version INTEGER NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX sync_outbox_row ON sync_outbox (tbl, row_id);

-- Changes the cloud refused: shown on the sync page, never dropped silently.
CREATE TABLE sync_rejected (
    op_id       TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    tbl         TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    fields      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Pulled rows this install cannot apply yet (written by a newer schema, or
-- clashing with a local change): retried at every pull.
CREATE TABLE sync_held (
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted BOOLEAN NOT NULL,
    data    TEXT NOT NULL,
    reason  TEXT NOT NULL,
    held_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (tbl, row_id)
);

-- +goose Down
DROP TABLE sync_held;
DROP TABLE sync_rejected;
DROP TABLE sync_outbox;
DROP TABLE sync_state;
