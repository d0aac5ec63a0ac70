-- +goose Up
-- Message events name the WhatsApp account that sent the message
-- (campaign_recipients.account_id, with its name): '' for both when the
-- recipient records none (a campaign from before accounts existed).
DROP TRIGGER webhook_recipient_state;
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
                        'state', NEW.state, 'error', NEW.error,
                        'account_id', NEW.account_id,
                        'account_name', COALESCE((SELECT name FROM whatsapp_accounts WHERE id = NEW.account_id), '')));
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER webhook_recipient_state;
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
