package models

import "strings"

// storeQueries are the statements of the store outside the campaign send
// path (dashboard, settings, webhooks, reports, bulk edits, audiences,
// files, backups), named in the second half of each queries/<dialect>.sql
// and checked at start-up like the rest of queries.
type storeQueries struct {
	// dashboard (dashboard.go).
	CountContacts         string `query:"count-contacts"`
	CountGroups           string `query:"count-groups"`
	CountCampaignsByState string `query:"count-campaigns-by-state"`
	ActivitySent          string `query:"activity-sent"`
	ActivityDelivered     string `query:"activity-delivered"`
	ActivityRead          string `query:"activity-read"`
	ActivityFailed        string `query:"activity-failed"`

	// settings (settings.go).
	Settings       string `query:"settings"`
	SettingsDelete string `query:"settings-delete"`
	SettingsPut    string `query:"settings-put"`

	// events (events.go).
	EventInsert  string `query:"event-insert"`
	EventsRecent string `query:"events-recent"`

	// webhooks (webhook_store.go).
	WebhookCreate           string `query:"webhook-create"`
	Webhook                 string `query:"webhook"`
	Webhooks                string `query:"webhooks"`
	WebhooksEnabledCount    string `query:"webhooks-enabled-count"`
	WebhooksDue             string `query:"webhooks-due"`
	WebhookUpdate           string `query:"webhook-update"`
	WebhookDeleteDeliveries string `query:"webhook-delete-deliveries"`
	WebhookDelete           string `query:"webhook-delete"`
	WebhookEventsAfter      string `query:"webhook-events-after"`
	WebhookEvent            string `query:"webhook-event"`
	WebhookAdvance          string `query:"webhook-advance"`
	WebhookFail             string `query:"webhook-fail"`
	WebhookSwitchOff        string `query:"webhook-switch-off"`
	WebhookDeliveryInsert   string `query:"webhook-delivery-insert"`
	WebhookDeliveries       string `query:"webhook-deliveries"`
	WebhookDelivery         string `query:"webhook-delivery"`
	WebhookPruneEvents      string `query:"webhook-prune-events"`
	WebhookLogOldestKept    string `query:"webhook-log-oldest-kept"`
	WebhookLogTrim          string `query:"webhook-log-trim"`

	// run reports (run_reports.go).
	RunReports       string `query:"run-reports"`
	RunReportFrom    string `query:"run-report-from"`
	RunReportTo      string `query:"run-report-to"`
	RunReportState   string `query:"run-report-state"`
	RunReportName    string `query:"run-report-name"`
	CountStatesByRun string `query:"count-states-by-run"`

	// users (user_store.go).
	LockUsers string `query:"lock-users,postgres"`

	// bulk edits (contact_bulk_edit.go).
	BulkEditsClear string `query:"bulk-edits-clear"`
	BulkUndoInsert string `query:"bulk-undo-insert"`
	BulkSetField   string `query:"bulk-set-field"`
	BulkUndoRows   string `query:"bulk-undo-rows"`
	BulkEditDelete string `query:"bulk-edit-delete"`

	// campaigns (campaign_store.go, campaign_duplicate.go, campaign_state_store.go).
	CampaignGroupsClear   string `query:"campaign-groups-clear"`
	CampaignContactsClear string `query:"campaign-contacts-clear"`
	CampaignGroupAdd      string `query:"campaign-group-add"`
	CampaignContactsAdd   string `query:"campaign-contacts-add"`
	CampaignGroupIDs      string `query:"campaign-group-ids"`
	CampaignContactIDs    string `query:"campaign-contact-ids"`
	CampaignMediaIDs      string `query:"campaign-media-ids"`
	CampaignDelete        string `query:"campaign-delete"`
	DuplicateGroups       string `query:"duplicate-groups"`
	DuplicateContacts     string `query:"duplicate-contacts"`
	DuplicateMedia        string `query:"duplicate-media"`
	FinishRun             string `query:"finish-run"`

	// files (media_store.go).
	MediaUsedBy        string `query:"media-used-by"`
	MediaUnlink        string `query:"media-unlink"`
	MediaChunksDelete  string `query:"media-chunks-delete"`
	MediaChunksPut     string `query:"media-chunks-put"`
	MediaChunk         string `query:"media-chunk"`
	MediaWithoutChunks string `query:"media-without-chunks"`

	// backups (backup_restore.go).
	ParkRunning  string `query:"park-running"`
	CountRunning string `query:"count-running"`

	// contact filters (contact_store.go, contact_list_sqlite.go, contact_bulk_edit.go).
	ContactSearch             string `query:"contact-search"`
	ContactSearchNumberHidden string `query:"contact-search-number-hidden"`
	ContactInGroup            string `query:"contact-in-group"`
	ContactOnWhatsApp         string `query:"contact-on-whatsapp"`
	ContactNotOnWhatsApp      string `query:"contact-not-on-whatsapp"`
	ContactOnWhatsAppUnknown  string `query:"contact-on-whatsapp-unknown"`
	ContactsPageIDs           string `query:"contacts-page-ids,sqlite"`
	ContactsCount             string `query:"contacts-count,sqlite"`
	ContactsByPhone           string `query:"contacts-by-phone"`
	GroupNamesOf              string `query:"group-names-of"`

	// audience preview (audience_preview.go).
	AudiencePreviewGroups   string `query:"audience-preview-groups"`
	AudiencePreviewContacts string `query:"audience-preview-contacts"`
	AudiencePreviewCount    string `query:"audience-preview-count"`
	AudiencePreviewFirst    string `query:"audience-preview-first"`

	// imports (contact_import.go).
	ImportMembersAdd string `query:"import-members-add"`

	// files, by dialect (media_store.go).
	MediaForDelete string `query:"media-for-delete"`

	// backups, by dialect (backup_tables.go).
	BackupTables       string `query:"backup-tables"`
	BackupColumns      string `query:"backup-columns"`
	BackupParents      string `query:"backup-parents"`
	ImportUpsert       string `query:"import-upsert"`
	ImportUpsertUpdate string `query:"import-upsert-update"`

	// SQLite only (contact_import.go, backup_dump.go, backup_restore.go).
	ImportCacheLarge        string `query:"import-cache-large,sqlite"`
	ImportCacheDefault      string `query:"import-cache-default,sqlite"`
	BackupCopy              string `query:"backup-copy,sqlite"`
	RestoreDeferForeignKeys string `query:"restore-defer-foreign-keys,sqlite"`
}

// fillSlot puts text where a named statement has {slot}. text is always
// another named piece, bind marks or a column name chosen in code — never
// a request's text, which only ever travels as a bound value.
func fillSlot(q, slot, text string) string {
	return strings.Replace(q, "{"+slot+"}", text, 1)
}

// whereClause is " WHERE " and the conditions joined with AND, or "" for
// none: the {where} slot of a statement whose filters are optional.
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}
