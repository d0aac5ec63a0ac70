package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Roles. An admin may do everything; staff work with contacts, groups and
// campaigns only (server/roles.go says which routes).
const (
	RoleAdmin = "admin"
	RoleStaff = "staff"
)

// DefaultAdminName is the admin the first-run setup and SAMBAD_PASSWORD
// create, and the name the single password of earlier versions moved to.
const DefaultAdminName = "admin"

// MaxUserNameLen is the longest user name, in characters.
const MaxUserNameLen = 64

// ErrLastAdmin refuses to delete or demote the only admin: nobody could
// manage users or settings any more.
var ErrLastAdmin = errors.New("Sambad needs at least one admin: make another user an admin first")

// User is a person who signs in. PasswordHash is bcrypt and never leaves
// the server.
type User struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	Role         string    `json:"role"`
	SeeNumbers   bool      `json:"see_numbers"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TableName is the table of users.
func (User) TableName() string { return "auth_users" }

// IsAdmin reports whether the user may do everything.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

// SeesNumbers reports whether phone numbers are shown to the user whole:
// always for an admin, for staff when an admin granted it.
func (u *User) SeesNumbers() bool { return u.Role == RoleAdmin || u.SeeNumbers }

// ValidateUserName trims a user name and checks it.
func ValidateUserName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", &ValidationError{Field: "name", Message: "a user needs a name"}
	case utf8.RuneCountInString(name) > MaxUserNameLen:
		return "", &ValidationError{Field: "name", Message: fmt.Sprintf("must be at most %d characters", MaxUserNameLen)}
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", &ValidationError{Field: "name", Message: "must not contain control characters"}
	}
	return name, nil
}

// ValidateRole checks a role name.
func ValidateRole(role string) error {
	if role != RoleAdmin && role != RoleStaff {
		return &ValidationError{Field: "role", Message: fmt.Sprintf("%q is not a role: use admin or staff", role)}
	}
	return nil
}

// lockUsers serialises changes that count users or admins (first-run setup,
// the last admin): SQLite transactions are already exclusive
// (_txlock=immediate); Postgres takes a table lock that readers ignore.
func (s *Store) lockUsers(tx *gorm.DB) error {
	if s.q.LockUsers == "" { // SQLite: lock-users is Postgres's only
		return nil
	}
	return tx.Exec(s.q.LockUsers).Error
}

// ownerQuery selects the owner: the first admin made.
func ownerQuery(tx *gorm.DB) *gorm.DB {
	return tx.Where("role = ?", RoleAdmin).Order("created_at, id").Limit(1)
}

func nameTaken(tx *gorm.DB, name, exceptID string) error {
	var n int64
	if err := tx.Model(&User{}).Where("lower(name) = lower(?) AND id <> ?", name, exceptID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %w", ErrDuplicate, &ValidationError{Field: "name", Message: fmt.Sprintf("a user named %q already exists", name)})
	}
	return nil
}

func createUserTx(tx *gorm.DB, name, hash, role string, seeNumbers bool) (*User, error) {
	name, err := ValidateUserName(name)
	if err != nil {
		return nil, err
	}
	if err := ValidateRole(role); err != nil {
		return nil, err
	}
	if err := nameTaken(tx, name, ""); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	u := &User{ID: NewID(), Name: name, PasswordHash: hash, Role: role, SeeNumbers: seeNumbers, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(u).Error; err != nil {
		return nil, err
	}
	return u, nil
}

// CreateUser adds a user; a name already taken (whatever its case) is
// ErrDuplicate with a *ValidationError.
func (s *Store) CreateUser(ctx context.Context, name, hash, role string, seeNumbers bool) (*User, error) {
	var u *User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		u, err = createUserTx(tx, name, hash, role, seeNumbers)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to add the user: %w", err)
	}
	return u, nil
}

// CreateFirstAdmin adds the first user, an admin; it reports ErrDuplicate
// when any user exists, so two first-run setups cannot both win.
func (s *Store) CreateFirstAdmin(ctx context.Context, name, hash string) (*User, error) {
	var u *User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockUsers(tx); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&User{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("first admin: %w", ErrDuplicate)
		}
		var err error
		u, err = createUserTx(tx, name, hash, RoleAdmin, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to add the first admin: %w", err)
	}
	return u, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count users: %w", err)
	}
	return n, nil
}

// ListUsers returns every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var out []User
	if err := s.db.WithContext(ctx).Order("lower(name)").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list users: %w", err)
	}
	return out, nil
}

// GetUser returns one user, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (*User, error) {
	return s.findUser(ctx, "id = ?", id)
}

// UserByName returns the user of this name (any case), or ErrNotFound.
func (s *Store) UserByName(ctx context.Context, name string) (*User, error) {
	return s.findUser(ctx, "lower(name) = lower(?)", strings.TrimSpace(name))
}

// OwnerUser returns the first admin made, or ErrNotFound when there is none.
func (s *Store) OwnerUser(ctx context.Context) (*User, error) {
	var u User
	err := ownerQuery(s.db.WithContext(ctx)).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: owner: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the owner: %w", err)
	}
	return &u, nil
}

func (s *Store) findUser(ctx context.Context, where string, arg string) (*User, error) {
	if where == "id = ?" && !ValidID(arg) {
		return nil, fmt.Errorf("store: user %q: %w", arg, ErrNotFound)
	}
	var u User
	err := s.db.WithContext(ctx).Where(where, arg).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: user: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a user: %w", err)
	}
	return &u, nil
}

// UserPatch is a change to a user; nil fields stay as they are.
type UserPatch struct {
	Name         *string
	Role         *string
	SeeNumbers   *bool
	PasswordHash *string
	// KeepSession is the hash of the session that changed its own password:
	// it stays signed in while every other session of the user ends.
	KeepSession string
}

// UpdateUser changes a user in one transaction. Demoting the last admin is
// ErrLastAdmin; a new password ends the user's other sessions.
func (s *Store) UpdateUser(ctx context.Context, id string, p UserPatch) (*User, error) {
	var out User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockUsers(tx); err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Take(&out).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("user: %w", ErrNotFound)
			}
			return err
		}
		set := map[string]any{}
		if p.Name != nil {
			name, err := ValidateUserName(*p.Name)
			if err != nil {
				return err
			}
			if err := nameTaken(tx, name, id); err != nil {
				return err
			}
			set["name"], out.Name = name, name
		}
		if p.Role != nil {
			if err := ValidateRole(*p.Role); err != nil {
				return err
			}
			if out.Role == RoleAdmin && *p.Role != RoleAdmin {
				if err := otherAdmin(tx, id); err != nil {
					return err
				}
			}
			set["role"], out.Role = *p.Role, *p.Role
		}
		if p.SeeNumbers != nil {
			set["see_numbers"], out.SeeNumbers = *p.SeeNumbers, *p.SeeNumbers
		}
		if p.PasswordHash != nil {
			set["password_hash"], out.PasswordHash = *p.PasswordHash, *p.PasswordHash
		}
		if len(set) == 0 {
			return nil
		}
		out.UpdatedAt = time.Now().UTC()
		set["updated_at"] = out.UpdatedAt
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return err
		}
		if p.PasswordHash != nil {
			return tx.Where("user_id = ? AND token_hash <> ?", id, p.KeepSession).Delete(&AuthSession{}).Error
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to change the user: %w", err)
	}
	return &out, nil
}

// DeleteUser removes a user, their sessions and their API tokens; the audit
// log keeps their name. Deleting the last admin is ErrLastAdmin.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockUsers(tx); err != nil {
			return err
		}
		var u User
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("user: %w", ErrNotFound)
			}
			return err
		}
		if u.Role == RoleAdmin {
			if err := otherAdmin(tx, id); err != nil {
				return err
			}
		}
		// The foreign keys cascade too; deleting explicitly does not depend on
		// SQLite's foreign_keys pragma.
		if err := tx.Where("user_id = ?", id).Delete(&AuthSession{}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&APIToken{}).Error; err != nil {
			return err
		}
		return tx.Where("id = ?", id).Delete(&User{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to delete the user: %w", err)
	}
	return nil
}

// otherAdmin returns ErrLastAdmin unless an admin other than id exists.
func otherAdmin(tx *gorm.DB, id string) error {
	var n int64
	if err := tx.Model(&User{}).Where("role = ? AND id <> ?", RoleAdmin, id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrLastAdmin
	}
	return nil
}
