-- +goose Up
-- The media library (see the SQLite migration for the columns). The row,
-- its bytes as chunks and the campaign links travel between installs like
-- the other business tables.
CREATE TABLE media (
    id         UUID PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'document')),
    mime_type  TEXT NOT NULL,
    size       BIGINT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX media_created ON media (created_at);

-- Base64 text, not bytea: sync ops carry values as JSON strings, and
-- jsonb_populate_record would read base64 into bytea as escape-format text.
CREATE TABLE media_chunks (
    sha256 TEXT NOT NULL,
    idx    INTEGER NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (sha256, idx)
);

CREATE TABLE campaign_media (
    campaign_id UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    media_id    UUID NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, media_id)
);
CREATE INDEX campaign_media_media ON campaign_media (media_id);

INSERT INTO sync_tables (name, pk, mode) VALUES
    ('media_chunks', '{sha256,idx}', 'append'),
    ('media', '{id}', 'lww'),
    ('campaign_media', '{campaign_id,media_id}', 'lww');

CREATE TRIGGER media_chunks_sync_insert AFTER INSERT ON media_chunks REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('sha256', 'idx');
CREATE TRIGGER media_chunks_sync_delete AFTER DELETE ON media_chunks REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('sha256', 'idx');
CREATE TRIGGER media_sync_insert AFTER INSERT ON media REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER media_sync_update AFTER UPDATE ON media REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER media_sync_delete AFTER DELETE ON media REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('id');
CREATE TRIGGER campaign_media_sync_insert AFTER INSERT ON campaign_media REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'media_id');
CREATE TRIGGER campaign_media_sync_update AFTER UPDATE ON campaign_media REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'media_id');
CREATE TRIGGER campaign_media_sync_delete AFTER DELETE ON campaign_media REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION sync_track('campaign_id', 'media_id');

-- Supabase's REST roles see nothing (row level security on, no policies).
ALTER TABLE media ENABLE ROW LEVEL SECURITY;
ALTER TABLE media_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaign_media ENABLE ROW LEVEL SECURITY;

-- +goose Down
ALTER TABLE campaign_media DISABLE ROW LEVEL SECURITY;
ALTER TABLE media_chunks DISABLE ROW LEVEL SECURITY;
ALTER TABLE media DISABLE ROW LEVEL SECURITY;
DELETE FROM sync_rows WHERE tbl IN ('media_chunks', 'media', 'campaign_media');
DROP TRIGGER campaign_media_sync_insert ON campaign_media;
DROP TRIGGER campaign_media_sync_update ON campaign_media;
DROP TRIGGER campaign_media_sync_delete ON campaign_media;
DROP TRIGGER media_sync_insert ON media;
DROP TRIGGER media_sync_update ON media;
DROP TRIGGER media_sync_delete ON media;
DROP TRIGGER media_chunks_sync_insert ON media_chunks;
DROP TRIGGER media_chunks_sync_delete ON media_chunks;
DELETE FROM sync_tables WHERE name IN ('media_chunks', 'media', 'campaign_media');
DROP TABLE campaign_media;
DROP TABLE media_chunks;
DROP TABLE media;
