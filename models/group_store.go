package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxGroupNameLen bounds a group's name.
const MaxGroupNameLen = 100

// ValidateGroupName trims a group name and checks it.
func ValidateGroupName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", &ValidationError{Field: "name", Message: "is required"}
	}
	if utf8.RuneCountInString(name) > MaxGroupNameLen {
		return "", &ValidationError{Field: "name", Message: fmt.Sprintf("is longer than %d characters", MaxGroupNameLen)}
	}
	return name, nil
}

// groupsWithCounts selects groups with their member counts.
func (s *Store) groupsWithCounts(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Model(&Group{}).
		Select("contact_groups.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = contact_groups.id) AS member_count")
}

// ListGroups returns every group, by name, with member counts.
func (s *Store) ListGroups(ctx context.Context) ([]Group, error) {
	gs := []Group{}
	if err := s.groupsWithCounts(ctx).Order("lower(name)").Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list groups: %w", err)
	}
	return gs, nil
}

// GetGroup returns one group with its member count.
func (s *Store) GetGroup(ctx context.Context, id string) (*Group, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: group %s: %w", id, ErrNotFound)
	}
	var g Group
	err := s.groupsWithCounts(ctx).Where("id = ?", id).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: group %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load group: %w", err)
	}
	return &g, nil
}

func (s *Store) groupNameTaken(tx *gorm.DB, name, exceptID string) error {
	var n int64
	q := tx.Model(&Group{}).Where("lower(name) = lower(?)", name)
	if exceptID != "" {
		q = q.Where("id <> ?", exceptID)
	}
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %w", ErrDuplicate, &ValidationError{Field: "name", Message: fmt.Sprintf("a group named %q already exists", name)})
	}
	return nil
}

// CreateGroup stores a new group; the name must be unique (ignoring case).
func (s *Store) CreateGroup(ctx context.Context, name string) (*Group, error) {
	name, err := ValidateGroupName(name)
	if err != nil {
		return nil, err
	}
	g := &Group{ID: NewID(), Name: name}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.groupNameTaken(tx, name, ""); err != nil {
			return err
		}
		return tx.Create(g).Error
	})
	if err != nil {
		if errors.Is(err, ErrDuplicate) {
			return nil, err
		}
		return nil, fmt.Errorf("store: unable to create group: %w", err)
	}
	return g, nil
}

// RenameGroup renames a group.
func (s *Store) RenameGroup(ctx context.Context, id, name string) (*Group, error) {
	name, err := ValidateGroupName(name)
	if err != nil {
		return nil, err
	}
	if !ValidID(id) {
		return nil, fmt.Errorf("store: group %s: %w", id, ErrNotFound)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.groupNameTaken(tx, name, id); err != nil {
			return err
		}
		res := tx.Model(&Group{}).Where("id = ?", id).Updates(map[string]any{"name": name, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: group %s: %w", id, ErrNotFound)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrDuplicate) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("store: unable to rename group: %w", err)
	}
	return s.GetGroup(ctx, id)
}

// DeleteGroup deletes a group; its contacts stay.
func (s *Store) DeleteGroup(ctx context.Context, id string) error {
	if !ValidID(id) {
		return fmt.Errorf("store: group %s: %w", id, ErrNotFound)
	}
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&Group{})
	if res.Error != nil {
		return fmt.Errorf("store: unable to delete group: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: group %s: %w", id, ErrNotFound)
	}
	return nil
}

// AddMembers adds contacts to a group (already members are left as they are)
// and returns how many were added. Unknown contact ids are ignored.
func (s *Store) AddMembers(ctx context.Context, groupID string, contactIDs []string) (int64, error) {
	if _, err := s.GetGroup(ctx, groupID); err != nil {
		return 0, err
	}
	ids := validIDs(contactIDs)
	var added int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Again inside the write transaction: the group may have been deleted
		// since (the sync worker applying another install's delete), which
		// must read as not found, not as a foreign-key error.
		var n int64
		if err := tx.Model(&Group{}).Where("id = ?", groupID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("store: group %s: %w", groupID, ErrNotFound)
		}
		now := s.now()
		for _, chunk := range chunks(ids, 500) {
			// Only ids of contacts that exist, so a stale id is not a foreign-key error.
			var existing []string
			if err := tx.Model(&Contact{}).Where("id IN ?", chunk).Pluck("id", &existing).Error; err != nil {
				return err
			}
			if len(existing) == 0 {
				continue
			}
			rows := make([]GroupMember, len(existing))
			for i, cid := range existing {
				rows[i] = GroupMember{GroupID: groupID, ContactID: cid, CreatedAt: now}
			}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
			if res.Error != nil {
				return res.Error
			}
			added += res.RowsAffected
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("store: unable to add group members: %w", err)
	}
	return added, nil
}

// RemoveMembers removes contacts from a group and returns how many were removed.
func (s *Store) RemoveMembers(ctx context.Context, groupID string, contactIDs []string) (int64, error) {
	if _, err := s.GetGroup(ctx, groupID); err != nil {
		return 0, err
	}
	var removed int64
	for _, chunk := range chunks(validIDs(contactIDs), 500) {
		res := s.db.WithContext(ctx).Where("group_id = ? AND contact_id IN ?", groupID, chunk).Delete(&GroupMember{})
		if res.Error != nil {
			return removed, fmt.Errorf("store: unable to remove group members: %w", res.Error)
		}
		removed += res.RowsAffected
	}
	return removed, nil
}
