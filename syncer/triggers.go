package syncer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/sambad/sambad/models"
)

// uuidExpr makes a random (v4) UUID in SQLite: the op id.
const uuidExpr = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
 substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`

// triggerUUIDExpr is the same from one random blob, formatted once: about a
// fifth of what recording an op costs. Only for trigger bodies, which run
// once per row: in a set-based statement SQLite would evaluate this
// uncorrelated subquery once and give every row the same id.
const triggerUUIDExpr = `(SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a' || substr(h, 18, 3) || '-' || substr(h, 21, 12)
 FROM (SELECT lower(hex(randomblob(16))) AS h))`

// recording is true when the outbox is on and the change is not the worker
// applying pulled rows.
const recording = `(SELECT value FROM sync_state WHERE key = 'outbox') = 'on'
 AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying')`

const opColumns = `op_id, install_id, tbl, row_id, row_key, kind, fields, schema_version`

const opContext = `(SELECT value FROM sync_state WHERE key = 'install_id')`
const opSchema = `(SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'schema_version')`

// jsonValue is the SQL for column c of row r as a JSON value (text form).
func jsonValue(r string, c Column) string {
	ref := r + `."` + c.Name + `"`
	switch c.Kind {
	case KindBool:
		return `CASE WHEN ` + ref + ` IS NULL THEN 'null' WHEN ` + ref + ` THEN 'true' ELSE 'false' END`
	case KindJSON:
		return `COALESCE(` + ref + `, 'null')`
	case KindInt:
		return `json(COALESCE(CAST(` + ref + ` AS TEXT), 'null'))`
	default:
		return `json_quote(` + ref + `)`
	}
}

// objectValue is column c of row r as an argument of json_object: text goes
// in as is (json_object quotes it), booleans and JSON need marking as JSON.
func objectValue(r string, c Column) string {
	switch c.Kind {
	case KindBool, KindJSON:
		return `json(` + jsonValue(r, c) + `)`
	default:
		return r + `."` + c.Name + `"`
	}
}

func (t Table) rowIDExpr(r string) string {
	parts := make([]string, len(t.PK))
	for i, pk := range t.PK {
		parts[i] = r + `."` + pk + `"`
	}
	return strings.Join(parts, ` || ':' || `)
}

func (t Table) keyExpr(r string) string {
	parts := make([]string, len(t.PK))
	for i, pk := range t.PK {
		parts[i] = `'` + pk + `', ` + r + `."` + pk + `"`
	}
	return `json_object(` + strings.Join(parts, ", ") + `)`
}

func (t Table) fullRowExpr(r string) string {
	parts := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		parts[i] = `'` + c.Name + `', ` + objectValue(r, c)
	}
	return `json_object(` + strings.Join(parts, ", ") + `)`
}

// changedFieldsExpr is a JSON object of the columns whose value changed,
// built as text by one scalar expression (column names are plain
// identifiers; values are JSON already): a subquery per column and an
// aggregate cost several times more on every update of a synced row.
func (t Table) changedFieldsExpr() string {
	parts := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		parts[i] = fmt.Sprintf(`CASE WHEN NEW."%s" IS NOT OLD."%s" THEN ',"%s":' || %s ELSE '' END`, c.Name, c.Name, c.Name, jsonValue("NEW", c))
	}
	return `('{' || substr(` + strings.Join(parts, " || ") + `, 2) || '}')`
}

// sqliteTriggers returns the statements that (re)create the table's outbox triggers.
func (t Table) sqliteTriggers() []string {
	n := t.Name
	out := []string{
		`DROP TRIGGER IF EXISTS sync_` + n + `_insert`,
		`DROP TRIGGER IF EXISTS sync_` + n + `_update`,
		`DROP TRIGGER IF EXISTS sync_` + n + `_delete`,
		fmt.Sprintf(`CREATE TRIGGER sync_%s_insert AFTER INSERT ON "%s" WHEN %s BEGIN
 INSERT INTO sync_outbox (%s) VALUES (%s, %s, '%s', %s, %s, 'insert', %s, %s); END`,
			n, n, recording, opColumns, triggerUUIDExpr, opContext, n, t.rowIDExpr("NEW"), t.keyExpr("NEW"), t.fullRowExpr("NEW"), opSchema),
		fmt.Sprintf(`CREATE TRIGGER sync_%s_delete AFTER DELETE ON "%s" WHEN %s BEGIN
 INSERT INTO sync_outbox (%s) VALUES (%s, %s, '%s', %s, %s, 'delete', %s, %s); END`,
			n, n, recording, opColumns, triggerUUIDExpr, opContext, n, t.rowIDExpr("OLD"), t.keyExpr("OLD"), t.keyExpr("OLD"), opSchema),
	}
	if t.Mode == ModeLWW {
		out = append(out, fmt.Sprintf(`CREATE TRIGGER sync_%s_update AFTER UPDATE ON "%s" WHEN %s BEGIN
 INSERT INTO sync_outbox (%s) SELECT %s, %s, '%s', %s, %s, 'update', f, %s FROM (SELECT %s AS f) WHERE f <> '{}'; END`,
			n, n, recording, opColumns, triggerUUIDExpr, opContext, n, t.rowIDExpr("NEW"), t.keyExpr("NEW"), opSchema, t.changedFieldsExpr()))
	}
	return out
}

