package syncer

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cursor is the position of the last pulled row: (version, table, row id).
type cursor struct {
	Version int64
	Table   string
	RowID   string
}

func (c cursor) String() string { return fmt.Sprintf("%d|%s|%s", c.Version, c.Table, c.RowID) }

func parseCursor(s string) cursor {
	parts := strings.SplitN(s, "|", 3)
	if len(parts) != 3 {
		return cursor{}
	}
	v, _ := strconv.ParseInt(parts[0], 10, 64)
	return cursor{v, parts[1], parts[2]}
}

// pulledRow is one changed row from the cloud: its state at Version.
type pulledRow struct {
	Table   string
	RowID   string
	Version int64
	Deleted bool
	Data    map[string]json.RawMessage // nil for a tombstone
}

// fetchPage reads the next page of changed rows after c, in one snapshot so
// that each row's data matches its version.
func (w *Worker) fetchPage(ctx context.Context, cloud *sql.DB, c cursor, limit int) ([]pulledRow, error) {
	rctx, cancel := context.WithTimeout(ctx, w.opTimeout())
	defer cancel()
	tx, err := cloud.BeginTx(rctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to pull changes: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(rctx, qChangedRows, c.Version, c.Table, c.RowID, limit)
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to pull changes: %w", err)
	}
	var page []pulledRow
	for rows.Next() {
		var r pulledRow
		if err := rows.Scan(&r.Table, &r.RowID, &r.Version, &r.Deleted); err != nil {
			rows.Close()
			return nil, fmt.Errorf("syncer: unable to pull changes: %w", err)
		}
		page = append(page, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncer: unable to pull changes: %w", err)
	}
	// Load the live rows' data, one query per table.
	byTable := map[string][]int{}
	for i, r := range page {
		if !r.Deleted {
			byTable[r.Table] = append(byTable[r.Table], i)
		}
	}
	for name, idx := range byTable {
		t, known := lookupTable(name)
		if !known {
			continue // held by apply: this install does not know the table
		}
		keys := make([]map[string]string, len(idx))
		for j, i := range idx {
			keys[j] = map[string]string{}
			for k, v := range strings.Split(page[i].RowID, ":") {
				if k < len(t.PK) {
					keys[j][t.PK[k]] = v
				}
			}
		}
		kj, _ := json.Marshal(keys)
		pkCols := `"` + strings.Join(t.PK, `", "`) + `"`
		q := fmt.Sprintf(`SELECT to_jsonb(t.*) FROM %q t WHERE (%s) IN (SELECT %s FROM jsonb_populate_recordset(NULL::%q, $1::jsonb) k)`,
			t.Name, prefixCols("t", t.PK), prefixCols("k", t.PK), t.Name)
		_ = pkCols
		drows, err := tx.QueryContext(rctx, q, string(kj))
		if err != nil {
			return nil, fmt.Errorf("syncer: unable to pull rows of %s: %w", t.Name, err)
		}
		data := map[string]map[string]json.RawMessage{}
		for drows.Next() {
			var raw []byte
			if err := drows.Scan(&raw); err != nil {
				drows.Close()
				return nil, fmt.Errorf("syncer: unable to pull rows of %s: %w", t.Name, err)
			}
			m := map[string]json.RawMessage{}
			if err := json.Unmarshal(raw, &m); err != nil {
				drows.Close()
				return nil, fmt.Errorf("syncer: unable to read a row of %s: %w", t.Name, err)
			}
			data[t.rowIDOf(m)] = m
		}
		drows.Close()
		if err := drows.Err(); err != nil {
			return nil, fmt.Errorf("syncer: unable to pull rows of %s: %w", t.Name, err)
		}
		for _, i := range idx {
			page[i].Data = data[page[i].RowID]
		}
	}
	return page, tx.Commit()
}

func prefixCols(p string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = p + `."` + c + `"`
	}
	return strings.Join(out, ", ")
}

