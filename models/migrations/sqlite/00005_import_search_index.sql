-- +goose Up
-- The contacts list walks this index in (name, id) order and tests
-- search_text on the index entry itself, so a search never reads the table
-- and stops once it has found enough rows (see listContactsSQLite). It
-- starts with (name, id), so it replaces contacts_name_id.
CREATE INDEX contacts_name_search ON contacts (name, id, search_text);
DROP INDEX IF EXISTS contacts_name_id;

-- +goose Down
CREATE INDEX contacts_name_id ON contacts (name, id);
DROP INDEX IF EXISTS contacts_name_search;
