package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// op is one outbox entry as it travels to sync_apply.
type op struct {
	OpID      string          `json:"op_id"`
	InstallID string          `json:"install_id"`
	Seq       int64           `json:"seq"`
	Table     string          `json:"table"`
	RowID     string          `json:"row_id"`
	Key       json.RawMessage `json:"key"`
	Kind      string          `json:"kind"`
	Fields    json.RawMessage `json:"fields"`
	Schema    int64           `json:"schema"`
}

// opResult is sync_apply's answer for one op.
type opResult struct {
	OpID    string
	Status  string // applied, deleted (lost to a delete), rejected, schema
	Version sql.NullInt64
	Reason  sql.NullString
}

// ErrSchema reports that ops cannot be pushed until a schema is upgraded.
type ErrSchema struct{ Message string }

func (e *ErrSchema) Error() string { return "syncer: " + e.Message }

func readOutbox(ctx context.Context, local *sql.DB, limit int) ([]op, error) {
	rows, err := local.QueryContext(ctx, `SELECT seq, op_id, install_id, tbl, row_id, row_key, kind, fields, schema_version
		FROM sync_outbox ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to read the outbox: %w", err)
	}
	defer rows.Close()
	var ops []op
	for rows.Next() {
		var o op
		var key, fields string
		if err := rows.Scan(&o.Seq, &o.OpID, &o.InstallID, &o.Table, &o.RowID, &key, &o.Kind, &fields, &o.Schema); err != nil {
			return nil, fmt.Errorf("syncer: unable to read the outbox: %w", err)
		}
		o.Key, o.Fields = json.RawMessage(key), json.RawMessage(fields)
		ops = append(ops, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncer: unable to read the outbox: %w", err)
	}
	return ops, nil
}

// checkSchema refuses to push when this install is older than the cloud
// database accepts, or newer than the cloud database is.
func checkSchema(ctx context.Context, cloud *sql.DB, localSchema int64) error {
	var server int64
	var minClient sql.NullString
	err := cloud.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied),
		(SELECT value FROM sync_meta WHERE key = 'min_client_schema')`).Scan(&server, &minClient)
	if err != nil {
		return fmt.Errorf("syncer: unable to read the cloud schema version: %w", err)
	}
	if min, _ := strconv.ParseInt(minClient.String, 10, 64); localSchema < min {
		return &ErrSchema{Message: fmt.Sprintf("this install's database is at schema %d and the cloud database needs %d or newer: update Sambad on this computer; changes wait in the outbox meanwhile", localSchema, min)}
	}
	if localSchema > server {
		return &ErrSchema{Message: fmt.Sprintf("the cloud database is at schema %d, older than this install's %d: it could not apply these changes; changes wait in the outbox until it is migrated", server, localSchema)}
	}
	return nil
}

// pushBatch sends up to limit ops and records the answers. It returns how
// many ops left the outbox.
func (w *Worker) pushBatch(ctx context.Context, local, cloud *sql.DB, limit int) (int, error) {
	ops, err := readOutbox(ctx, local, limit)
	if err != nil || len(ops) == 0 {
		return 0, err
	}
	payload, err := json.Marshal(ops)
	if err != nil {
		return 0, fmt.Errorf("syncer: %w", err)
	}
	rctx, cancel := context.WithTimeout(ctx, w.opTimeout())
	defer cancel()
	rows, err := cloud.QueryContext(rctx, `SELECT op_id::text, status, version, reason FROM sync_apply($1::jsonb)`, string(payload))
	if err != nil {
		return 0, fmt.Errorf("syncer: unable to push changes: %w", err)
	}
	var results []opResult
	for rows.Next() {
		var r opResult
		if err := rows.Scan(&r.OpID, &r.Status, &r.Version, &r.Reason); err != nil {
			rows.Close()
			return 0, fmt.Errorf("syncer: unable to read the push results: %w", err)
		}
		results = append(results, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("syncer: unable to push changes: %w", err)
	}
	if w.afterPush != nil {
		w.afterPush()
	}
	return w.acknowledge(ctx, local, results)
}

// acknowledge removes the ops the cloud answered from the outbox (rejected
// ones move to sync_rejected), in one local transaction.
func (w *Worker) acknowledge(ctx context.Context, local *sql.DB, results []opResult) (int, error) {
	tx, err := local.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("syncer: unable to record the push: %w", err)
	}
	defer tx.Rollback()
	done := 0
	var schemaErr error
	for _, r := range results {
		switch r.Status {
		case "applied", "deleted":
		case "rejected":
			_, err := tx.ExecContext(ctx, `INSERT INTO sync_rejected (op_id, seq, tbl, row_id, kind, fields, reason)
				SELECT op_id, seq, tbl, row_id, kind, fields, ? FROM sync_outbox WHERE op_id = ? ON CONFLICT DO NOTHING`, r.Reason.String, r.OpID)
			if err != nil {
				return 0, fmt.Errorf("syncer: unable to record a rejected change: %w", err)
			}
		case "schema":
			schemaErr = &ErrSchema{Message: r.Reason.String}
		default:
			return 0, fmt.Errorf("syncer: unknown push result %q", r.Status)
		}
		if schemaErr != nil {
			// Ops are applied in order: stop at the first one the cloud cannot take.
			break
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_outbox WHERE op_id = ?`, r.OpID); err != nil {
			return 0, fmt.Errorf("syncer: unable to record the push: %w", err)
		}
		done++
	}
	if err := setState(ctx, tx, "last_push_at", time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("syncer: unable to record the push: %w", err)
	}
	return done, schemaErr
}
