package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// ContactQuery selects a page of contacts.
type ContactQuery struct {
	Q       string // matched against name, phone and v1..v10
	GroupID string // only members of this group
	// OnWhatsApp keeps contacts by what the last number check found:
	// "true", "false" or "unknown" (never checked, or it could not tell);
	// "" keeps all.
	OnWhatsApp string
	Page       int // 1-based
	PerPage    int
	// NumberHidden is set for a searcher who may not see numbers: Q then
	// matches a number only when it is that whole number (ExactPhone, the
	// term as E.164), never a part of one, so searching cannot reveal the
	// digits that masking hides.
	NumberHidden bool
	ExactPhone   string
}

// searchCond is the WHERE condition (with its arguments) that Q selects, or
// "" when there is no search: a named piece, the term only bound.
func (q ContactQuery) searchCond(named *queries) (string, []any) {
	t := strings.TrimSpace(q.Q)
	if t == "" {
		return "", nil
	}
	if !q.NumberHidden {
		return named.ContactSearch, []any{likePattern(t)}
	}
	// \x1f joins the fields of search_text: a term holding it could reach
	// into the number from a neighbouring field.
	p := likePattern(strings.ReplaceAll(t, "\x1f", " "))
	return named.ContactSearchNumberHidden, []any{p, p, q.ExactPhone}
}

// OnWhatsAppFilters are the values ContactQuery.OnWhatsApp accepts.
var OnWhatsAppFilters = []string{"true", "false", "unknown"}

// ValidOnWhatsAppFilter reports whether v is "" or one of OnWhatsAppFilters.
func ValidOnWhatsAppFilter(v string) bool {
	return v == "" || slices.Contains(OnWhatsAppFilters, v)
}

// onWhatsAppCond is the SQL condition of the OnWhatsApp filter; "" for none.
func (q ContactQuery) onWhatsAppCond(named *queries) string {
	switch q.OnWhatsApp {
	case "true":
		return named.ContactOnWhatsApp
	case "false":
		return named.ContactNotOnWhatsApp
	case "unknown":
		return named.ContactOnWhatsAppUnknown
	}
	return ""
}

// MaxPerPage bounds a page of contacts.
const MaxPerPage = 500

func (q *ContactQuery) normalise() {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = 50
	}
	if q.PerPage > MaxPerPage {
		q.PerPage = MaxPerPage
	}
}

// likePattern escapes LIKE's wildcards in a user's search term.
func likePattern(term string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(term))) + "%"
}

func (s *Store) contactScope(ctx context.Context, q ContactQuery) *gorm.DB {
	tx := s.db.WithContext(ctx).Model(&Contact{})
	if cond, args := q.searchCond(s.q); cond != "" {
		tx = tx.Where(cond, args...)
	}
	if q.GroupID != "" {
		tx = tx.Where(s.q.ContactInGroup, q.GroupID)
	}
	if cond := q.onWhatsAppCond(s.q); cond != "" {
		tx = tx.Where(cond)
	}
	return tx
}

// ListContacts returns one page of contacts ordered by name, and how many match in all.
func (s *Store) ListContacts(ctx context.Context, q ContactQuery) ([]Contact, int64, error) {
	q.normalise()
	if q.GroupID != "" && !ValidID(q.GroupID) {
		return nil, 0, fmt.Errorf("store: group %s: %w", q.GroupID, ErrNotFound)
	}
	if s.dialect == DialectSQLite {
		return s.listContactsSQLite(ctx, q)
	}
	var total int64
	if err := s.contactScope(ctx, q).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count contacts: %w", err)
	}
	items := []Contact{}
	err := s.contactScope(ctx, q).Order("name, id").Limit(q.PerPage).Offset((q.Page - 1) * q.PerPage).Find(&items).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list contacts: %w", err)
	}
	return items, total, nil
}

// GetContact returns one contact.
func (s *Store) GetContact(ctx context.Context, id string) (*Contact, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: contact %s: %w", id, ErrNotFound)
	}
	var c Contact
	err := s.db.WithContext(ctx).First(&c, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: contact %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load contact: %w", err)
	}
	return &c, nil
}

