-- +goose Up
-- Campaigns travel between installs in hybrid mode: the campaign, its
-- audience, its runs and its frozen plan (campaign_recipients, whose state
-- is last-writer-wins by server version) and the send ledger, which is
-- insert-only and never conflicts.

-- The send ledger: one row per message handed to WhatsApp (or refused by it).
CREATE TABLE campaign_sends (
    id          UUID PRIMARY KEY,
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    run         INTEGER NOT NULL,
    phone       TEXT NOT NULL,
    state       TEXT NOT NULL,
    message_id  TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    install_id  TEXT NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaign_sends_recipient ON campaign_sends (campaign_id, seq);

INSERT INTO sync_tables (name, pk, mode) VALUES
    ('campaigns', '{id}', 'lww'),
    ('campaign_groups', '{campaign_id,group_id}', 'lww'),
    ('campaign_contacts', '{campaign_id,contact_id}', 'lww'),
    ('campaign_runs', '{campaign_id,run}', 'lww'),
    ('campaign_recipients', '{campaign_id,seq}', 'lww'),
    ('campaign_sends', '{id}', 'append');

CREATE TRIGGER campaigns_sync_insert AFTER INSERT ON campaigns REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER campaigns_sync_update AFTER UPDATE ON campaigns REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER campaigns_sync_delete AFTER DELETE ON campaigns REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER campaign_groups_sync_insert AFTER INSERT ON campaign_groups REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'group_id');
CREATE TRIGGER campaign_groups_sync_update AFTER UPDATE ON campaign_groups REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'group_id');
CREATE TRIGGER campaign_groups_sync_delete AFTER DELETE ON campaign_groups REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'group_id');
CREATE TRIGGER campaign_contacts_sync_insert AFTER INSERT ON campaign_contacts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'contact_id');
CREATE TRIGGER campaign_contacts_sync_update AFTER UPDATE ON campaign_contacts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'contact_id');
CREATE TRIGGER campaign_contacts_sync_delete AFTER DELETE ON campaign_contacts REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'contact_id');
CREATE TRIGGER campaign_runs_sync_insert AFTER INSERT ON campaign_runs REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'run');
CREATE TRIGGER campaign_runs_sync_update AFTER UPDATE ON campaign_runs REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'run');
CREATE TRIGGER campaign_runs_sync_delete AFTER DELETE ON campaign_runs REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'run');
CREATE TRIGGER campaign_recipients_sync_insert AFTER INSERT ON campaign_recipients REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'seq');
CREATE TRIGGER campaign_recipients_sync_update AFTER UPDATE ON campaign_recipients REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'seq');
CREATE TRIGGER campaign_recipients_sync_delete AFTER DELETE ON campaign_recipients REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'seq');
CREATE TRIGGER campaign_sends_sync_insert AFTER INSERT ON campaign_sends REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER campaign_sends_sync_delete AFTER DELETE ON campaign_sends REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');

-- Campaigns written before this migration get a version, so installs pull them.
INSERT INTO sync_rows (tbl, row_id, version)
SELECT 'campaigns', id::text, 0 FROM campaigns
UNION ALL SELECT 'campaign_groups', campaign_id::text || ':' || group_id::text, 0 FROM campaign_groups
UNION ALL SELECT 'campaign_contacts', campaign_id::text || ':' || contact_id::text, 0 FROM campaign_contacts
UNION ALL SELECT 'campaign_runs', campaign_id::text || ':' || run::text, 0 FROM campaign_runs
UNION ALL SELECT 'campaign_recipients', campaign_id::text || ':' || seq::text, 0 FROM campaign_recipients;

