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
// # Storage boundary
//
// This package owns the sync tables and every statement that reads or
// writes them: locally sync_state, sync_outbox, sync_held and sync_rejected;
// in the cloud sync_meta, sync_tables, sync_rows, sync_clock, sync_applied
// and sync_leases, and the functions over them (sync_apply, sync_prune,
// sync_enable_tracking, sync_track). The models store owns the business
// tables and never touches these (one read remains: models' campaign_sends
// insert stamps the install id from sync_state, until the engine passes it
// in); TestSyncTablesHaveOneOwner keeps it so.
//
// The syncer does not ask the store for its connection. The composition root
// (cli) opens the database once with models.OpenDB and hands the same
// *models.DB to models.NewStore and to Worker.Local: one pool, because the
// outbox triggers write sync rows inside the store's own transactions on one
// SQLite file, and a second pool would only add lock contention. The cloud
// database is the worker's own: it opens (and migrates) it when it first
// connects and closes it when Run returns.
//
// The lease types and errors are the campaign engine's (campaign.LeaseInfo,
// campaign.ErrLeaseHeld, campaign.ErrLeaseLost): the engine declares the
// port it needs and Worker.CampaignLease implements it on sync_leases, as
// the whatsapp package implements the engine's Sender on the driver. No
// adapter sits in between.
//
// The schema of the sync tables is created by migrations 00004 and 00006 to
// 00008 in models/migrations (00006 also creates the business table
// campaign_sends), which are the database's one linear history
// (goose_db_version): the version every op carries and the cloud checks
// (min_client_schema), and what cloud-mode installs, which run no syncer,
// apply too. Shipped migrations are never edited; a change to the sync
// tables is a new migration there, named NNNNN_sync_*.sql, reviewed as this
// package's code.
//
// The package is named syncer so as not to clash with the standard sync.
package syncer
