package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// BulkEdit sets or clears one field on many contacts: the ones named in
// IDs, or, when Match is set, every contact it matches (its page is
// ignored).
type BulkEdit struct {
	// Field is "name", "v1".."v10", "opted_out" or "attr:<key>".
	Field string
	// Clear empties the field (removes the attribute; opted_out: no longer
	// opted out) instead of setting it to Value (opted_out: opted out).
	Clear bool
	Value string
	IDs   []string
	Match *ContactQuery
}

// BulkEditRecord is the last bulk edit, which can be undone.
type BulkEditRecord struct {
	ID        string
	Field     string
	Op        string // "set" or "clear"
	Value     string
	Changed   int64
	CreatedAt time.Time
}

// TableName implements gorm's Tabler.
func (BulkEditRecord) TableName() string { return "contact_bulk_edits" }

// bulkField is a validated BulkEdit.Field.
type bulkField struct {
	name string // as given
	v    int    // 1..10 for vN
	attr string // the attribute's key for attr:<key>
}

func parseBulkField(f string) (bulkField, error) {
	f = strings.TrimSpace(f)
	switch {
	case f == "name", f == "opted_out":
		return bulkField{name: f}, nil
	case strings.HasPrefix(f, "attr:"):
		k := strings.TrimSpace(strings.TrimPrefix(f, "attr:"))
		if k == "" || len(k) > MaxAttributeKey || !attributeKey.MatchString(k) || reservedField(k) || VariableIndex(k) > 0 {
			return bulkField{}, &ValidationError{Field: "attribute", Message: fmt.Sprintf("attribute name %q must start with a letter and hold only letters, digits and _ (and not be a built-in field such as name, phone or v1)", echoInput(k))}
		}
		return bulkField{name: "attr:" + k, attr: k}, nil
	}
	if n := VariableIndex(f); n > 0 && f == "v"+strconv.Itoa(n) {
		return bulkField{name: f, v: n}, nil
	}
	return bulkField{}, &ValidationError{Field: "field", Message: fmt.Sprintf("%q is not a field a bulk edit can change: choose name, v1 to v10, an attribute or opted out", echoInput(f))}
}

// get returns the field's value in c; ok is false for an absent attribute.
func (f bulkField) get(c *Contact) (v string, ok bool) {
	switch {
	case f.name == "name":
		return c.Name, true
	case f.name == "opted_out":
		return strconv.FormatBool(c.OptedOut), true
	case f.v > 0:
		return c.Variable(f.v), true
	}
	v, ok = c.Attributes[f.attr]
	return v, ok
}

// set puts v in c's field; ok false removes the attribute.
func (f bulkField) set(c *Contact, v string, ok bool) {
	switch {
	case f.name == "name":
		c.Name = v
	case f.name == "opted_out":
		c.OptedOut = v == "true"
	case f.v > 0:
		c.SetVariable(f.v, v)
	default:
		attrs := Attributes{}
		for k, x := range c.Attributes {
			attrs[k] = x
		}
		if ok {
			attrs[f.attr] = v
		} else {
			delete(attrs, f.attr)
		}
		c.Attributes = attrs
	}
}

// column is the contacts column the field lives in.
func (f bulkField) column() string {
	switch {
	case f.name == "name", f.name == "opted_out":
		return f.name
	case f.v > 0:
		return "v" + strconv.Itoa(f.v)
	}
	return "attributes"
}

// target is the value the edit gives the field, and whether it is present.
func (e BulkEdit) target(f bulkField) (string, bool, error) {
	if f.name == "opted_out" {
		return strconv.FormatBool(!e.Clear), true, nil
	}
	if e.Clear {
		return "", f.attr == "", nil
	}
	v := strings.TrimSpace(e.Value)
	if v == "" {
		return "", false, &ValidationError{Field: "value", Message: "type the value to set, or choose “clear”"}
	}
	max := MaxVariableLen
	if f.name == "name" {
		max = MaxNameLen
	}
	if utf8.RuneCountInString(v) > max {
		return "", false, &ValidationError{Field: "value", Message: fmt.Sprintf("is longer than %d characters", max)}
	}
	return v, true, nil
}

// errNothingChanged rolls back a bulk edit that changed no contact.
var errNothingChanged = errors.New("nothing changed")

