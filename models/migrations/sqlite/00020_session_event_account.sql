-- +goose Up
-- session.state webhook events name the WhatsApp account whose session
-- changed (events.subject_id / subject: its id and name; empty on events
-- recorded before several accounts).
DROP TRIGGER webhook_activity;
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
            WHEN 'whatsapp' THEN json_object('state', NEW.state, 'detail', NEW.detail,
                                             'account_id', NEW.subject_id, 'account_name', NEW.subject)
            ELSE json_object('file', NEW.subject, 'status', NEW.state, 'detail', NEW.detail)
        END AS p)
    WHERE t IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER webhook_activity;
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
