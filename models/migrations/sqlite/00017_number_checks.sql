-- +goose Up
-- The number checker: whether a contact's number is on WhatsApp, as last
-- checked. NULL is "not known" (never checked, or the check could not tell).
-- Both columns travel with the contact in hybrid mode: syncer's registry
-- lists them and the outbox triggers are regenerated from it at start-up.
ALTER TABLE contacts ADD COLUMN on_whatsapp BOOLEAN;
ALTER TABLE contacts ADD COLUMN on_whatsapp_checked_at DATETIME;
-- The contacts list's index gains on_whatsapp so its filter is still
-- answered from the index alone (see listContactsSQLite).
DROP INDEX IF EXISTS contacts_name_search;
CREATE INDEX contacts_name_search ON contacts (name, id, search_text, on_whatsapp);

-- A campaign may leave out contacts known not to be on WhatsApp: they get a
-- recipient row in state "skipped" and are never sent to.
ALTER TABLE campaigns ADD COLUMN skip_not_on_whatsapp BOOLEAN NOT NULL DEFAULT 0;

-- A number check job: up to 1,000 numbers checked one by one through the
-- WhatsApp session, paced like a campaign. Local to the install that drives
-- the session (not synced); the results it finds are written to contacts.
CREATE TABLE number_checks (
    id          TEXT PRIMARY KEY,
    -- queued, running, waiting (WhatsApp not ready), done, cancelled, interrupted.
    state       TEXT NOT NULL DEFAULT 'queued',
    -- The WhatsApp account asked; '' is the first (today: only) account.
    account_id  TEXT NOT NULL DEFAULT '',
    -- Pacing settings as JSON, as a campaign's.
    pacing      TEXT NOT NULL DEFAULT '{}',
    total       INTEGER NOT NULL DEFAULT 0,
    -- Why the job waits or stopped, in words a person reads.
    detail      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    started_at  DATETIME,
    finished_at DATETIME,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX number_checks_state ON number_checks (state, created_at);

-- One number of a job, in the order given.
CREATE TABLE number_check_items (
    check_id   TEXT NOT NULL REFERENCES number_checks (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    -- The contact the number came from, or '' for a bare number. No foreign
    -- key: deleting a contact keeps the job's record.
    contact_id TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL,
    -- pending, on_whatsapp, not_on_whatsapp or error.
    result     TEXT NOT NULL DEFAULT 'pending',
    error      TEXT NOT NULL DEFAULT '',
    checked_at DATETIME,
    PRIMARY KEY (check_id, seq)
);
CREATE INDEX number_check_items_pending ON number_check_items (check_id, result, seq);

-- +goose Down
DROP TABLE number_check_items;
DROP TABLE number_checks;
ALTER TABLE campaigns DROP COLUMN skip_not_on_whatsapp;
DROP INDEX IF EXISTS contacts_name_search;
CREATE INDEX contacts_name_search ON contacts (name, id, search_text);
ALTER TABLE contacts DROP COLUMN on_whatsapp_checked_at;
ALTER TABLE contacts DROP COLUMN on_whatsapp;
