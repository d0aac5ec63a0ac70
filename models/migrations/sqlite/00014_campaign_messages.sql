-- +goose Up
-- Campaigns with files: how the message goes with them, and one row per
-- message of a recipient that has several (text and files).

-- first_file: the personalised text is the caption of the first file;
-- separate: it is a text message of its own, before the files.
ALTER TABLE campaigns ADD COLUMN caption_mode TEXT NOT NULL DEFAULT 'first_file';

-- The send ledger gets one row per message: part is the message's place
-- among its recipient's messages (0 for a text-only campaign's one message).
ALTER TABLE campaign_sends ADD COLUMN part INTEGER NOT NULL DEFAULT 0;

-- The messages of a recipient of a campaign with files, in the order they
-- are sent: written when each is about to be sent ("sending", committed
-- before it leaves), so a message without a row was never attempted. A
-- text-only campaign has none: its recipient row is its one message.
CREATE TABLE campaign_messages (
    campaign_id  TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    part         INTEGER NOT NULL,
    run          INTEGER NOT NULL DEFAULT 1,
    -- text, photo, video or document.
    kind         TEXT NOT NULL,
    -- The file sent ('' for text); no foreign key: the record outlives the file.
    media_id     TEXT NOT NULL DEFAULT '',
    -- The text, or the file's caption, as sent.
    body         TEXT NOT NULL DEFAULT '',
    -- pending, sending, sent, delivered, read, invalid_number, failed, unknown.
    state        TEXT NOT NULL DEFAULT 'pending',
    message_id   TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    sent_at      DATETIME,
    delivered_at DATETIME,
    read_at      DATETIME,
    PRIMARY KEY (campaign_id, seq, part)
);
-- Acks arrive by message id.
CREATE INDEX campaign_messages_message ON campaign_messages (message_id) WHERE message_id <> '';

-- +goose Down
DROP TABLE campaign_messages;
ALTER TABLE campaign_sends DROP COLUMN part;
ALTER TABLE campaigns DROP COLUMN caption_mode;
