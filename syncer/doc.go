// Package syncer is Sambad's hybrid storage sync: every write to a synced
// table of the local SQLite database records an op in an outbox, in the same
// transaction (SQLite triggers generated from the table registry, so bulk
// writes, raw SQL and cascaded deletes are covered too); a Worker pushes the
// outbox in order to Postgres, where sync_apply applies each op at most once
// and stamps a commit-ordered version, and pulls rows changed since its cursor
// without clobbering local changes still waiting to be pushed.
//
// Conflicts are field-level last-writer-wins by server version (the op that
// reaches the cloud last wins, whatever the installs' clocks say), deletes
// win, and tables registered with ModeAppend are insert-only and never
// conflict. Leases give each campaign exactly one sending install.
//
// The package is named syncer so as not to clash with the standard sync.
package syncer
