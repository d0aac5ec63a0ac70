package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ImportMode says what an import does with a phone that is already stored.
type ImportMode string

// Import modes.
const (
	ImportUpdate ImportMode = "update" // change the stored contact
	ImportSkip   ImportMode = "skip"   // leave the stored contact as it is
)

// ParseImportMode reads "update" or "skip" ("" is update).
func ParseImportMode(s string) (ImportMode, error) {
	switch ImportMode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ImportUpdate:
		return ImportUpdate, nil
	case ImportSkip:
		return ImportSkip, nil
	}
	return "", &ValidationError{Field: "mode", Message: fmt.Sprintf("%q is not a mode: use update or skip", s)}
}

// ImportFields says which fields an import file has columns for. In update
// mode only these change on a stored contact; an empty cell clears the field.
type ImportFields struct {
	Name       bool
	Variables  [VariableCount]bool
	Attributes []string
}

// ImportRecord is one validated row of an import file.
type ImportRecord struct {
	Line    int
	Contact Contact  // Phone (E.164), Name, V1..V10, Attributes (non-empty values)
	Groups  []string // valid group names; missing groups are created
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Skipped int
	GroupsCreated             []string
}

// importChunk rows go in one INSERT: 17 parameters each stays far below
// SQLite's and Postgres' parameter limits.
const importChunk = 500

var contactColumns = []string{"id", "phone", "name", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
	"attributes", "opted_out", "search_text", "created_at", "updated_at"}

