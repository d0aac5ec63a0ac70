package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Memberships is the set of groups a contact form ticks: existing groups by
// id, and optionally the name of a group to create. A NewGroup that names an
// existing group (ignoring case) means that group, not a second one.
type Memberships struct {
	GroupIDs []string
	NewGroup string
}

// CreateContactInGroups stores a new contact as a member of exactly the
// groups m names, in one transaction: when a group cannot be used the
// contact is not stored either.
func (s *Store) CreateContactInGroups(ctx context.Context, c *Contact, m Memberships) error {
	return s.saveContact(ctx, c, true, &m)
}

// UpdateContactInGroups saves every field of an existing contact and makes
// its groups exactly those m names, in one transaction.
func (s *Store) UpdateContactInGroups(ctx context.Context, c *Contact, m Memberships) error {
	return s.saveContact(ctx, c, false, &m)
}

// setMembershipsTx makes contactID a member of exactly the groups m names.
// Memberships that stay keep their row (and its time), so the sync outbox
// only sees the groups that changed.
func (s *Store) setMembershipsTx(tx *gorm.DB, contactID string, m Memberships) error {
	for _, id := range m.GroupIDs {
		if !ValidID(id) {
			return &ValidationError{Field: "groups", Message: fmt.Sprintf("%q is not a group id; reload the page and try again", echoInput(id))}
		}
	}
	want := validIDs(m.GroupIDs)
	if len(want) > 0 {
		var found int64
		if err := tx.Model(&Group{}).Where("id IN ?", want).Count(&found).Error; err != nil {
			return err
		}
		if found != int64(len(want)) {
			return &ValidationError{Field: "groups", Message: "a ticked group was deleted meanwhile; check the groups and save again"}
		}
	}
	if m.NewGroup != "" {
		id, err := s.groupByNameOrNewTx(tx, m.NewGroup)
		if err != nil {
			return err
		}
		want = append(want, id)
	}
	del := tx.Where("contact_id = ?", contactID)
	if len(want) > 0 {
		del = del.Where("group_id NOT IN ?", want)
	}
	if err := del.Delete(&GroupMember{}).Error; err != nil {
		return err
	}
	if len(want) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]GroupMember, 0, len(want))
	for _, gid := range validIDs(want) {
		rows = append(rows, GroupMember{GroupID: gid, ContactID: contactID, CreatedAt: now})
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
}

// groupByNameOrNewTx returns the id of the group named name (ignoring case),
// creating it when there is none.
func (s *Store) groupByNameOrNewTx(tx *gorm.DB, name string) (string, error) {
	name, err := ValidateGroupName(name)
	var ve *ValidationError
	if errors.As(err, &ve) {
		return "", &ValidationError{Field: "new group", Message: ve.Message}
	}
	if err != nil {
		return "", err
	}
	var ids []string
	if err := tx.Model(&Group{}).Where("lower(name) = lower(?)", name).Limit(1).Pluck("id", &ids).Error; err != nil {
		return "", err
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	g := &Group{ID: NewID(), Name: name}
	if err := tx.Create(g).Error; err != nil {
		return "", fmt.Errorf("store: unable to create group %q: %w", name, err)
	}
	return g.ID, nil
}
