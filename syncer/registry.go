package syncer

import (
	"fmt"
	"strings"
	"sync"
)

// Kind is how a column's value travels in an op's JSON.
type Kind int

// Column kinds.
const (
	KindText Kind = iota // JSON string
	KindTime             // JSON string, RFC 3339 (SQLite keeps the driver's text form)
	KindBool             // JSON true/false (SQLite keeps 0/1)
	KindJSON             // a JSON value kept as text in SQLite and as jsonb in Postgres
	KindInt              // JSON number
)

// Mode is how concurrent changes to a table's rows are resolved.
type Mode string

// Modes.
const (
	// ModeLWW: field-level last-writer-wins by server version; deletes win.
	ModeLWW Mode = "lww"
	// ModeAppend: insert-only rows (campaign send results); never conflict.
	ModeAppend Mode = "append"
)

// Column is one synced column.
type Column struct {
	Name string
	Kind Kind
}

// Table is one synced table. Columns lists every column that travels,
// primary key included.
type Table struct {
	Name    string
	PK      []string
	Mode    Mode
	Columns []Column
}

func textCols(names ...string) []Column {
	out := make([]Column, len(names))
	for i, n := range names {
		out[i] = Column{Name: n, Kind: KindText}
	}
	return out
}

var (
	registryMu sync.RWMutex
	// registry is the allow-list of synced tables, parents before children.
	// Nothing else (the WhatsApp session profile, error.log, sync bookkeeping)
	// ever reaches the cloud.
	registry = []Table{
		{
			Name: "contacts", PK: []string{"id"}, Mode: ModeLWW,
			Columns: append(append(textCols("id", "phone", "name", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10"),
				Column{"attributes", KindJSON}, Column{"opted_out", KindBool}, Column{"search_text", KindText}),
				Column{"created_at", KindTime}, Column{"updated_at", KindTime},
				// Schema 17: the number checker's result. Older installs
				// neither send nor read them; field-level LWW keeps them
				// when such an install edits the contact.
				Column{"on_whatsapp", KindBool}, Column{"on_whatsapp_checked_at", KindTime}),
		},
		{
			Name: "contact_groups", PK: []string{"id"}, Mode: ModeLWW,
			Columns: append(textCols("id", "name"), Column{"created_at", KindTime}, Column{"updated_at", KindTime}),
		},
		{
			Name: "group_members", PK: []string{"group_id", "contact_id"}, Mode: ModeLWW,
			Columns: append(textCols("group_id", "contact_id"), Column{"created_at", KindTime}),
		},
		// Campaigns: the campaign, its audience, its runs and its frozen
		// plan travel last-writer-wins (one install sends a campaign at a
		// time, under its lease); the send ledger is insert-only.
		{
			Name: "campaigns", PK: []string{"id"}, Mode: ModeLWW,
			Columns: append(textCols("id", "name", "template", "state", "pause_reason", "last_error", "pacing", "account_ids"),
				Column{"scheduled_at", KindTime}, Column{"run", KindInt}, Column{"planned", KindInt}, Column{"opted_out", KindInt},
				Column{"started_at", KindTime}, Column{"finished_at", KindTime}, Column{"created_at", KindTime}, Column{"updated_at", KindTime},
				Column{"skip_not_on_whatsapp", KindBool}, // schema 17
				Column{"caption_mode", KindText}),        // schema 14
		},
		{Name: "campaign_groups", PK: []string{"campaign_id", "group_id"}, Mode: ModeLWW, Columns: textCols("campaign_id", "group_id")},
		{Name: "campaign_contacts", PK: []string{"campaign_id", "contact_id"}, Mode: ModeLWW, Columns: textCols("campaign_id", "contact_id")},
		{
			Name: "campaign_runs", PK: []string{"campaign_id", "run"}, Mode: ModeLWW,
			Columns: []Column{{"campaign_id", KindText}, {"run", KindInt}, {"kind", KindText}, {"recipients", KindInt},
				{"started_at", KindTime}, {"finished_at", KindTime}},
		},
		{
			Name: "campaign_recipients", PK: []string{"campaign_id", "seq"}, Mode: ModeLWW,
			Columns: []Column{{"campaign_id", KindText}, {"seq", KindInt}, {"contact_id", KindText}, {"phone", KindText},
				{"name", KindText}, {"body", KindText}, {"state", KindText}, {"run", KindInt}, {"message_id", KindText},
				{"error", KindText}, {"sent_at", KindTime}, {"delivered_at", KindTime}, {"read_at", KindTime},
				{"account_id", KindText}},
		},
		{
			Name: "campaign_sends", PK: []string{"id"}, Mode: ModeAppend,
			Columns: []Column{{"id", KindText}, {"campaign_id", KindText}, {"seq", KindInt}, {"run", KindInt}, {"phone", KindText},
				{"state", KindText}, {"message_id", KindText}, {"error", KindText}, {"install_id", KindText}, {"at", KindTime},
				{"part", KindInt}},
		},
		// The messages of a recipient of a campaign with files (one row
		// per text or file), last-writer-wins like the recipients.
		{
			Name: "campaign_messages", PK: []string{"campaign_id", "seq", "part"}, Mode: ModeLWW,
			Columns: []Column{{"campaign_id", KindText}, {"seq", KindInt}, {"part", KindInt}, {"run", KindInt}, {"kind", KindText},
				{"media_id", KindText}, {"body", KindText}, {"state", KindText}, {"message_id", KindText}, {"error", KindText},
				{"sent_at", KindTime}, {"delivered_at", KindTime}, {"read_at", KindTime}},
		},
		// The media library: a file's bytes travel as insert-only chunks
		// (keyed by content, so two installs uploading one file write the
		// same rows), then its row, then the campaigns' links to it.
		{
			Name: "media_chunks", PK: []string{"sha256", "idx"}, Mode: ModeAppend,
			Columns: []Column{{"sha256", KindText}, {"idx", KindInt}, {"data", KindText}},
		},
		{
			Name: "media", PK: []string{"id"}, Mode: ModeLWW,
			Columns: append(textCols("id", "sha256", "kind", "mime_type"), Column{"size", KindInt}, Column{"name", KindText},
				Column{"width", KindInt}, Column{"height", KindInt}, Column{"created_at", KindTime}, Column{"updated_at", KindTime}),
		},
		{
			Name: "campaign_media", PK: []string{"campaign_id", "media_id"}, Mode: ModeLWW,
			Columns: []Column{{"campaign_id", KindText}, {"media_id", KindText}, {"position", KindInt}},
		},
		// WhatsApp accounts: the row travels so every install lists every
		// account and knows which install holds its profile (the profile
		// directory itself never leaves its disk).
		{
			Name: "whatsapp_accounts", PK: []string{"id"}, Mode: ModeLWW,
			Columns: append(textCols("id", "name", "phone"), Column{"daily_cap", KindInt}, Column{"quiet_start", KindText},
				Column{"quiet_end", KindText}, Column{"holder_install_id", KindText}, Column{"position", KindInt},
				Column{"created_at", KindTime}, Column{"updated_at", KindTime}),
		},
	}
)

// legacySeeded are the tables whose existing rows Enable recorded before it
// kept track per table (schema 4 and 5).
var legacySeeded = []string{"contacts", "contact_groups", "group_members"}

// Register adds a table to the synced set. Call it at start-up, before the
// Worker's Enable; the table also needs, in the same release, a Postgres
// migration that inserts it into sync_tables and adds the sync_track trigger
// (see the README's "Supabase / Postgres" section).
func Register(t Table) error {
	if t.Name == "" || len(t.PK) == 0 || len(t.Columns) == 0 {
		return fmt.Errorf("syncer: table %q needs a name, a primary key and columns", t.Name)
	}
	if t.Mode != ModeLWW && t.Mode != ModeAppend {
		return fmt.Errorf("syncer: table %s: unknown mode %q", t.Name, t.Mode)
	}
	for _, pk := range t.PK {
		if _, ok := t.column(pk); !ok {
			return fmt.Errorf("syncer: table %s: primary key column %s is not in Columns", t.Name, pk)
		}
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, have := range registry {
		if have.Name == t.Name {
			return fmt.Errorf("syncer: table %s is already registered", t.Name)
		}
	}
	registry = append(registry, t)
	return nil
}

// Tables returns the synced tables, parents before children.
func Tables() []Table {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return append([]Table(nil), registry...)
}

func lookupTable(name string) (Table, bool) {
	for _, t := range Tables() {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

func (t Table) column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

func (t Table) isPK(name string) bool {
	for _, pk := range t.PK {
		if pk == name {
			return true
		}
	}
	return false
}

// rowID joins primary key values with ':' (ids are UUIDs, which hold none).
func rowID(values []string) string { return strings.Join(values, ":") }
