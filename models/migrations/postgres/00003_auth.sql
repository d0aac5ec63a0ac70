-- +goose Up
-- The single user's password (bcrypt). At most one row: id is always 1.
CREATE TABLE auth_password (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    hash       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Signed-in browsers. Only the SHA-256 of the cookie's token is stored, so a
-- copy of the database does not let anyone sign in. Never synced.
CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
-- Expired sessions are deleted by expiry.
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);

-- +goose Down
DROP TABLE auth_sessions;
DROP TABLE auth_password;
