-- +goose Up
-- The last bulk edit of contacts ("set v1 on 250 contacts") and, per contact
-- it changed, the value the field had before, so that it can be undone.
-- Only the last edit is kept: a new one replaces both tables' rows. Not
-- synced: the undo belongs to the install the edit was made on (the
-- contacts it changes are synced as usual). In backups, so a restore brings
-- back the undo that matches the restored contacts.
CREATE TABLE contact_bulk_edits (
    id         TEXT PRIMARY KEY,
    -- name, v1..v10, opted_out, or attr:<key>.
    field      TEXT NOT NULL,
    -- set or clear.
    op         TEXT NOT NULL,
    value      TEXT NOT NULL DEFAULT '',
    changed    INTEGER NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE TABLE contact_bulk_undo (
    edit_id    TEXT NOT NULL REFERENCES contact_bulk_edits (id) ON DELETE CASCADE,
    -- No foreign key: a contact deleted since is simply not restored.
    contact_id TEXT NOT NULL,
    -- The field's value before the edit; NULL when the attribute was absent.
    previous   TEXT,
    PRIMARY KEY (edit_id, contact_id)
);

-- +goose Down
DROP TABLE contact_bulk_undo;
DROP TABLE contact_bulk_edits;
