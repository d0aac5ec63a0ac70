-- +goose Up
-- session.state webhook events name the WhatsApp account whose session
-- changed (events.subject_id / subject: its id and name; empty on events
-- recorded before several accounts).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION webhook_activity() RETURNS trigger LANGUAGE plpgsql AS $$
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
        WHEN 'whatsapp' THEN json_build_object('state', NEW.state, 'detail', NEW.detail,
                                               'account_id', NEW.subject_id, 'account_name', NEW.subject)
        ELSE json_build_object('file', NEW.subject, 'status', NEW.state, 'detail', NEW.detail)
    END;
    INSERT INTO webhook_events (type, at, payload) VALUES (t, clock_timestamp(), p::text);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION webhook_activity() RETURNS trigger LANGUAGE plpgsql AS $$
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
