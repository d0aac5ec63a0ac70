package syncer

// The fixed statements over the sync tables, named; SQL built from the
// table registry (outbox triggers, pulled-row upserts) is made next to its
// use. Local statements run on SQLite (? placeholders), cloud ones on
// Postgres ($n).

// Local (SQLite).
const (
	// qReadOutbox reads, in order, up to a number of ops after a seq.
	qReadOutbox = `SELECT seq, op_id, install_id, tbl, row_id, row_key, kind, fields, schema_version
		FROM sync_outbox WHERE seq > ? ORDER BY seq LIMIT ?`

	// qAckRange acknowledges a whole batch the cloud applied (seqs only grow).
	qAckRange = `DELETE FROM sync_outbox WHERE seq BETWEEN ? AND ?`

	// qRejectOp moves an op the cloud refused to the rejected list, with its
	// reason.
	qRejectOp = `INSERT INTO sync_rejected (op_id, seq, tbl, row_id, kind, fields, reason)
				SELECT op_id, seq, tbl, row_id, kind, fields, ? FROM sync_outbox WHERE op_id = ? ON CONFLICT DO NOTHING`

	// qAckOp acknowledges one op.
	qAckOp = `DELETE FROM sync_outbox WHERE op_id = ?`

	// qPendingForRow is what the outbox still holds for one row.
	qPendingForRow = `SELECT kind, fields FROM sync_outbox WHERE tbl = ? AND row_id = ? ORDER BY seq`

	// qHoldRow keeps a pulled row that cannot be applied yet, newest version
	// only.
	qHoldRow = `INSERT INTO sync_held (tbl, row_id, version, deleted, data, reason) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (tbl, row_id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, data = excluded.data, reason = excluded.reason, held_at = excluded.held_at`

	// qUnholdRow forgets a held row once applied.
	qUnholdRow = `DELETE FROM sync_held WHERE tbl = ? AND row_id = ?`

	// qDoneApplying turns the outbox triggers back on after applying pulled
	// rows.
	qDoneApplying = `DELETE FROM sync_state WHERE key = 'applying'`

	// qHeldRows are the held rows, oldest version first.
	qHeldRows = `SELECT tbl, row_id, version, deleted, data FROM sync_held ORDER BY version, tbl, row_id`

	// qCountWaiting counts the ops waiting to be pushed and the rows waiting
	// to be applied.
	qCountWaiting = `SELECT (SELECT COUNT(*) FROM sync_outbox), (SELECT COUNT(*) FROM sync_held)`

	// qState is the sync state (install id, cursor, last push and pull).
	qState = `SELECT key, value FROM sync_state`

	// qRejected are the last 200 rejected changes, newest first.
	qRejected = `SELECT op_id, tbl, row_id, kind, fields, reason, rejected_at FROM sync_rejected ORDER BY seq DESC LIMIT 200`

	// qDismissRejected removes a rejected change from the list.
	qDismissRejected = `DELETE FROM sync_rejected WHERE op_id = ?`

	// qRejectedRow is the row a rejected change was about.
	qRejectedRow = `SELECT tbl, row_id FROM sync_rejected WHERE op_id = ?`

	// qClearRejectedRow clears a row's rejected changes.
	qClearRejectedRow = `DELETE FROM sync_rejected WHERE tbl = ? AND row_id = ?`

	// qRetryFloor is the lowest seq this install may still send (see
	// retryFloor).
	qRetryFloor = `SELECT COALESCE((SELECT MIN(seq) FROM sync_outbox),
		(SELECT seq + 1 FROM sqlite_sequence WHERE name = 'sync_outbox'), 0)`

	// qCursor is the pull cursor ("" before the first pull).
	qCursor = `SELECT COALESCE((SELECT value FROM sync_state WHERE key = 'cursor'), '')`

	// qCountHeld counts the pulled rows waiting to be applied.
	qCountHeld = `SELECT COUNT(*) FROM sync_held`

	// qCountOutbox counts the ops waiting to be pushed.
	qCountOutbox = `SELECT COUNT(*) FROM sync_outbox`

	// qInitInstallID gives the install its id, once.
	qInitInstallID = `INSERT INTO sync_state (key, value) VALUES ('install_id', ?) ON CONFLICT (key) DO NOTHING`

	// qOutboxOn says whether the outbox is on.
	qOutboxOn = `SELECT value FROM sync_state WHERE key = 'outbox'`

	// qHasState says whether a state key is set.
	qHasState = `SELECT COUNT(*) FROM sync_state WHERE key = ?`

	// qInstallID is the install's id.
	qInstallID = `SELECT value FROM sync_state WHERE key = 'install_id'`

	// qSetState sets a state key.
	qSetState = `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`
)

