package models

import (
	"context"
	"strings"
)

// Column masks of the contacts an upsert binds per row.
const (
	colName = 1 << iota
	colV1   // v1; vN is colV1 << (N-1)
)

// upsert inserts rows, or on a stored phone updates it, in one statement.
// Binding parameters through cgo costs SQLite more than inserting the row,
// so only what varies is bound: name and v1..v10 are written as an empty literal when
// every row of the chunk has them empty (and then left alone on stored
// contacts, whose merged value is empty too), and the times are one
// shared parameter: a new row is created now, and a stored one keeps its
// created_at as the conflict update does not set it.
func (b *bulkImport) upsert(ctx context.Context, rows []Contact) error {
	if len(rows) == 0 {
		return nil
	}
	mask := 0
	for i := range rows {
		c := &rows[i]
		if c.Name != "" {
			mask |= colName
		}
		for n, v := range [...]string{c.V1, c.V2, c.V3, c.V4, c.V5, c.V6, c.V7, c.V8, c.V9, c.V10} {
			if v != "" {
				mask |= colV1 << n
			}
		}
	}
	args := make([]any, 1, 1+len(rows)*(len(contactColumns)-2))
	args[0] = b.timeArg(rows[0].UpdatedAt)
	for i := range rows {
		c := &rows[i]
		attrs, err := c.Attributes.Value()
		if err != nil {
			return err
		}
		args = append(args, c.ID, c.Phone)
		if mask&colName != 0 {
			args = append(args, c.Name)
		}
		for n, v := range [...]string{c.V1, c.V2, c.V3, c.V4, c.V5, c.V6, c.V7, c.V8, c.V9, c.V10} {
			if mask&(colV1<<n) != 0 {
				args = append(args, v)
			}
		}
		args = append(args, attrs, c.OptedOut, c.SearchText)
	}
	return b.exec(ctx, b.upsertQuery(len(rows), mask), args...)
}

// upsertQuery is the statement upsert runs; its text only depends on the
// row count and the mask, so SQLite prepares it once an import.
func (b *bulkImport) upsertQuery(rows, mask int) string {
	// The rows are written straight between the named statement's halves:
	// a chunk's statement is tens of kilobytes, not worth copying again.
	named := b.q.ImportUpsert
	if b.mode == ImportUpdate {
		named = b.q.ImportUpsertUpdate
	}
	head, tail, _ := strings.Cut(named, "{rows}")
	var sb strings.Builder
	sb.WriteString(head)
	param := 1
	next := func() {
		param++
		sb.WriteString(bindVar(b.dialect, param))
	}
	shared := bindVar(b.dialect, 1)
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		next() // id
		sb.WriteByte(',')
		next() // phone
		for bit := colName; bit <= colV1<<(VariableCount-1); bit <<= 1 {
			sb.WriteByte(',')
			if mask&bit != 0 {
				next()
			} else {
				sb.WriteString("''")
			}
		}
		for range 3 { // attributes, opted_out, search_text
			sb.WriteByte(',')
			next()
		}
		sb.WriteString("," + shared + "," + shared + ")")
	}
	before, after, _ := strings.Cut(tail, "{columns}") // only import-upsert-update has one
	sb.WriteString(before)
	if b.mode == ImportUpdate {
		for i, col := range contactColumns[2:13] { // name, v1..v10
			if mask&(1<<i) != 0 {
				sb.WriteString(col + " = excluded." + col + ", ")
			}
		}
	}
	sb.WriteString(after)
	return sb.String()
}
