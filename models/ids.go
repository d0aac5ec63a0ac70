package models

import "github.com/google/uuid"

// NewID returns a UUID v7: time-ordered, so ids made offline by several
// installs sort by creation and never collide.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether s is a UUID, so a malformed id is a 404 and not a
// database error.
func ValidID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
