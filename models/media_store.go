package models

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// unfinishedCampaignStates are the states in which a campaign may still
// send: its files must stay.
var unfinishedCampaignStates = []string{CampaignDraft, CampaignScheduled, CampaignRunning, CampaignPaused}

// MediaQuery pages through the media library, newest first.
type MediaQuery struct {
	Page    int
	PerPage int
}

// CreateMedia stores a new file's row. When a file with the same SHA-256 is
// already stored, it leaves it as it is, loads it into m and returns false.
func (s *Store) CreateMedia(ctx context.Context, m *Media) (created bool, err error) {
	if m.ID == "" {
		m.ID = NewID()
	}
	now := s.now()
	m.CreatedAt, m.UpdatedAt = now, now
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "sha256"}}, DoNothing: true}).Create(m)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to save the file's record: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	have, err := s.GetMediaBySHA256(ctx, m.SHA256)
	if err != nil {
		return false, err
	}
	*m = *have
	return false, nil
}

// GetMedia returns one file's row.
func (s *Store) GetMedia(ctx context.Context, id string) (*Media, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: media %s: %w", id, ErrNotFound)
	}
	return s.takeMedia(s.db.WithContext(ctx).Where("id = ?", id), id)
}

// GetMediaBySHA256 returns the row of the file with this content.
func (s *Store) GetMediaBySHA256(ctx context.Context, sum string) (*Media, error) {
	return s.takeMedia(s.db.WithContext(ctx).Where("sha256 = ?", sum), sum)
}

func (s *Store) takeMedia(q *gorm.DB, what string) (*Media, error) {
	var m Media
	err := q.Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: media %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load a file's record: %w", err)
	}
	return &m, nil
}

// ListMedia returns a page of the library, newest first, and the total.
func (s *Store) ListMedia(ctx context.Context, q MediaQuery) ([]Media, int64, error) {
	if q.PerPage <= 0 {
		q.PerPage = 50
	}
	if q.Page <= 0 {
		q.Page = 1
	}
	var total int64
	if err := s.db.WithContext(ctx).Model(&Media{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count files: %w", err)
	}
	items := []Media{}
	err := s.db.WithContext(ctx).Order("created_at DESC, id DESC").
		Offset((q.Page - 1) * q.PerPage).Limit(q.PerPage).Find(&items).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list files: %w", err)
	}
	return items, total, nil
}

// DeleteMedia deletes a file's row, its campaign links and its chunks, and
// returns the row so the caller can remove the bytes from disk. A file that
// a campaign not yet finished uses is refused with a *MediaInUseError.
func (s *Store) DeleteMedia(ctx context.Context, id string) (*Media, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: media %s: %w", id, ErrNotFound)
	}
	var deleted *Media
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Locked on Postgres (media-for-delete says why).
		m := &Media{}
		res := tx.Raw(s.q.MediaForDelete, id).Scan(m)
		if res.Error != nil {
			return fmt.Errorf("store: unable to load a file's record: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("store: media %s: %w", id, ErrNotFound)
		}
		var names []string
		err := tx.Raw(s.q.MediaUsedBy, id, unfinishedCampaignStates).Scan(&names).Error
		if err != nil {
			return fmt.Errorf("store: unable to check which campaigns use a file: %w", err)
		}
		if len(names) > 0 {
			return &MediaInUseError{Campaigns: names}
		}
		if err := tx.Exec(s.q.MediaUnlink, id).Error; err != nil {
			return fmt.Errorf("store: unable to delete a file: %w", err)
		}
		if err := tx.Delete(&Media{}, "id = ?", id).Error; err != nil {
			return fmt.Errorf("store: unable to delete a file: %w", err)
		}
		if err := tx.Exec(s.q.MediaChunksDelete, m.SHA256).Error; err != nil {
			return fmt.Errorf("store: unable to delete a file's chunks: %w", err)
		}
		deleted = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

// PutMediaChunks stores pieces start, start+1, ... of the file with this
// content (each at most MediaChunkSize bytes) in one statement; pieces
// already stored are left as they are.
func (s *Store) PutMediaChunks(ctx context.Context, sum string, start int, chunks [][]byte) error {
	if len(chunks) == 0 {
		return nil
	}
	marks := make([]string, len(chunks))
	args := make([]any, 0, 3*len(chunks))
	for i, data := range chunks {
		if len(data) > MediaChunkSize {
			return fmt.Errorf("store: chunk %d of %s holds %d bytes, more than %d", start+i, sum, len(data), MediaChunkSize)
		}
		marks[i] = "(?, ?, ?)"
		args = append(args, sum, start+i, base64.StdEncoding.EncodeToString(data))
	}
	err := s.db.WithContext(ctx).Exec(fillSlot(s.q.MediaChunksPut, "rows", strings.Join(marks, ", ")), args...).Error
	if err != nil {
		return fmt.Errorf("store: unable to save chunks %d-%d of a file: %w", start, start+len(chunks)-1, err)
	}
	return nil
}

// MediaChunk returns piece idx of the file with this content, or ErrNotFound
// when it is not here (yet: in hybrid mode chunks arrive with the pull).
func (s *Store) MediaChunk(ctx context.Context, sum string, idx int) ([]byte, error) {
	var data []string
	err := s.db.WithContext(ctx).Raw(s.q.MediaChunk, sum, idx).Scan(&data).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read chunk %d of a file: %w", idx, err)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("store: chunk %d of %s: %w", idx, sum, ErrNotFound)
	}
	b, err := base64.StdEncoding.DecodeString(data[0])
	if err != nil {
		return nil, fmt.Errorf("store: chunk %d of %s is not valid base64: %w", idx, sum, err)
	}
	return b, nil
}

// MediaWithoutChunks returns the files whose chunks are not all stored:
// uploaded before this install synced, or cut short by a crash.
func (s *Store) MediaWithoutChunks(ctx context.Context) ([]Media, error) {
	items := []Media{}
	err := s.db.WithContext(ctx).Raw(s.q.MediaWithoutChunks, MediaChunkSize-1, MediaChunkSize).Scan(&items).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list files without chunks: %w", err)
	}
	return items, nil
}

// AllMedia returns every file's row, oldest first.
func (s *Store) AllMedia(ctx context.Context) ([]Media, error) {
	items := []Media{}
	if err := s.db.WithContext(ctx).Order("created_at, id").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list files: %w", err)
	}
	return items, nil
}