// ImportContacts writes the records next yields (nil or empty ends them) in
// one transaction: a failure anywhere leaves the database as it was. It uses
// multi-row INSERT … ON CONFLICT (phone) and computes search_text itself, so
// no GORM hook runs per row.
func (s *Store) ImportContacts(ctx context.Context, mode ImportMode, fields ImportFields, next func() ([]ImportRecord, error)) (ImportResult, error) {
	var res ImportResult
	sqlDB, err := s.db.DB()
	if err != nil {
		return res, fmt.Errorf("store: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("store: unable to start the import: %w", err)
	}
	defer conn.Close()
	if s.dialect == DialectSQLite {
		// A bigger page cache for this connection while it imports.
		if _, err := conn.ExecContext(ctx, s.q.ImportCacheLarge); err != nil {
			return res, fmt.Errorf("store: unable to start the import: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), s.q.ImportCacheDefault)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store: unable to start the import: %w", err)
	}
	defer tx.Rollback()
	imp := &bulkImport{tx: tx, dialect: s.dialect, q: s.q, mode: mode, fields: fields, groups: map[string]string{}, res: &res, stmts: map[string]*sql.Stmt{}}
	defer imp.closeStmts()
	// Rows are written importChunk at a time, whatever size next's batches are.
	var pending []ImportRecord
	for {
		batch, err := next()
		if err != nil {
			return ImportResult{}, err
		}
		pending = append(pending, batch...)
		for len(pending) >= importChunk || (len(batch) == 0 && len(pending) > 0) {
			n := min(importChunk, len(pending))
			if err := imp.write(ctx, pending[:n]); err != nil {
				return ImportResult{}, fmt.Errorf("store: unable to import contacts: %w", err)
			}
			pending = append(pending[:0], pending[n:]...)
		}
		if len(batch) == 0 {
			break
		}
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("store: unable to import contacts: %w", err)
	}
	return res, nil
}

type bulkImport struct {
	tx      *sql.Tx
	dialect string
	q       *queries
	mode    ImportMode
	fields  ImportFields
	groups  map[string]string // lower(name) → id
	res     *ImportResult
	stmts   map[string]*sql.Stmt
}

// exec runs a statement, prepared once per import on SQLite: parsing a
// 9,000-parameter INSERT costs more than running it.
func (b *bulkImport) exec(ctx context.Context, query string, args ...any) error {
	if b.dialect != DialectSQLite {
		_, err := b.tx.ExecContext(ctx, query, args...)
		return err
	}
	st, err := b.prepared(ctx, query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// QueryContext runs a query in the import's transaction, prepared once per
// import on SQLite like exec.
func (b *bulkImport) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if b.dialect != DialectSQLite {
		return b.tx.QueryContext(ctx, query, args...)
	}
	st, err := b.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (b *bulkImport) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := b.stmts[query]; ok {
		return st, nil
	}
	st, err := b.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	b.stmts[query] = st
	return st, nil
}

func (b *bulkImport) closeStmts() {
	for _, st := range b.stmts {
		st.Close()
	}
}

func (b *bulkImport) write(ctx context.Context, recs []ImportRecord) error {
	phones := make([]string, len(recs))
	for i := range recs {
		phones[i] = recs[i].Contact.Phone
	}
	existing, err := lookupContacts(ctx, b, b.q, b.dialect, phones)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	rows := make([]Contact, 0, len(recs))
	var members [][2]string
	for i := range recs {
		r := &recs[i]
		c := r.Contact
		contactID := ""
		if ex, ok := existing[c.Phone]; ok {
			if b.mode == ImportSkip {
				b.res.Skipped++
				continue
			}
			c = MergeImport(ex, &r.Contact, b.fields)
			contactID = ex.ID
			b.res.Updated++
		} else {
			c.CreatedAt = now
			b.res.Created++
		}
		// A fresh id for every row: a stored contact keeps its own, as the
		// conflict is on the phone and the update does not touch the id.
		c.ID = NewID()
		if contactID == "" {
			contactID = c.ID
		}
		c.UpdatedAt = now
		c.refreshSearch()
		rows = append(rows, c)
		for _, g := range r.Groups {
			gid, err := b.groupID(ctx, g, now)
			if err != nil {
				return err
			}
			members = append(members, [2]string{gid, contactID})
		}
	}
	if err := b.upsert(ctx, rows); err != nil {
		return err
	}
	return b.addMembers(ctx, members, now)
}

func (b *bulkImport) groupID(ctx context.Context, name string, now time.Time) (string, error) {
	key := strings.ToLower(name)
	if id, ok := b.groups[key]; ok {
		return id, nil
	}
	var id string
	err := b.tx.QueryRowContext(ctx, b.q.ImportGroupID, name).Scan(&id)
	if err == sql.ErrNoRows {
		id = NewID()
		_, err = b.tx.ExecContext(ctx, b.q.ImportGroupInsert, id, name, now, now)
		b.res.GroupsCreated = append(b.res.GroupsCreated, name)
	}
	if err != nil {
		return "", err
	}
	b.groups[key] = id
	return id, nil
}

func (b *bulkImport) addMembers(ctx context.Context, members [][2]string, now time.Time) error {
	for _, chunk := range chunks(members, importChunk) {
		args := make([]any, 0, len(chunk)*3)
		for _, m := range chunk {
			args = append(args, m[0], m[1], now)
		}
		q := fillSlot(b.q.ImportMembersAdd, "rows", valuesList(b.dialect, len(chunk), 3))
		if err := b.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// timeArg formats a time as the SQLite driver would, once instead of per row.
func (b *bulkImport) timeArg(t time.Time) any {
	if b.dialect != DialectSQLite {
		return t
	}
	return t.Format("2006-01-02 15:04:05.999999999-07:00")
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// lookupContacts returns the stored contacts among phones, keyed by phone.
func lookupContacts(ctx context.Context, q queryer, named *queries, dialect string, phones []string) (map[string]*Contact, error) {
	out := make(map[string]*Contact, len(phones))
	for _, chunk := range chunks(phones, importChunk) {
		args := make([]any, len(chunk))
		for i, p := range chunk {
			args[i] = p
		}
		ph := valuesList(dialect, 1, len(chunk))
		rows, err := q.QueryContext(ctx, fillSlot(named.ContactsByPhone, "phones", ph), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			c := &Contact{}
			if err := rows.Scan(&c.ID, &c.Phone, &c.Name, &c.V1, &c.V2, &c.V3, &c.V4, &c.V5, &c.V6, &c.V7, &c.V8, &c.V9, &c.V10,
				&c.Attributes, &c.OptedOut, &c.CreatedAt); err != nil {
				rows.Close()
				return nil, err
			}
			out[c.Phone] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StoredContacts returns the stored contacts among phones, keyed by phone,
// for an import's dry run.
func (s *Store) StoredContacts(ctx context.Context, phones []string) (map[string]*Contact, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	found, err := lookupContacts(ctx, sqlDB, s.q, s.dialect, phones)
	if err != nil {
		return nil, fmt.Errorf("store: unable to look up phones: %w", err)
	}
	return found, nil
}
