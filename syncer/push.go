package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
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
	// Run numbers consecutive ops the cloud can apply as one statement:
	// same table, kind and fields, no row twice.
	Run int `json:"run"`
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

// maxBatchBytes bounds the fields one push batch carries. The batch is held
// twice (the ops and their JSON) while sync_apply runs, and media files travel
// as 16 KiB chunk rows: without a byte bound a batch of 1000 chunks of a large
// file cost the pushing install hundreds of MiB.
const maxBatchBytes = 4 << 20

// readOutbox reads up to limit ops after seq, in order, stopping early once
// the ops read carry maxBatchBytes (always at least one op).
func readOutbox(ctx context.Context, local *sql.DB, after int64, limit int) ([]op, error) {
	rows, err := local.QueryContext(ctx, qReadOutbox, after, limit)
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to read the outbox: %w", err)
	}
	defer rows.Close()
	var ops []op
	size := 0
	for rows.Next() {
		var o op
		var key, fields string
		if err := rows.Scan(&o.Seq, &o.OpID, &o.InstallID, &o.Table, &o.RowID, &key, &o.Kind, &fields, &o.Schema); err != nil {
			return nil, fmt.Errorf("syncer: unable to read the outbox: %w", err)
		}
		o.Key, o.Fields = json.RawMessage(key), json.RawMessage(fields)
		ops = append(ops, o)
		if size += len(key) + len(fields); size >= maxBatchBytes {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncer: unable to read the outbox: %w", err)
	}
	return ops, nil
}

// numberRuns groups consecutive ops into runs for sync_apply's fast path.
func numberRuns(ops []op) {
	run, prevKeys := 0, ""
	rows := map[string]bool{}
	for i := range ops {
		keys := fieldNames(ops[i].Fields)
		if i > 0 && (ops[i].Table != ops[i-1].Table || ops[i].Kind != ops[i-1].Kind || keys != prevKeys || rows[ops[i].RowID]) {
			run++
			rows = map[string]bool{}
		}
		rows[ops[i].RowID] = true
		prevKeys = keys
		ops[i].Run = run
	}
}

// fieldNames returns an op's field names, sorted and joined.
func fieldNames(fields json.RawMessage) string {
	m := map[string]json.RawMessage{}
	json.Unmarshal(fields, &m)
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func allApplied(results []opResult) bool {
	for _, r := range results {
		if r.Status != "applied" && r.Status != "deleted" {
			return false
		}
	}
	return true
}

// checkSchema refuses to push when this install is older than the cloud
// database accepts, or newer than the cloud database is.
func checkSchema(ctx context.Context, cloud *sql.DB, localSchema int64) error {
	var server int64
	var minClient sql.NullString
	err := cloud.QueryRowContext(ctx, qCloudSchema).Scan(&server, &minClient)
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

// pushAll sends the outbox in batches. While the cloud applies one batch,
// the next is read from SQLite, so local and remote work overlap.
func (w *Worker) pushAll(ctx context.Context, local, cloud *sql.DB) error {
	cur, err := readOutbox(ctx, local, 0, w.BatchSize)
	for err == nil && len(cur) > 0 {
		type answer struct {
			results []opResult
			err     error
		}
		answered := make(chan answer, 1)
		go func(ops []op) {
			r, err := w.apply(ctx, cloud, ops)
			answered <- answer{r, err}
		}(cur)
		next, nerr := readOutbox(ctx, local, cur[len(cur)-1].Seq, w.BatchSize)
		a := <-answered
		if a.err != nil {
			return a.err
		}
		if w.afterPush != nil {
			w.afterPush()
		}
		if err := w.acknowledge(ctx, local, a.results, cur[0].Seq, cur[len(cur)-1].Seq); err != nil {
			return err
		}
		w.pruneClean = false
		cur, err = next, nerr
	}
	return err
}

// apply sends one batch to sync_apply and returns its answers, one per op, in order.
func (w *Worker) apply(ctx context.Context, cloud *sql.DB, ops []op) ([]opResult, error) {
	numberRuns(ops)
	payload, err := json.Marshal(ops)
	if err != nil {
		return nil, fmt.Errorf("syncer: %w", err)
	}
	rctx, cancel := context.WithTimeout(ctx, w.opTimeout())
	defer cancel()
	rows, err := cloud.QueryContext(rctx, qApply, string(payload))
	if err != nil {
		return nil, fmt.Errorf("syncer: unable to push changes: %w", err)
	}
	defer rows.Close()
	var results []opResult
	for rows.Next() {
		var r opResult
		if err := rows.Scan(&r.OpID, &r.Status, &r.Version, &r.Reason); err != nil {
			return nil, fmt.Errorf("syncer: unable to read the push results: %w", err)
		}
		results = append(results, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncer: unable to push changes: %w", err)
	}
	if len(results) != len(ops) {
		return nil, fmt.Errorf("syncer: the cloud answered %d of %d ops", len(results), len(ops))
	}
	for i := range ops {
		if results[i].OpID != ops[i].OpID {
			return nil, fmt.Errorf("syncer: the cloud answered op %s in the place of %s", results[i].OpID, ops[i].OpID)
		}
	}
	return results, nil
}

// acknowledge removes the ops the cloud answered from the outbox (rejected
// ones move to sync_rejected), in one local transaction.
func (w *Worker) acknowledge(ctx context.Context, local *sql.DB, results []opResult, first, last int64) error {
	tx, err := local.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("syncer: unable to record the push: %w", err)
	}
	defer tx.Rollback()
	if allApplied(results) {
		// The common case: one statement for the whole batch (ops are read
		// in seq order, and seqs only grow).
		res, err := tx.ExecContext(ctx, qAckRange, first, last)
		if err != nil {
			return fmt.Errorf("syncer: unable to record the push: %w", err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(results)) {
			return fmt.Errorf("syncer: the outbox changed under the push (%d of %d ops)", n, len(results))
		}
		if err := setState(ctx, tx, "last_push_at", time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("syncer: unable to record the push: %w", err)
		}
		return nil
	}
	var schemaErr error
	for _, r := range results {
		switch r.Status {
		case "applied", "deleted":
		case "rejected":
			_, err := tx.ExecContext(ctx, qRejectOp, r.Reason.String, r.OpID)
			if err != nil {
				return fmt.Errorf("syncer: unable to record a rejected change: %w", err)
			}
		case "schema":
			schemaErr = &ErrSchema{Message: r.Reason.String}
		default:
			return fmt.Errorf("syncer: unknown push result %q", r.Status)
		}
		if schemaErr != nil {
			// Ops are applied in order: stop at the first one the cloud cannot take.
			break
		}
		if _, err := tx.ExecContext(ctx, qAckOp, r.OpID); err != nil {
			return fmt.Errorf("syncer: unable to record the push: %w", err)
		}
	}
	if err := setState(ctx, tx, "last_push_at", time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("syncer: unable to record the push: %w", err)
	}
	return schemaErr
}