// cascadeDelete does what ON DELETE CASCADE would have done, since pulled
// rows are applied with foreign keys off: a child row added here while the
// parent was being deleted elsewhere never reached the cloud, so no tombstone
// will come for it.
func cascadeDelete(ctx context.Context, tx *cachedTx, parent Table, ids []string) error {
	if len(parent.PK) != 1 {
		return nil
	}
	for _, child := range Tables() {
		rows, err := tx.QueryContext(ctx, `SELECT "from", "to", on_delete FROM pragma_foreign_key_list(?) WHERE "table" = ?`, child.Name, parent.Name)
		if err != nil {
			return err
		}
		var cols []string
		for rows.Next() {
			var from string
			var to sql.NullString
			var onDelete string
			if err := rows.Scan(&from, &to, &onDelete); err != nil {
				rows.Close()
				return err
			}
			if onDelete == "CASCADE" && (!to.Valid || to.String == parent.PK[0]) {
				cols = append(cols, from)
			}
		}
		rows.Close()
		for _, col := range cols {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %q WHERE %q = ?`, child.Name, col), ids[0]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t Table) rowIDOf(m map[string]json.RawMessage) string {
	vals := make([]string, len(t.PK))
	for i, pk := range t.PK {
		var s string
		if err := json.Unmarshal(m[pk], &s); err != nil {
			// A number (a recipient's seq, a run): its JSON text is its key text.
			s = string(m[pk])
		}
		vals[i] = s
	}
	return rowID(vals)
}

// pending is what the outbox still holds for one row.
type pending struct {
	deleted bool
	all     bool            // an insert: every field is local
	fields  map[string]bool // updated fields
}

func pendingFor(ctx context.Context, tx *cachedTx, table, id string) (pending, error) {
	p := pending{fields: map[string]bool{}}
	rows, err := tx.QueryContext(ctx, qPendingForRow, table, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, fields string
		if err := rows.Scan(&kind, &fields); err != nil {
			return p, err
		}
		switch kind {
		case "delete":
			p.deleted = true
		case "insert":
			p.all = true
		default:
			m := map[string]json.RawMessage{}
			json.Unmarshal([]byte(fields), &m)
			for k := range m {
				p.fields[k] = true
			}
		}
	}
	return p, rows.Err()
}

// errHold marks a pulled row this install cannot apply now.
type errHold struct{ reason string }

func (e *errHold) Error() string { return e.reason }

// applyRow writes one pulled row locally, keeping fields that local changes
// still waiting in the outbox will overwrite in the cloud anyway.
func applyRow(ctx context.Context, tx *cachedTx, r pulledRow) error {
	t, ok := lookupTable(r.Table)
	if !ok {
		return &errHold{reason: fmt.Sprintf("table %s is not known to this version of Sambad", r.Table)}
	}
	p, err := pendingFor(ctx, tx, r.Table, r.RowID)
	if err != nil {
		return err
	}
	ids := strings.Split(r.RowID, ":")
	if len(ids) != len(t.PK) {
		return &errHold{reason: "malformed row id"}
	}
	where := make([]string, len(t.PK))
	for i, pk := range t.PK {
		where[i] = `"` + pk + `" = ?`
	}
	keyArgs := make([]any, len(ids))
	for i, id := range ids {
		keyArgs[i] = id
	}
	if r.Deleted {
		// Deletes win, even over local edits still waiting to be pushed.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %q WHERE %s`, t.Name, strings.Join(where, " AND ")), keyArgs...); err != nil {
			return err
		}
		return cascadeDelete(ctx, tx, t, ids)
	}
	if r.Data == nil || p.deleted || p.all {
		// Gone again, deleted here (the delete will win), or created here.
		return nil
	}
	for name := range r.Data {
		if _, ok := t.column(name); !ok {
			return &errHold{reason: fmt.Sprintf("column %s.%s comes from a newer schema: update Sambad on this computer", t.Name, name)}
		}
	}
	// Columns in registry order, so the statement text (and its prepared
	// statement) is the same for every row of the table.
	var cols, marks, sets []string
	var args []any
	for _, c := range t.Columns {
		name := c.Name
		raw, ok := r.Data[name]
		if !ok {
			continue
		}
		v, err := decodeValue(c, raw)
		if err != nil {
			return &errHold{reason: err.Error()}
		}
		cols = append(cols, `"`+name+`"`)
		marks = append(marks, "?")
		args = append(args, v)
		if !t.isPK(name) && !p.fields[name] {
			sets = append(sets, fmt.Sprintf(`"%s" = excluded."%s"`, name, name))
		}
	}
	conflict := "NOTHING"
	if len(sets) > 0 && t.Mode == ModeLWW {
		conflict = "UPDATE SET " + strings.Join(sets, ", ")
	}
	q := fmt.Sprintf(`INSERT INTO %q (%s) VALUES (%s) ON CONFLICT (%s) DO %s`, t.Name, strings.Join(cols, ", "), strings.Join(marks, ", "),
		`"`+strings.Join(t.PK, `", "`)+`"`, conflict)
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return &errHold{reason: "clashes with a local row: " + err.Error()}
		}
		return err
	}
	return nil
}

