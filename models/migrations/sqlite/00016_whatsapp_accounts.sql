-- +goose Up
-- WhatsApp accounts: each is one linked number with its own Chromium profile
-- under <data dir>/whatsapp-session/<id>/ (never synced: only this row
-- travels, so every install can list the accounts). position orders them;
-- the first is the one /api/v1/session and single sends use by default.
CREATE TABLE whatsapp_accounts (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    -- The linked number (E.164) as read from the page once linked; a hint
    -- for people, never a key.
    phone             TEXT NOT NULL DEFAULT '',
    -- Messages a day through this account; 0 means no cap.
    daily_cap         INTEGER NOT NULL DEFAULT 0,
    -- Quiet hours, HH:MM in the configured time zone; both empty for none.
    quiet_start       TEXT NOT NULL DEFAULT '',
    quiet_end         TEXT NOT NULL DEFAULT '',
    -- Hybrid mode: the install whose disk holds the profile; only it
    -- drives the account. Empty outside hybrid mode.
    holder_install_id TEXT NOT NULL DEFAULT '',
    position          INTEGER NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX whatsapp_accounts_position ON whatsapp_accounts (position, created_at);

-- The accounts a campaign sends through, a JSON array of ids: empty is the
-- first account, one id that account, several a rotation.
ALTER TABLE campaigns ADD COLUMN account_ids TEXT NOT NULL DEFAULT '[]';
-- Which account holds a recipient (set when it is claimed): a send left
-- "sending" is reconciled on that account's chat, nowhere else.
ALTER TABLE campaign_recipients ADD COLUMN account_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE campaign_recipients DROP COLUMN account_id;
ALTER TABLE campaigns DROP COLUMN account_ids;
DROP TABLE whatsapp_accounts;
