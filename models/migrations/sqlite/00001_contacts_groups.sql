-- +goose Up
CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    phone       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    v1 TEXT NOT NULL DEFAULT '', v2 TEXT NOT NULL DEFAULT '', v3 TEXT NOT NULL DEFAULT '',
    v4 TEXT NOT NULL DEFAULT '', v5 TEXT NOT NULL DEFAULT '', v6 TEXT NOT NULL DEFAULT '',
    v7 TEXT NOT NULL DEFAULT '', v8 TEXT NOT NULL DEFAULT '', v9 TEXT NOT NULL DEFAULT '',
    v10 TEXT NOT NULL DEFAULT '',
    attributes  TEXT NOT NULL DEFAULT '{}',
    opted_out   BOOLEAN NOT NULL DEFAULT FALSE,
    -- Lower-cased name, phone and variables: the one column the list page searches.
    search_text TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
-- The list is ordered by name then id; this index serves it and its paging.
CREATE INDEX contacts_name_id ON contacts (name, id);

CREATE TABLE contact_groups (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX contact_groups_name_lower ON contact_groups (lower(name));

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES contact_groups (id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (group_id, contact_id)
);
CREATE INDEX group_members_contact ON group_members (contact_id);

-- +goose Down
DROP TABLE group_members;
DROP TABLE contact_groups;
DROP TABLE contacts;