-- +goose StatementBegin
-- campaign_recipient_rank orders a recipient's states: a result never goes
-- back to "not sent yet" within a run, and acks only move forward.
CREATE FUNCTION campaign_recipient_rank(state TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE state WHEN 'failed' THEN 1 WHEN 'invalid_number' THEN 1 WHEN 'sent' THEN 2
                      WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- campaign_recipient_forward keeps a recipient's result when an update
-- would move it backwards in the same run: a change an install made while
-- offline (its "sending" mark, or "back to pending" for a send it never
-- made) can reach the cloud after another install sent that recipient, and
-- must not undo it. A new run (retry failed) moves it back on purpose.
CREATE FUNCTION campaign_recipient_forward() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.run <= OLD.run AND campaign_recipient_rank(NEW.state) < campaign_recipient_rank(OLD.state) THEN
        NEW.state := OLD.state;
        NEW.message_id := OLD.message_id;
        NEW.error := OLD.error;
        NEW.sent_at := OLD.sent_at;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER campaign_recipients_forward BEFORE UPDATE ON campaign_recipients
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION campaign_recipient_forward();

-- The claim: which recipients the lease's holder may send before it next
-- reaches the cloud (those of run claim_run up to seq claim_seq). It stays
-- when the lease changes hands or is released, so the next holder knows
-- which recipients the last one may have sent without reporting them yet.
ALTER TABLE sync_leases ADD COLUMN claim_install TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_leases ADD COLUMN claim_run INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_leases ADD COLUMN claim_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_leases ADD COLUMN claimed_at TIMESTAMPTZ;

-- Supabase publishes the public schema through its REST API: with row level
-- security on and no policies its anon and authenticated roles see nothing.
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_groups ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_recipients ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_sends ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_password ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_sessions ENABLE ROW LEVEL SECURITY;

-- +goose Down
ALTER TABLE auth_sessions DISABLE ROW LEVEL SECURITY;
ALTER TABLE auth_password DISABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_recipients DISABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_runs DISABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_contacts DISABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_groups DISABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns DISABLE ROW LEVEL SECURITY;
ALTER TABLE sync_leases DROP COLUMN claimed_at;
ALTER TABLE sync_leases DROP COLUMN claim_seq;
ALTER TABLE sync_leases DROP COLUMN claim_run;
ALTER TABLE sync_leases DROP COLUMN claim_install;
DROP TRIGGER campaign_recipients_forward ON campaign_recipients;
DROP FUNCTION campaign_recipient_forward();
DROP FUNCTION campaign_recipient_rank(TEXT);
DELETE FROM sync_rows WHERE tbl IN ('campaigns', 'campaign_groups', 'campaign_contacts', 'campaign_runs', 'campaign_recipients', 'campaign_sends');
DROP TRIGGER campaign_sends_sync_insert ON campaign_sends;
DROP TRIGGER campaign_sends_sync_delete ON campaign_sends;
DROP TRIGGER campaign_recipients_sync_insert ON campaign_recipients;
DROP TRIGGER campaign_recipients_sync_update ON campaign_recipients;
DROP TRIGGER campaign_recipients_sync_delete ON campaign_recipients;
DROP TRIGGER campaign_runs_sync_insert ON campaign_runs;
DROP TRIGGER campaign_runs_sync_update ON campaign_runs;
DROP TRIGGER campaign_runs_sync_delete ON campaign_runs;
DROP TRIGGER campaign_contacts_sync_insert ON campaign_contacts;
DROP TRIGGER campaign_contacts_sync_update ON campaign_contacts;
DROP TRIGGER campaign_contacts_sync_delete ON campaign_contacts;
DROP TRIGGER campaign_groups_sync_insert ON campaign_groups;
DROP TRIGGER campaign_groups_sync_update ON campaign_groups;
DROP TRIGGER campaign_groups_sync_delete ON campaign_groups;
DROP TRIGGER campaigns_sync_insert ON campaigns;
DROP TRIGGER campaigns_sync_update ON campaigns;
DROP TRIGGER campaigns_sync_delete ON campaigns;
DELETE FROM sync_tables WHERE name IN ('campaigns', 'campaign_groups', 'campaign_contacts', 'campaign_runs', 'campaign_recipients', 'campaign_sends');
DROP TABLE campaign_sends;