// decodeValue turns a pulled JSON value into what the SQLite column holds.
func decodeValue(c Column, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	switch c.Kind {
	case KindBool:
		var b bool
		err := json.Unmarshal(raw, &b)
		return b, err
	case KindInt:
		var n int64
		err := json.Unmarshal(raw, &n)
		return n, err
	case KindJSON:
		// Re-encode: the same text Go writes (compact, sorted keys).
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		b, err := json.Marshal(v)
		return string(b), err
	case KindTime:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		return ts.UTC(), nil
	default:
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
}

// applyPage applies pulled rows in one local transaction on a connection
// with foreign keys off (a child may arrive in an earlier page than the
// parent version it points to; the cloud keeps them consistent), marked as
// "applying" so the outbox triggers record nothing. Rows that cannot be
// applied now are held; held rows are retried first.
func applyPage(ctx context.Context, local *sql.DB, page []pulledRow, next *cursor) (applied int, err error) {
	conn, err := local.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("syncer: unable to apply pulled changes: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return 0, fmt.Errorf("syncer: unable to apply pulled changes: %w", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`); err != nil {
			// Never hand a connection without foreign keys back to the pool.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("syncer: unable to apply pulled changes: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &cachedTx{Tx: sqlTx, stmts: map[string]*sql.Stmt{}}
	if err := setState(ctx, tx, "applying", "1"); err != nil {
		return 0, err
	}
	if err := retryHeld(ctx, tx); err != nil {
		return 0, err
	}
	for _, r := range page {
		err := applyRow(ctx, tx, r)
		var hold *errHold
		switch {
		case errors.As(err, &hold):
			data, _ := json.Marshal(r.Data)
			_, err = tx.ExecContext(ctx, qHoldRow,
				r.Table, r.RowID, r.Version, r.Deleted, string(data), hold.reason)
		case err == nil:
			applied++
			_, err = tx.ExecContext(ctx, qUnholdRow, r.Table, r.RowID)
		}
		if err != nil {
			return 0, fmt.Errorf("syncer: unable to apply a pulled row of %s: %w", r.Table, err)
		}
	}
	// Rows held in this page may have been unblocked by later rows of it
	// (a phone freed by a delete that came after).
	if err := retryHeld(ctx, tx); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, qDoneApplying); err != nil {
		return 0, fmt.Errorf("syncer: %w", err)
	}
	if next != nil {
		if err := setState(ctx, tx, "cursor", next.String()); err != nil {
			return 0, err
		}
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if err := setState(ctx, tx, "last_pull_at", now); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("syncer: unable to apply pulled changes: %w", err)
	}
	return applied, nil
}

// retryHeld applies the held rows that can be applied now.
func retryHeld(ctx context.Context, tx *cachedTx) error {
	held, err := loadHeld(ctx, tx)
	if err != nil {
		return err
	}
	for _, h := range held {
		err := applyRow(ctx, tx, h)
		var hold *errHold
		if errors.As(err, &hold) {
			continue
		}
		if err != nil {
			return fmt.Errorf("syncer: unable to apply a held row of %s: %w", h.Table, err)
		}
		if _, err := tx.ExecContext(ctx, qUnholdRow, h.Table, h.RowID); err != nil {
			return fmt.Errorf("syncer: %w", err)
		}
	}
	return nil
}

func loadHeld(ctx context.Context, tx *cachedTx) ([]pulledRow, error) {
	rows, err := tx.QueryContext(ctx, qHeldRows)
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to read held rows: %w", err)
	}
	defer rows.Close()
	var out []pulledRow
	for rows.Next() {
		var r pulledRow
		var data string
		if err := rows.Scan(&r.Table, &r.RowID, &r.Version, &r.Deleted, &data); err != nil {
			return nil, fmt.Errorf("syncer: unable to read held rows: %w", err)
		}
		json.Unmarshal([]byte(data), &r.Data)
		out = append(out, r)
	}
	return out, rows.Err()
}

// cachedTx prepares each statement once per transaction: preparing a write
// on a synced table compiles its outbox triggers too, which costs far more
// than running it.
type cachedTx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

func (c *cachedTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	st, err := c.Tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.stmts[q] = st
	return st, nil
}

// ExecContext runs q through its cached prepared statement.
func (c *cachedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext runs q through its cached prepared statement.
func (c *cachedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
