-- +goose Up
-- Users of an office install: an admin (everything) and staff (contacts,
-- groups, campaigns). Never synced and never in a backup (auth_ tables): who
-- may sign in belongs to this install, and a restore must not lock anyone
-- out.
CREATE TABLE auth_users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    -- bcrypt.
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    -- Staff see phone numbers masked unless an admin grants this.
    see_numbers   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
-- Names are unique whatever their case: "Asha" and "asha" are one person.
CREATE UNIQUE INDEX auth_users_name ON auth_users (lower(name));

-- The single password of earlier versions becomes the admin's, so an upgrade
-- signs nobody out: the browsers signed in stay signed in as that admin.
INSERT INTO auth_users (id, name, password_hash, role, see_numbers, created_at, updated_at)
SELECT '00000000-0000-7000-8000-000000000001', 'admin', hash, 'admin', TRUE, updated_at, updated_at
FROM auth_password WHERE id = 1;
DROP TABLE auth_password;

ALTER TABLE auth_sessions ADD COLUMN user_id TEXT REFERENCES auth_users (id) ON DELETE CASCADE;
UPDATE auth_sessions SET user_id = '00000000-0000-7000-8000-000000000001';
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

-- Personal API tokens: only the SHA-256 of the token is stored; the token is
-- shown once, when it is made.
CREATE TABLE auth_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    -- The first characters of the token, so a person can tell tokens apart.
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

-- Who did what, when and from where. user_id has no foreign key: the entries
-- of a deleted user stay, under the name they had.
CREATE TABLE auth_audit (
    id         TEXT PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    user_name  TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auth_audit_at ON auth_audit (at);
CREATE INDEX auth_audit_user ON auth_audit (user_name, at);
CREATE INDEX auth_audit_action ON auth_audit (action, at);

-- +goose Down
DROP TABLE auth_audit;
DROP TABLE auth_tokens;
CREATE TABLE auth_password (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    hash       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
INSERT INTO auth_password (id, hash, updated_at)
SELECT 1, password_hash, updated_at FROM auth_users WHERE role = 'admin' ORDER BY created_at, id LIMIT 1;
DROP INDEX auth_sessions_user;
ALTER TABLE auth_sessions DROP COLUMN user_id;
DROP TABLE auth_users;
