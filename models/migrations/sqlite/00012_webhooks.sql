-- +goose Up
-- Webhooks: endpoints an admin registers, the durable outbox of events they
-- are sent, and a log of each delivery. Install-local: never synced and not
-- in backups (the secrets stay on this machine).
CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    url             TEXT NOT NULL,
    -- Comma-separated event types; '' means every event.
    events          TEXT NOT NULL DEFAULT '',
    secret          TEXT NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT 1,
    -- The last outbox event this endpoint has been sent (or did not want):
    -- delivery resumes after it, so events arrive in order and a restart
    -- loses none.
    last_event_id   INTEGER NOT NULL DEFAULT 0,
    -- Consecutive failed attempts; at SAMBAD_WEBHOOK_MAX_FAILURES the
    -- endpoint is switched off with disabled_reason saying why.
    failures        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);

-- The outbox. Rows are written by the triggers below, inside the
-- transaction that made the change, so an event exists exactly when its
-- cause is committed, whatever crashes afterwards.
CREATE TABLE webhook_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    type    TEXT NOT NULL,
    at      DATETIME NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX webhook_events_at ON webhook_events (at);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL,
    event_type  TEXT NOT NULL,
    at          DATETIME NOT NULL,
    -- '' for the outbox's own delivery, 'again' for "send again", 'test'.
    source      TEXT NOT NULL DEFAULT '',
    ok          BOOLEAN NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    latency_ms  INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    response    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- Message events: one per recipient state change worth telling. Nothing is
-- written while no endpoint is registered (one switched off still collects
-- what it will be sent when switched on again).
-- +goose StatementBegin
CREATE TRIGGER webhook_recipient_state AFTER UPDATE OF state ON campaign_recipients
WHEN NEW.state <> OLD.state AND NEW.state IN ('sent', 'delivered', 'read', 'failed', 'invalid_number')
     AND EXISTS (SELECT 1 FROM webhook_endpoints)
BEGIN
    INSERT INTO webhook_events (type, at, payload)
    VALUES (CASE NEW.state WHEN 'invalid_number' THEN 'message.failed' ELSE 'message.' || NEW.state END,
            strftime('%Y-%m-%d %H:%M:%f', 'now'),
            json_object('campaign_id', NEW.campaign_id, 'recipient', NEW.seq, 'contact_id', NEW.contact_id,
                        'name', NEW.name, 'phone', NEW.phone, 'message_id', NEW.message_id,
                        'state', NEW.state, 'error', NEW.error));
END;
-- +goose StatementEnd

-- Campaign, WhatsApp session and import events come from the activity feed
-- (campaign rows there are themselves written by a trigger, migration 00011).
-- +goose StatementBegin
CREATE TRIGGER webhook_activity AFTER INSERT ON events
WHEN EXISTS (SELECT 1 FROM webhook_endpoints)
BEGIN
    INSERT INTO webhook_events (type, at, payload)
    SELECT t, strftime('%Y-%m-%d %H:%M:%f', 'now'), p FROM (SELECT
        CASE NEW.kind
            WHEN 'campaign' THEN CASE NEW.state
                WHEN 'running' THEN CASE NEW.prev_state WHEN 'paused' THEN 'campaign.resumed' ELSE 'campaign.started' END
                WHEN 'paused' THEN 'campaign.paused'
                WHEN 'completed' THEN 'campaign.completed'
                WHEN 'stopped' THEN 'campaign.stopped'
                WHEN 'failed' THEN 'campaign.failed'
            END
            WHEN 'whatsapp' THEN 'session.state'
            WHEN 'import' THEN 'import.completed'
        END AS t,
        CASE NEW.kind
            WHEN 'campaign' THEN json_object('campaign_id', NEW.subject_id, 'name', NEW.subject,
                                             'state', NEW.state, 'prev_state', NEW.prev_state, 'reason', NEW.detail)
            WHEN 'whatsapp' THEN json_object('state', NEW.state, 'detail', NEW.detail)
            ELSE json_object('file', NEW.subject, 'status', NEW.state, 'detail', NEW.detail)
        END AS p)
    WHERE t IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER webhook_activity;
DROP TRIGGER webhook_recipient_state;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