// GetContactByPhone returns the contact with this E.164 phone.
func (s *Store) GetContactByPhone(ctx context.Context, phone string) (*Contact, error) {
	var c Contact
	err := s.db.WithContext(ctx).First(&c, "phone = ?", phone).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: contact with phone %s: %w", phone, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load contact: %w", err)
	}
	return &c, nil
}

// CreateContact stores a new contact; a phone already stored is ErrDuplicate.
func (s *Store) CreateContact(ctx context.Context, c *Contact) error {
	return s.saveContact(ctx, c, true, nil)
}

// UpdateContact saves every field of an existing contact.
func (s *Store) UpdateContact(ctx context.Context, c *Contact) error {
	return s.saveContact(ctx, c, false, nil)
}

// saveContact inserts or updates c and, when m is not nil, sets its groups
// to m, all in one transaction: a form that fails on its groups leaves the
// contact as it was.
func (s *Store) saveContact(ctx context.Context, c *Contact, create bool, m *Memberships) error {
	verb := "update"
	if create {
		verb = "create"
		if c.ID == "" {
			c.ID = NewID()
		}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if create {
			err = insertContactTx(tx, c)
		} else {
			err = s.updateContactTx(tx, c)
		}
		if err == nil && m != nil {
			err = s.setMembershipsTx(tx, c.ID, *m)
		}
		return err
	})
	var ve *ValidationError
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.As(err, &ve) {
		return fmt.Errorf("store: unable to %s contact: %w", verb, err)
	}
	return err
}

// insertContactTx inserts c; a phone already stored is ErrDuplicate.
func insertContactTx(tx *gorm.DB, c *Contact) error {
	var n int64
	if err := tx.Model(&Contact{}).Where("phone = ?", c.Phone).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %w", ErrDuplicate, &ValidationError{Field: "phone", Message: fmt.Sprintf("%s is already a contact", c.Phone)})
	}
	return tx.Create(c).Error
}

// updateContactTx saves every field of c over the stored contact.
func (s *Store) updateContactTx(tx *gorm.DB, c *Contact) error {
	var n int64
	if err := tx.Model(&Contact{}).Where("phone = ? AND id <> ?", c.Phone, c.ID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %w", ErrDuplicate, &ValidationError{Field: "phone", Message: fmt.Sprintf("%s is already another contact", c.Phone)})
	}
	// A new number has not been checked: what a number check found was
	// about the old one.
	var oldPhone string
	if err := tx.Model(&Contact{}).Where("id = ?", c.ID).Pluck("phone", &oldPhone).Error; err != nil {
		return err
	}
	if oldPhone != "" && oldPhone != c.Phone {
		c.OnWhatsApp, c.OnWhatsAppCheckedAt = nil, nil
	}
	c.UpdatedAt = s.now()
	c.refreshSearch()
	res := tx.Model(&Contact{}).Where("id = ?", c.ID).Select("*").Omit("id", "created_at").Updates(c)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: contact %s: %w", c.ID, ErrNotFound)
	}
	return nil
}

// DeleteContacts deletes contacts by id and returns how many were deleted.
func (s *Store) DeleteContacts(ctx context.Context, ids []string) (int64, error) {
	ids = validIDs(ids)
	if len(ids) == 0 {
		return 0, nil
	}
	var deleted int64
	for _, chunk := range chunks(ids, 500) {
		res := s.db.WithContext(ctx).Where("id IN ?", chunk).Delete(&Contact{})
		if res.Error != nil {
			return deleted, fmt.Errorf("store: unable to delete contacts: %w", res.Error)
		}
		deleted += res.RowsAffected
	}
	return deleted, nil
}

// CountContacts returns how many contacts are stored.
func (s *Store) CountContacts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Contact{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count contacts: %w", err)
	}
	return n, nil
}

// ContactGroups returns the groups a contact belongs to.
func (s *Store) ContactGroups(ctx context.Context, contactID string) ([]Group, error) {
	var gs []Group
	err := s.db.WithContext(ctx).Where("id IN (SELECT group_id FROM group_members WHERE contact_id = ?)", contactID).Order("name").Find(&gs).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load the contact's groups: %w", err)
	}
	return gs, nil
}

func validIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if ValidID(id) && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}
