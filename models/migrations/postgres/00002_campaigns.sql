-- +goose Up
CREATE TABLE campaigns (
    id           UUID PRIMARY KEY,
    name         TEXT NOT NULL,
    template     TEXT NOT NULL,
    -- draft, scheduled, running, paused, completed, stopped, failed.
    state        TEXT NOT NULL DEFAULT 'draft',
    -- Why a paused campaign is paused: user, whatsapp, failures, shutdown.
    pause_reason TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    -- Pacing settings as JSON (delays, pauses, daily cap, quiet hours).
    pacing       TEXT NOT NULL DEFAULT '{}',
    scheduled_at TIMESTAMPTZ,
    -- The current run: 1 for the first start, +1 for each "retry failed".
    run          INTEGER NOT NULL DEFAULT 0,
    planned      INTEGER NOT NULL DEFAULT 0,
    opted_out    INTEGER NOT NULL DEFAULT 0,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaigns_created ON campaigns (created_at);

-- The audience as chosen; frozen into campaign_recipients when the campaign starts.
CREATE TABLE campaign_groups (
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    group_id    UUID NOT NULL REFERENCES contact_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, group_id)
);
CREATE TABLE campaign_contacts (
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    contact_id  UUID NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, contact_id)
);

CREATE TABLE campaign_runs (
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    run         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    recipients  INTEGER NOT NULL DEFAULT 0,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, run)
);

-- One row per recipient, written when the campaign starts: the phone and the
-- resolved text are copies, so later contact edits do not change what is sent.
-- No foreign key to contacts: deleting a contact keeps the campaign's record.
CREATE TABLE campaign_recipients (
    campaign_id  UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    contact_id   UUID NOT NULL,
    phone        TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    -- pending, sending, sent, delivered, read, invalid_number, failed, unknown.
    state        TEXT NOT NULL DEFAULT 'pending',
    run          INTEGER NOT NULL DEFAULT 1,
    message_id   TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    sent_at      TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    read_at      TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, seq)
);
CREATE UNIQUE INDEX campaign_recipients_contact ON campaign_recipients (campaign_id, contact_id);
-- Serves the runner's "next pending", the counts per state and the filtered list.
CREATE INDEX campaign_recipients_state ON campaign_recipients (campaign_id, state, seq);
-- Acks arrive by message id.
CREATE INDEX campaign_recipients_message ON campaign_recipients (message_id) WHERE message_id <> '';
-- The daily cap counts today's sends across campaigns.
CREATE INDEX campaign_recipients_sent_at ON campaign_recipients (sent_at) WHERE sent_at IS NOT NULL;

-- Counts per state are index-only scans once the visibility map is set:
-- vacuum this busy table after 2% of it changed, not the default 20%.
ALTER TABLE campaign_recipients SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- +goose Down
DROP TABLE campaign_recipients;
DROP TABLE campaign_runs;
DROP TABLE campaign_contacts;
DROP TABLE campaign_groups;
DROP TABLE campaigns;
