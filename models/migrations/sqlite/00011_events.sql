-- +goose Up
-- The activity feed on the home page: campaign state changes, imports and
-- WhatsApp account state changes, newest last. Install-local (never synced,
-- not in backups), so an integer key is enough.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         DATETIME NOT NULL,
    -- campaign, import, whatsapp, backup.
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL DEFAULT '',
    -- What the event is about, as named when it happened (campaign name, file name).
    subject    TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL DEFAULT '',
    prev_state TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_at ON events (at);

-- Every campaign state change is recorded by the database itself, whichever
-- code path (engine, handler, sync pull) makes it. detail carries why a
-- campaign paused or failed.
-- +goose StatementBegin
CREATE TRIGGER events_campaign_state AFTER UPDATE OF state ON campaigns
WHEN NEW.state <> OLD.state
BEGIN
    INSERT INTO events (at, kind, subject_id, subject, state, prev_state, detail)
    VALUES (strftime('%Y-%m-%d %H:%M:%f', 'now'), 'campaign', NEW.id, NEW.name, NEW.state, OLD.state,
            CASE NEW.state WHEN 'paused' THEN NEW.pause_reason WHEN 'failed' THEN NEW.last_error ELSE '' END);
END;
-- +goose StatementEnd

-- The home page's 14-day chart counts deliveries, reads and failures by day.
CREATE INDEX campaign_recipients_delivered_at ON campaign_recipients (delivered_at) WHERE delivered_at IS NOT NULL;
CREATE INDEX campaign_recipients_read_at ON campaign_recipients (read_at) WHERE read_at IS NOT NULL;
CREATE INDEX campaign_sends_at ON campaign_sends (at, state);

-- Settings a person changes on the Settings page (default region, time zone,
-- campaign defaults, backups kept). A variable set in the environment wins
-- over the value here. Part of backups; not synced.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP INDEX campaign_sends_at;
DROP INDEX campaign_recipients_read_at;
DROP INDEX campaign_recipients_delivered_at;
DROP TRIGGER events_campaign_state;
DROP TABLE events;
