-- +goose Up
-- WhatsApp accounts (see the SQLite migration for the columns). The row
-- travels between installs so each can list every account and tell which
-- install holds its profile; the profile itself never leaves its disk.
CREATE TABLE whatsapp_accounts (
    id                UUID PRIMARY KEY,
    name              TEXT NOT NULL,
    phone             TEXT NOT NULL DEFAULT '',
    daily_cap         INTEGER NOT NULL DEFAULT 0,
    quiet_start       TEXT NOT NULL DEFAULT '',
    quiet_end         TEXT NOT NULL DEFAULT '',
    holder_install_id TEXT NOT NULL DEFAULT '',
    position          INTEGER NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX whatsapp_accounts_position ON whatsapp_accounts (position, created_at);

ALTER TABLE campaigns ADD COLUMN account_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE campaign_recipients ADD COLUMN account_id TEXT NOT NULL DEFAULT '';

INSERT INTO sync_tables (name, pk, mode) VALUES ('whatsapp_accounts', '{id}', 'lww');

CREATE TRIGGER whatsapp_accounts_sync_insert AFTER INSERT ON whatsapp_accounts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER whatsapp_accounts_sync_update AFTER UPDATE ON whatsapp_accounts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER whatsapp_accounts_sync_delete AFTER DELETE ON whatsapp_accounts REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');

-- Supabase's REST roles see nothing (row level security on, no policies).
ALTER TABLE whatsapp_accounts ENABLE ROW LEVEL SECURITY;

-- +goose Down
ALTER TABLE whatsapp_accounts DISABLE ROW LEVEL SECURITY;
DELETE FROM sync_rows WHERE tbl = 'whatsapp_accounts';
DROP TRIGGER whatsapp_accounts_sync_insert ON whatsapp_accounts;
DROP TRIGGER whatsapp_accounts_sync_update ON whatsapp_accounts;
DROP TRIGGER whatsapp_accounts_sync_delete ON whatsapp_accounts;
DELETE FROM sync_tables WHERE name = 'whatsapp_accounts';
ALTER TABLE campaign_recipients DROP COLUMN account_id;
ALTER TABLE campaigns DROP COLUMN account_ids;
DROP TABLE whatsapp_accounts;
