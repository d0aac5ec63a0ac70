-- +goose Up
-- The activity feed on the home page: campaign state changes, imports and
-- WhatsApp account state changes. Install-local (never synced, not in
-- backups), so an integer key is enough.
CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
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
-- Not for anonymous API roles (Supabase exposes public tables); the owner bypasses RLS.
ALTER TABLE events ENABLE ROW LEVEL SECURITY;

-- Every campaign state change is recorded by the database itself, whichever
-- code path (engine, handler, sync) makes it. detail carries why a campaign
-- paused or failed.
-- +goose StatementBegin
CREATE FUNCTION events_campaign_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (at, kind, subject_id, subject, state, prev_state, detail)
    VALUES (clock_timestamp(), 'campaign', NEW.id::text, NEW.name, NEW.state, OLD.state,
            CASE NEW.state WHEN 'paused' THEN NEW.pause_reason WHEN 'failed' THEN NEW.last_error ELSE '' END);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER events_campaign_state AFTER UPDATE OF state ON campaigns
    FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION events_campaign_state();

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
    updated_at TIMESTAMPTZ NOT NULL
);
ALTER TABLE settings ENABLE ROW LEVEL SECURITY;

-- +goose Down
DROP TABLE settings;
DROP INDEX campaign_sends_at;
DROP INDEX campaign_recipients_read_at;
DROP INDEX campaign_recipients_delivered_at;
DROP TRIGGER events_campaign_state ON campaigns;
DROP FUNCTION events_campaign_state();
DROP TABLE events;