// Cloud (Postgres).
const (
	// qCloudSchema is the cloud's schema version and the oldest client schema
	// it accepts.
	qCloudSchema = `SELECT (SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied),
		(SELECT value FROM sync_meta WHERE key = 'min_client_schema')`

	// qApply applies a batch of ops (a JSON array) at most once each, in
	// order, and answers one row per op.
	qApply = `SELECT op_id::text, status, version, reason FROM sync_apply($1::jsonb)`

	// qChangedRows is the next page of changed rows after the cursor (version,
	// table, row id).
	qChangedRows = `SELECT tbl, row_id, version, deleted FROM sync_rows
		WHERE (version, tbl, row_id) > ($1, $2, $3) ORDER BY version, tbl, row_id LIMIT $4`

	// qPrune deletes up to $3 of install $1's applied-op records below seq $2
	// and says how many.
	qPrune = `SELECT sync_prune($1, $2, $3)`

	// qEnableTracking makes the cloud version every change from now on; true
	// the first time.
	qEnableTracking = `SELECT sync_enable_tracking()`

	// qLeaseAcquire takes campaign $1's lease for install $2 for $3 seconds,
	// or renews it if $2 holds it; no row when another install holds it
	// unexpired (see Leases.Acquire).
	qLeaseAcquire = `INSERT INTO sync_leases AS l (campaign_id, install_id, acquired_at, renewed_at, expires_at)
		VALUES ($1, $2, now(), now(), now() + make_interval(secs => $3))
		ON CONFLICT (campaign_id) DO UPDATE
		   SET install_id = EXCLUDED.install_id, renewed_at = now(), expires_at = EXCLUDED.expires_at,
		       acquired_at = CASE WHEN l.install_id = EXCLUDED.install_id AND l.expires_at > now() THEN l.acquired_at ELSE now() END
		 WHERE l.install_id = EXCLUDED.install_id OR l.expires_at <= now()
		RETURNING ` + leaseColumns

	// qLeaseRenew extends a lease install $2 holds on campaign $1 by $3
	// seconds.
	qLeaseRenew = `UPDATE sync_leases
		SET renewed_at = now(), expires_at = now() + make_interval(secs => $3)
		WHERE campaign_id = $1 AND install_id = $2 AND expires_at > now()
		RETURNING ` + leaseColumns

	// qLeaseClaim renews a lease install $2 holds on campaign $1 and sets its
	// claim to run $4 up to seq $5.
	qLeaseClaim = `UPDATE sync_leases
		SET renewed_at = now(), expires_at = now() + make_interval(secs => $3),
		    claim_install = $2, claim_run = $4, claim_seq = $5, claimed_at = now()
		WHERE campaign_id = $1 AND install_id = $2 AND expires_at > now()
		RETURNING ` + leaseColumns

	// qLeaseRelease ends a lease install $2 holds on campaign $1, keeping the
	// row and its claim.
	qLeaseRelease = `UPDATE sync_leases SET expires_at = now() WHERE campaign_id = $1 AND install_id = $2 AND expires_at > now()`

	// qLeaseHolder is the unexpired lease on campaign $1.
	qLeaseHolder = `SELECT ` + leaseColumns + ` FROM sync_leases WHERE campaign_id = $1 AND expires_at > now()`
)
