package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Rejected is a local change the cloud refused; it stays listed until a
// person dismisses it.
type Rejected struct {
	OpID       string
	Label      string // "New contact", "Edit group", ...
	Summary    string // the row's name and phone, when the change carries them
	Table      string
	RowID      string
	Kind       string
	Fields     string
	Reason     string // as the cloud said it, made readable where Sambad knows the cause
	RejectedAt time.Time
}

// Status is what the sync page shows.
type Status struct {
	InstallID  string
	Connected  bool
	State      string // online, offline, error, or "" before the first attempt
	LastPush   time.Time
	LastPull   time.Time
	Pending    int64
	Held       int64
	Rejected   []Rejected
	LastError  string
	LastErrAt  time.Time
	Cursor     int64
	SchemaNote string
}

// Status reports the worker's state and the local outbox.
func (w *Worker) Status(ctx context.Context) (st Status, err error) {
	w.init()
	w.mu.Lock()
	st = Status{InstallID: w.installID, Connected: w.connected, State: w.state, LastError: w.lastErr, LastErrAt: w.lastErrAt}
	lastPush, lastPull := w.lastPush, w.lastPull
	w.mu.Unlock()
	defer func() {
		if lastPush.After(st.LastPush) {
			st.LastPush = lastPush
		}
		if lastPull.After(st.LastPull) {
			st.LastPull = lastPull
		}
	}()
	db := w.Local.SQL()
	kv, err := readState(ctx, db)
	if err != nil {
		return st, err
	}
	for key, value := range kv {
		switch key {
		case "install_id":
			st.InstallID = value
		case "last_push_at":
			st.LastPush, _ = time.Parse(time.RFC3339Nano, value)
		case "last_pull_at":
			st.LastPull, _ = time.Parse(time.RFC3339Nano, value)
		case "cursor":
			st.Cursor = parseCursor(value).Version
		}
	}
	if err := db.QueryRowContext(ctx, qCountWaiting).Scan(&st.Pending, &st.Held); err != nil {
		return st, fmt.Errorf("syncer: unable to count waiting changes: %w", err)
	}
	if st.Rejected, err = readRejected(ctx, db); err != nil {
		return st, err
	}
	return st, nil
}

// readState returns the local sync_state as a map.
func readState(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, qState)
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to read the sync state: %w", err)
	}
	defer rows.Close()
	kv := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("syncer: unable to read the sync state: %w", err)
		}
		kv[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncer: unable to read the sync state: %w", err)
	}
	return kv, nil
}

// readRejected returns the last 200 rejected changes, newest first.
func readRejected(ctx context.Context, db *sql.DB) ([]Rejected, error) {
	rows, err := db.QueryContext(ctx, qRejected)
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to read rejected changes: %w", err)
	}
	defer rows.Close()
	var out []Rejected
	for rows.Next() {
		var r Rejected
		var at string
		if err := rows.Scan(&r.OpID, &r.Table, &r.RowID, &r.Kind, &r.Fields, &r.Reason, &at); err != nil {
			return nil, fmt.Errorf("syncer: unable to read rejected changes: %w", err)
		}
		r.RejectedAt, _ = time.Parse(time.RFC3339Nano, at)
		r.Label, r.Summary, r.Reason = changeLabel(r.Kind, r.Table), summarise(r.Fields), friendlyReason(r.Reason)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncer: unable to read rejected changes: %w", err)
	}
	return out, nil
}

// DismissRejected removes a rejected change from the list once a person has
// dealt with it.
func (w *Worker) DismissRejected(ctx context.Context, opID string) error {
	if _, err := w.Local.SQL().ExecContext(ctx, qDismissRejected, opID); err != nil {
		return fmt.Errorf("syncer: unable to dismiss a rejected change: %w", err)
	}
	return nil
}

// changeLabel names a change for people: "New contact", "Edit group".
func changeLabel(kind, table string) string {
	noun := map[string]string{"contacts": "contact", "contact_groups": "group", "group_members": "group membership"}[table]
	if noun == "" {
		noun = table + " row"
	}
	switch kind {
	case "insert":
		return "New " + noun
	case "update":
		return "Edit " + noun
	case "delete":
		return "Delete " + noun
	}
	return kind + " " + noun
}

// friendlyReason explains the refusals people can fix; others are shown as
// the database put them.
func friendlyReason(reason string) string {
	switch {
	case strings.Contains(reason, "contacts_phone_key"):
		return "Another install already has a contact with this phone number."
	case strings.Contains(reason, "contact_groups_name_lower"):
		return "Another install already has a group with this name."
	case strings.Contains(reason, "does not exist in the cloud database"):
		return "This row never reached the cloud (an earlier change to it was rejected)."
	}
	return reason
}

// summarise picks the fields a person recognises a row by.
func summarise(fields string) string {
	m := map[string]any{}
	json.Unmarshal([]byte(fields), &m)
	var parts []string
	for _, k := range []string{"name", "phone"} {
		if v, ok := m[k].(string); ok && v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " · ")
}

// RetryRejected sends a rejected row again as it is now on this install
// (after a person fixed what the cloud refused, such as a phone another
// install already had), and clears the row's rejected changes.
func (w *Worker) RetryRejected(ctx context.Context, opID string) error {
	tx, err := w.Local.SQL().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	defer tx.Rollback()
	var table, row string
	if err := tx.QueryRowContext(ctx, qRejectedRow, opID).Scan(&table, &row); err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	t, ok := lookupTable(table)
	if !ok {
		return fmt.Errorf("syncer: table %s is not synced", table)
	}
	// The row as it is now, as an insert (an upsert in the cloud); nothing
	// when it has been deleted here since.
	q := fmt.Sprintf(`INSERT INTO sync_outbox (%s) SELECT %s, %s, '%s', %s, %s, 'insert', %s, %s FROM "%s" AS r WHERE %s = ?`,
		opColumns, uuidExpr, opContext, t.Name, t.rowIDExpr("r"), t.keyExpr("r"), t.fullRowExpr("r"), opSchema, t.Name, t.rowIDExpr("r"))
	if _, err := tx.ExecContext(ctx, q, row); err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	if _, err := tx.ExecContext(ctx, qClearRejectedRow, table, row); err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	w.SyncNow()
	return nil
}
