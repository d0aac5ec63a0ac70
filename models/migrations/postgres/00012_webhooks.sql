-- +goose Up
-- Webhooks (see the SQLite migration for the columns). Install-local: never
-- synced and not in backups.
CREATE TABLE webhook_endpoints (
    id              UUID PRIMARY KEY,
    url             TEXT NOT NULL,
    events          TEXT NOT NULL DEFAULT '',
    secret          TEXT NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    last_event_id   BIGINT NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- The outbox, written by the triggers below inside the transaction that made
-- the change.
CREATE TABLE webhook_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type    TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX webhook_events_at ON webhook_events (at);

CREATE TABLE webhook_deliveries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id UUID NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id    BIGINT NOT NULL,
    event_type  TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    ok          BOOLEAN NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    latency_ms  INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    response    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
-- Not for anonymous API roles (Supabase exposes public tables); the owner bypasses RLS.
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;

-- +goose StatementBegin
CREATE FUNCTION webhook_recipient_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhook_endpoints) THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_events (type, at, payload)
    VALUES (CASE NEW.state WHEN 'invalid_number' THEN 'message.failed' ELSE 'message.' || NEW.state END,
            clock_timestamp(),
            json_build_object('campaign_id', NEW.campaign_id::text, 'recipient', NEW.seq, 'contact_id', NEW.contact_id::text,
                              'name', NEW.name, 'phone', NEW.phone, 'message_id', NEW.message_id,
                              'state', NEW.state, 'error', NEW.error)::text);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER webhook_recipient_state AFTER UPDATE OF state ON campaign_recipients
    FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state
                       AND NEW.state IN ('sent', 'delivered', 'read', 'failed', 'invalid_number'))
    EXECUTE FUNCTION webhook_recipient_state();

-- +goose StatementBegin
CREATE FUNCTION webhook_activity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t TEXT;
    p JSON;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhook_endpoints) THEN
        RETURN NULL;
    END IF;
    t := CASE NEW.kind
        WHEN 'campaign' THEN CASE NEW.state
            WHEN 'running' THEN CASE NEW.prev_state WHEN 'paused' THEN 'campaign.resumed' ELSE 'campaign.started' END
            WHEN 'paused' THEN 'campaign.paused'
            WHEN 'completed' THEN 'campaign.completed'
            WHEN 'stopped' THEN 'campaign.stopped'
            WHEN 'failed' THEN 'campaign.failed'
        END
        WHEN 'whatsapp' THEN 'session.state'
        WHEN 'import' THEN 'import.completed'
    END;
    IF t IS NULL THEN
        RETURN NULL;
    END IF;
    p := CASE NEW.kind
        WHEN 'campaign' THEN json_build_object('campaign_id', NEW.subject_id, 'name', NEW.subject,
                                               'state', NEW.state, 'prev_state', NEW.prev_state, 'reason', NEW.detail)
        WHEN 'whatsapp' THEN json_build_object('state', NEW.state, 'detail', NEW.detail)
        ELSE json_build_object('file', NEW.subject, 'status', NEW.state, 'detail', NEW.detail)
    END;
    INSERT INTO webhook_events (type, at, payload) VALUES (t, clock_timestamp(), p::text);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER webhook_activity AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION webhook_activity();

-- +goose Down
DROP TRIGGER webhook_activity ON events;
DROP FUNCTION webhook_activity();
DROP TRIGGER webhook_recipient_state ON campaign_recipients;
DROP FUNCTION webhook_recipient_state();
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
