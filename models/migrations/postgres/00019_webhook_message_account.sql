-- +goose Up
-- Message events name the WhatsApp account that sent the message
-- (campaign_recipients.account_id, with its name): '' for both when the
-- recipient records none (a campaign from before accounts existed).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION webhook_recipient_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhook_endpoints) THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_events (type, at, payload)
    VALUES (CASE NEW.state WHEN 'invalid_number' THEN 'message.failed' ELSE 'message.' || NEW.state END,
            clock_timestamp(),
            json_build_object('campaign_id', NEW.campaign_id::text, 'recipient', NEW.seq, 'contact_id', NEW.contact_id::text,
                              'name', NEW.name, 'phone', NEW.phone, 'message_id', NEW.message_id,
                              'state', NEW.state, 'error', NEW.error,
                              'account_id', NEW.account_id,
                              'account_name', COALESCE((SELECT name FROM whatsapp_accounts WHERE id::text = NEW.account_id), ''))::text);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION webhook_recipient_state() RETURNS trigger LANGUAGE plpgsql AS $$
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
