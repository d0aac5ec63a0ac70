-- +goose Up
-- Campaigns with files (see the SQLite migration for the columns): the
-- caption mode, the ledger's part, and one row per message of a recipient
-- that has several. campaign_messages travels like campaign_recipients.
ALTER TABLE campaigns ADD COLUMN caption_mode TEXT NOT NULL DEFAULT 'first_file';
ALTER TABLE campaign_sends ADD COLUMN part INTEGER NOT NULL DEFAULT 0;

CREATE TABLE campaign_messages (
    campaign_id  UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    part         INTEGER NOT NULL,
    run          INTEGER NOT NULL DEFAULT 1,
    kind         TEXT NOT NULL,
    media_id     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'pending',
    message_id   TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    sent_at      TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    read_at      TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, seq, part)
);
CREATE INDEX campaign_messages_message ON campaign_messages (message_id) WHERE message_id <> '';

INSERT INTO sync_tables (name, pk, mode) VALUES ('campaign_messages', '{campaign_id,seq,part}', 'lww');

CREATE TRIGGER campaign_messages_sync_insert AFTER INSERT ON campaign_messages REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'seq', 'part');
CREATE TRIGGER campaign_messages_sync_update AFTER UPDATE ON campaign_messages REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'seq', 'part');
CREATE TRIGGER campaign_messages_sync_delete AFTER DELETE ON campaign_messages REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'seq', 'part');

-- A message's result never moves backwards within a run, as a recipient's
-- (campaign_recipient_forward of 00006): an install's late "sending" mark
-- must not undo another install's "sent".
CREATE TRIGGER campaign_messages_forward BEFORE UPDATE ON campaign_messages
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION campaign_recipient_forward();

ALTER TABLE campaign_messages ENABLE ROW LEVEL SECURITY;

-- +goose Down
ALTER TABLE campaign_messages DISABLE ROW LEVEL SECURITY;
DELETE FROM sync_rows WHERE tbl = 'campaign_messages';
DROP TRIGGER campaign_messages_forward ON campaign_messages;
DROP TRIGGER campaign_messages_sync_insert ON campaign_messages;
DROP TRIGGER campaign_messages_sync_update ON campaign_messages;
DROP TRIGGER campaign_messages_sync_delete ON campaign_messages;
DELETE FROM sync_tables WHERE name = 'campaign_messages';
DROP TABLE campaign_messages;
ALTER TABLE campaign_sends DROP COLUMN part;
ALTER TABLE campaigns DROP COLUMN caption_mode;
