-- +goose Up
-- The number checker: whether a contact's number is on WhatsApp, as last
-- checked. NULL is "not known" (never checked, or the check could not tell).
-- contacts is synced: sync_apply writes whichever columns an op carries and
-- sync_track stamps whole rows, so the new columns travel with no change to
-- the sync functions; syncer's registry lists them for the installs.
ALTER TABLE contacts ADD COLUMN on_whatsapp BOOLEAN;
ALTER TABLE contacts ADD COLUMN on_whatsapp_checked_at TIMESTAMPTZ;
CREATE INDEX contacts_on_whatsapp ON contacts (on_whatsapp);

-- A campaign may leave out contacts known not to be on WhatsApp: they get a
-- recipient row in state "skipped" and are never sent to.
ALTER TABLE campaigns ADD COLUMN skip_not_on_whatsapp BOOLEAN NOT NULL DEFAULT FALSE;

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
    created_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL
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
    checked_at TIMESTAMPTZ,
    PRIMARY KEY (check_id, seq)
);
CREATE INDEX number_check_items_pending ON number_check_items (check_id, result, seq);

-- Supabase's REST roles see nothing (row level security on, no policies).
ALTER TABLE number_checks ENABLE ROW LEVEL SECURITY;
ALTER TABLE number_check_items ENABLE ROW LEVEL SECURITY;

-- +goose Down
DROP TABLE number_check_items;
DROP TABLE number_checks;
ALTER TABLE campaigns DROP COLUMN skip_not_on_whatsapp;
DROP INDEX IF EXISTS contacts_on_whatsapp;
ALTER TABLE contacts DROP COLUMN on_whatsapp_checked_at;
ALTER TABLE contacts DROP COLUMN on_whatsapp;
