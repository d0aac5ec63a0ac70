-- +goose Up
-- The send ledger: one row per message handed to WhatsApp (or refused by
-- it), written with the recipient's outcome. Rows are only ever inserted, so
-- in hybrid mode they never conflict: when two installs both sent to one
-- recipient (a takeover after a long outage), both rows are kept and the
-- report shows it.
CREATE TABLE campaign_sends (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    run         INTEGER NOT NULL,
    phone       TEXT NOT NULL,
    -- sent, invalid_number or failed.
    state       TEXT NOT NULL,
    message_id  TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    -- The install that sent it (hybrid mode; '' otherwise).
    install_id  TEXT NOT NULL DEFAULT '',
    at          DATETIME NOT NULL
);
CREATE INDEX campaign_sends_recipient ON campaign_sends (campaign_id, seq);

-- +goose Down
DROP TABLE campaign_sends;
