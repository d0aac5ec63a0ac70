package syncer

import (
	"context"
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
	db := w.Local.DB().WithContext(ctx)
	var kv []struct{ Key, Value string }
	if err := db.Raw(`SELECT key, value FROM sync_state`).Scan(&kv).Error; err != nil {
		return st, fmt.Errorf("syncer: unable to read the sync state: %w", err)
	}
	for _, e := range kv {
		switch e.Key {
		case "install_id":
			st.InstallID = e.Value
		case "last_push_at":
			st.LastPush, _ = time.Parse(time.RFC3339Nano, e.Value)
		case "last_pull_at":
			st.LastPull, _ = time.Parse(time.RFC3339Nano, e.Value)
		case "cursor":
			st.Cursor = parseCursor(e.Value).Version
		}
	}
	if err := db.Raw(`SELECT (SELECT COUNT(*) FROM sync_outbox), (SELECT COUNT(*) FROM sync_held)`).Row().Scan(&st.Pending, &st.Held); err != nil {
		return st, fmt.Errorf("syncer: unable to count waiting changes: %w", err)
	}
	var rows []struct {
		OpID, Tbl, RowID, Kind, Fields, Reason, RejectedAt string
	}
	if err := db.Raw(`SELECT op_id, tbl, row_id, kind, fields, reason, rejected_at FROM sync_rejected ORDER BY seq DESC LIMIT 200`).Scan(&rows).Error; err != nil {
		return st, fmt.Errorf("syncer: unable to read rejected changes: %w", err)
	}
	for _, r := range rows {
		at, _ := time.Parse(time.RFC3339Nano, r.RejectedAt)
		st.Rejected = append(st.Rejected, Rejected{OpID: r.OpID, Label: changeLabel(r.Kind, r.Tbl), Summary: summarise(r.Fields), Reason: friendlyReason(r.Reason),
			Table: r.Tbl, RowID: r.RowID, Kind: r.Kind, Fields: r.Fields, RejectedAt: at})
	}
	return st, nil
}

// DismissRejected removes a rejected change from the list once a person has
// dealt with it.
func (w *Worker) DismissRejected(ctx context.Context, opID string) error {
	if err := w.Local.DB().WithContext(ctx).Exec(`DELETE FROM sync_rejected WHERE op_id = ?`, opID).Error; err != nil {
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
	db, err := w.Local.DB().DB()
	if err != nil {
		return fmt.Errorf("syncer: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	defer tx.Rollback()
	var table, row string
	if err := tx.QueryRowContext(ctx, `SELECT tbl, row_id FROM sync_rejected WHERE op_id = ?`, opID).Scan(&table, &row); err != nil {
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
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_rejected WHERE tbl = ? AND row_id = ?`, table, row); err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("syncer: unable to retry a rejected change: %w", err)
	}
	w.SyncNow()
	return nil
}
