-- +goose Up
-- The media library: photos, videos and documents campaigns can send. The
-- bytes live on disk under <data dir>/media/<first 2 hex>/<sha256>, named by
-- content; this row is what is known about them.
CREATE TABLE media (
    id         TEXT PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    -- photo, video or document: from the content, never the file name.
    kind       TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'document')),
    mime_type  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    -- The file's name on the uploader's computer: data only (a document's
    -- recipients see it), never a path on disk.
    name       TEXT NOT NULL DEFAULT '',
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX media_created ON media (created_at);

-- A file's bytes in pieces of 16 KiB (models.MediaChunkSize), base64 text (what the sync
-- ops' JSON can carry), so that in hybrid and cloud mode every install can
-- rebuild a file it lacks. Keyed by content: the same file uploaded on two
-- installs is the same rows. Insert-only, like the send ledger.
CREATE TABLE media_chunks (
    sha256 TEXT NOT NULL,
    idx    INTEGER NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (sha256, idx)
);

-- The files a campaign sends, in order.
CREATE TABLE campaign_media (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    media_id    TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, media_id)
);
CREATE INDEX campaign_media_media ON campaign_media (media_id);

-- +goose Down
DROP TABLE campaign_media;
DROP TABLE media_chunks;
DROP TABLE media;