// BulkEditContacts applies e in one transaction and returns how many
// contacts it changed (contacts that already had the value are not
// counted). It replaces the last bulk edit's undo with this one's, unless
// it changed nothing.
func (s *Store) BulkEditContacts(ctx context.Context, e BulkEdit) (int64, error) {
	f, err := parseBulkField(e.Field)
	if err != nil {
		return 0, err
	}
	val, present, err := e.target(f)
	if err != nil {
		return 0, err
	}
	if e.Match != nil && e.Match.GroupID != "" && !ValidID(e.Match.GroupID) {
		return 0, fmt.Errorf("store: group %s: %w", e.Match.GroupID, ErrNotFound)
	}
	op := "set"
	if e.Clear {
		op = "clear"
	}
	var changed int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(s.q.BulkEditsClear).Error; err != nil {
			return err
		}
		ids, err := bulkTargets(tx, s.q, e)
		if err != nil {
			return err
		}
		rec := BulkEditRecord{ID: NewID(), Field: f.name, Op: op, Value: val, CreatedAt: s.now()}
		if f.name == "opted_out" {
			rec.Value = ""
		}
		if err := tx.Create(&rec).Error; err != nil {
			return err
		}
		now := s.now()
		for _, chunk := range chunks(ids, 500) {
			var cs []Contact
			if err := tx.Where("id IN ?", chunk).Find(&cs).Error; err != nil {
				return err
			}
			for i := range cs {
				c := &cs[i]
				old, had := f.get(c)
				if old == val && had == present {
					continue
				}
				var prev any = old
				if !had {
					prev = nil
				}
				if err := tx.Exec(s.q.BulkUndoInsert, rec.ID, c.ID, prev).Error; err != nil {
					return err
				}
				f.set(c, val, present)
				if err := writeBulkField(tx, s.q, f, c, now); err != nil {
					return err
				}
				changed++
			}
		}
		if changed == 0 {
			return errNothingChanged // keeps the last edit's undo
		}
		return tx.Model(&rec).Update("changed", changed).Error
	})
	if errors.Is(err, errNothingChanged) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: unable to edit contacts: %w", err)
	}
	return changed, nil
}

// bulkTargets is the ids a bulk edit applies to, read inside its
// transaction so that the set edited is the set counted.
func bulkTargets(tx *gorm.DB, named *queries, e BulkEdit) ([]string, error) {
	var ids []string
	if e.Match == nil {
		for _, chunk := range chunks(validIDs(e.IDs), 500) {
			var found []string
			if err := tx.Model(&Contact{}).Where("id IN ?", chunk).Pluck("id", &found).Error; err != nil {
				return nil, err
			}
			ids = append(ids, found...)
		}
		return ids, nil
	}
	q := tx.Model(&Contact{})
	if cond, args := e.Match.searchCond(named); cond != "" {
		q = q.Where(cond, args...)
	}
	if e.Match.GroupID != "" {
		q = q.Where(named.ContactInGroup, e.Match.GroupID)
	}
	if cond := e.Match.onWhatsAppCond(named); cond != "" {
		q = q.Where(cond)
	}
	err := q.Order("id").Pluck("id", &ids).Error
	return ids, err
}

// writeBulkField stores c's edited field with its search text.
func writeBulkField(tx *gorm.DB, q *queries, f bulkField, c *Contact, now time.Time) error {
	c.refreshSearch()
	var v any
	switch col := f.column(); col {
	case "opted_out":
		v = c.OptedOut
	case "attributes":
		v = c.Attributes
	case "name":
		v = c.Name
	default:
		v = c.Variable(f.v)
	}
	// The column name comes from bulkField.column, never from the request.
	return tx.Exec(fillSlot(q.BulkSetField, "column", f.column()), v, c.SearchText, now, c.ID).Error
}

// LastBulkEdit returns the bulk edit that Undo would revert, or nil.
func (s *Store) LastBulkEdit(ctx context.Context) (*BulkEditRecord, error) {
	var rec BulkEditRecord
	err := s.db.WithContext(ctx).Order("created_at DESC").Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load the last bulk edit: %w", err)
	}
	return &rec, nil
}

// UndoBulkEdit puts back the values the last bulk edit replaced, in one
// transaction, and forgets it; it returns how many contacts were restored
// (a contact deleted since is skipped). ErrNotFound when there is nothing
// to undo.
func (s *Store) UndoBulkEdit(ctx context.Context) (int64, error) {
	var restored int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rec BulkEditRecord
		err := tx.Order("created_at DESC").Take(&rec).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("store: bulk edit: %w", ErrNotFound)
		}
		if err != nil {
			return err
		}
		f, err := parseBulkField(rec.Field)
		if err != nil {
			return err
		}
		var rows []struct {
			ContactID string
			Previous  sql.NullString
		}
		if err := tx.Raw(s.q.BulkUndoRows, rec.ID).Scan(&rows).Error; err != nil {
			return err
		}
		prev := make(map[string]sql.NullString, len(rows))
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			prev[r.ContactID] = r.Previous
			ids = append(ids, r.ContactID)
		}
		now := s.now()
		for _, chunk := range chunks(ids, 500) {
			var cs []Contact
			if err := tx.Where("id IN ?", chunk).Find(&cs).Error; err != nil {
				return err
			}
			for i := range cs {
				p := prev[cs[i].ID]
				f.set(&cs[i], p.String, p.Valid)
				if err := writeBulkField(tx, s.q, f, &cs[i], now); err != nil {
					return err
				}
				restored++
			}
		}
		return tx.Exec(s.q.BulkEditDelete, rec.ID).Error
	})
	if errors.Is(err, ErrNotFound) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("store: unable to undo the bulk edit: %w", err)
	}
	return restored, nil
}