// Enable turns the outbox on for a local SQLite store: it gives the install
// its id (once), records the schema version ops are written in, (re)creates
// the outbox triggers of every registered table and, the first time, records
// every row already stored as an insert so that nothing written before sync
// was set up is left behind. Once on, the outbox stays on (also in local
// mode), so switching back to hybrid later loses nothing.
func Enable(ctx context.Context, local *models.DB) (installID string, err error) {
	if local.Dialect() != models.DialectSQLite {
		return "", fmt.Errorf("syncer: the outbox lives in the local SQLite database, not in %s", local.Dialect())
	}
	schema, err := local.SchemaVersion(ctx)
	if err != nil {
		return "", err
	}
	tx, err := local.SQL().BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("syncer: unable to enable the outbox: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, qInitInstallID, models.NewID()); err != nil {
		return "", fmt.Errorf("syncer: unable to enable the outbox: %w", err)
	}
	if err := setState(ctx, tx, "schema_version", fmt.Sprint(schema)); err != nil {
		return "", err
	}
	for _, t := range Tables() {
		for _, stmt := range t.sqliteTriggers() {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return "", fmt.Errorf("syncer: unable to create the outbox triggers of %s: %w", t.Name, err)
			}
		}
	}
	var on string
	err = tx.QueryRowContext(ctx, qOutboxOn).Scan(&on)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("syncer: unable to enable the outbox: %w", err)
	}
	// Record, once per table, the rows stored before the table was synced:
	// before sync was set up, or before this version of Sambad synced it.
	for _, t := range Tables() {
		var seeded int
		if err := tx.QueryRowContext(ctx, qHasState, "seeded:"+t.Name).Scan(&seeded); err != nil {
			return "", fmt.Errorf("syncer: unable to enable the outbox: %w", err)
		}
		if seeded > 0 {
			continue
		}
		if on != "on" || !slices.Contains(legacySeeded, t.Name) {
			q := fmt.Sprintf(`INSERT INTO sync_outbox (%s) SELECT %s, %s, '%s', %s, %s, 'insert', %s, %s FROM "%s" AS r`,
				opColumns, uuidExpr, opContext, t.Name, t.rowIDExpr("r"), t.keyExpr("r"), t.fullRowExpr("r"), opSchema, t.Name)
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return "", fmt.Errorf("syncer: unable to record the rows of %s: %w", t.Name, err)
			}
		}
		if err := setState(ctx, tx, "seeded:"+t.Name, "1"); err != nil {
			return "", err
		}
	}
	if on != "on" {
		if err := setState(ctx, tx, "outbox", "on"); err != nil {
			return "", err
		}
	}
	if err := tx.QueryRowContext(ctx, qInstallID).Scan(&installID); err != nil {
		return "", fmt.Errorf("syncer: unable to read the install id: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("syncer: unable to enable the outbox: %w", err)
	}
	return installID, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func setState(ctx context.Context, tx execer, key, value string) error {
	_, err := tx.ExecContext(ctx, qSetState, key, value)
	if err != nil {
		return fmt.Errorf("syncer: unable to save %s: %w", key, err)
	}
	return nil
}

// RefreshOutbox brings an outbox that is on up to this version of Sambad
// right after the database is migrated, whatever the storage mode: it
// regenerates the triggers from the registry (so a column a migration added
// to a synced table, such as contacts.on_whatsapp, is recorded from the
// first write) and records the new schema version ops are written in. An
// install that never turned the outbox on is left alone. Without it, a
// local-mode install that was hybrid once would keep its old triggers and
// lose the new columns' changes when it goes back to hybrid.
func RefreshOutbox(ctx context.Context, local *models.DB) error {
	if local.Dialect() != models.DialectSQLite {
		return nil
	}
	var on string
	err := local.SQL().QueryRowContext(ctx, qOutboxOn).Scan(&on)
	if err == sql.ErrNoRows || (err == nil && on != "on") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("syncer: unable to read the outbox state: %w", err)
	}
	_, err = Enable(ctx, local)
	return err
}
