package syncer

import (
	"context"
	"fmt"
	"time"
)

// Rejected is a local change the cloud refused; it stays listed until a
// person dismisses it.
type Rejected struct {
	OpID       string
	Table      string
	RowID      string
	Kind       string
	Fields     string
	Reason     string
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
func (w *Worker) Status(ctx context.Context) (Status, error) {
	w.init()
	w.mu.Lock()
	st := Status{InstallID: w.installID, Connected: w.connected, State: w.state, LastError: w.lastErr, LastErrAt: w.lastErrAt}
	w.mu.Unlock()
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
		st.Rejected = append(st.Rejected, Rejected{OpID: r.OpID, Table: r.Tbl, RowID: r.RowID, Kind: r.Kind, Fields: r.Fields, Reason: r.Reason, RejectedAt: at})
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
