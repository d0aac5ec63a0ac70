package server

import (
	"context"

	"github.com/sambad/sambad/syncer"
)

// SyncService is the hybrid sync worker as the sync page uses it
// (*syncer.Worker); nil outside hybrid mode.
type SyncService interface {
	Status(ctx context.Context) (syncer.Status, error)
	SyncNow()
	DismissRejected(ctx context.Context, opID string) error
	RetryRejected(ctx context.Context, opID string) error
}

// syncPage is what templates/sync.html shows.
type syncPage struct {
	Mode      string
	Hybrid    bool
	CloudOK   bool // cloud mode: the database answers
	Status    syncer.Status
	StatusErr string
}
