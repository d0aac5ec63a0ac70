package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ErrState is wrapped when an action is not allowed in a campaign's current
// state (starting a completed campaign, editing a running one, ...).
var ErrState = errors.New("not allowed in this state")

// MaxCampaignNameLen bounds a campaign's name.
const MaxCampaignNameLen = 200

// MaxTemplateLen bounds a campaign's template (WhatsApp allows 65536 characters).
const MaxTemplateLen = 65536

// sqlDB returns the pool under gorm, for the campaign paths that run often
// enough that gorm's statement building shows.
func (s *Store) sqlDB() *sql.DB {
	db, _ := s.db.DB()
	return db
}

// rebind turns ? placeholders into $n for Postgres, for the few statements
// built from a request's filters (the recipient list's).
func (s *Store) rebind(q string) string {
	if s.dialect != DialectPostgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString(bindVar(s.dialect, n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func validateCampaign(c *Campaign) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return &ValidationError{Field: "name", Message: "is required"}
	}
	if utf8.RuneCountInString(c.Name) > MaxCampaignNameLen {
		return &ValidationError{Field: "name", Message: fmt.Sprintf("is longer than %d characters", MaxCampaignNameLen)}
	}
	c.MediaIDs = dedupe(c.MediaIDs)
	if strings.TrimSpace(c.Template) == "" && len(c.MediaIDs) == 0 {
		return &ValidationError{Field: "template", Message: "is required (it may be empty only when the campaign sends files)"}
	}
	if utf8.RuneCountInString(c.Template) > MaxTemplateLen {
		return &ValidationError{Field: "template", Message: fmt.Sprintf("is longer than %d characters", MaxTemplateLen)}
	}
	switch c.CaptionMode {
	case "":
		c.CaptionMode = CaptionFirstFile
	case CaptionFirstFile, CaptionSeparate:
	default:
		return &ValidationError{Field: "caption_mode", Message: fmt.Sprintf("%q is not a caption mode: use %q (the message is the first file's caption) or %q (the message is sent on its own, before the files)", c.CaptionMode, CaptionFirstFile, CaptionSeparate)}
	}
	if len(c.MediaIDs) > MaxCampaignFiles {
		return &ValidationError{Field: "media_ids", Message: fmt.Sprintf("a campaign can send at most %d files; %d were chosen", MaxCampaignFiles, len(c.MediaIDs))}
	}
	return nil
}

// checkAudienceIDs verifies that every group and contact named exists.
func checkAudienceIDs(tx *gorm.DB, groupIDs, contactIDs []string) error {
	for _, id := range groupIDs {
		if !ValidID(id) {
			return &ValidationError{Field: "group_ids", Message: fmt.Sprintf("%q is not a group id", id)}
		}
	}
	for _, id := range contactIDs {
		if !ValidID(id) {
			return &ValidationError{Field: "contact_ids", Message: fmt.Sprintf("%q is not a contact id", id)}
		}
	}
	for _, chunk := range chunks(groupIDs, 500) {
		var found []string
		if err := tx.Model(&Group{}).Where("id IN ?", chunk).Pluck("id", &found).Error; err != nil {
			return err
		}
		if missing := firstMissing(chunk, found); missing != "" {
			return &ValidationError{Field: "group_ids", Message: fmt.Sprintf("no group with id %s", missing)}
		}
	}
	for _, chunk := range chunks(contactIDs, 500) {
		var found []string
		if err := tx.Model(&Contact{}).Where("id IN ?", chunk).Pluck("id", &found).Error; err != nil {
			return err
		}
		if missing := firstMissing(chunk, found); missing != "" {
			return &ValidationError{Field: "contact_ids", Message: fmt.Sprintf("no contact with id %s", missing)}
		}
	}
	return nil
}

func firstMissing(want, found []string) string {
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[strings.ToLower(f)] = true
	}
	for _, w := range want {
		if !have[strings.ToLower(w)] {
			return w
		}
	}
	return ""
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// writeAudience replaces a campaign's chosen groups and contacts.
func writeAudience(tx *gorm.DB, q *queries, c *Campaign) error {
	if err := tx.Exec(q.CampaignGroupsClear, c.ID).Error; err != nil {
		return err
	}
	if err := tx.Exec(q.CampaignContactsClear, c.ID).Error; err != nil {
		return err
	}
	for _, g := range c.GroupIDs {
		if err := tx.Exec(q.CampaignGroupAdd, c.ID, g).Error; err != nil {
			return err
		}
	}
	for _, chunk := range chunks(c.ContactIDs, 200) {
		stmt := fillSlot(q.CampaignContactsAdd, "rows", strings.TrimSuffix(strings.Repeat("(?, ?),", len(chunk)), ","))
		args := make([]any, 0, 2*len(chunk))
		for _, id := range chunk {
			args = append(args, c.ID, id)
		}
		if err := tx.Exec(stmt, args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// CreateCampaign stores a new draft campaign with its audience.
func (s *Store) CreateCampaign(ctx context.Context, c *Campaign) error {
	if err := validateCampaign(c); err != nil {
		return err
	}
	c.GroupIDs, c.ContactIDs = dedupe(c.GroupIDs), dedupe(c.ContactIDs)
	c.AccountIDs = dedupe(c.AccountIDs)
	if c.ID == "" {
		c.ID = NewID()
	}
	if c.State == "" {
		c.State = CampaignDraft
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkAudienceIDs(tx, c.GroupIDs, c.ContactIDs); err != nil {
			return err
		}
		if err := checkAccountIDs(tx, c.AccountIDs); err != nil {
			return err
		}
		if err := checkMediaIDs(tx, c.MediaIDs); err != nil {
			return err
		}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if err := writeCampaignMedia(tx, c); err != nil {
			return err
		}
		return writeAudience(tx, s.q, c)
	})
	var ve *ValidationError
	if errors.As(err, &ve) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: unable to create campaign: %w", err)
	}
	return nil
}

// UpdateCampaign saves a campaign's name, template, files, caption mode,
// audience, pacing and schedule; only drafts, scheduled and paused campaigns
// can be edited. A paused campaign's recipients are already frozen, so its
// audience, template and files stay.
func (s *Store) UpdateCampaign(ctx context.Context, c *Campaign) error {
	if err := validateCampaign(c); err != nil {
		return err
	}
	c.GroupIDs, c.ContactIDs = dedupe(c.GroupIDs), dedupe(c.ContactIDs)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var state string
		if err := tx.Model(&Campaign{}).Where("id = ?", c.ID).Pluck("state", &state).Error; err != nil {
			return err
		}
		if state == "" {
			return fmt.Errorf("store: campaign %s: %w", c.ID, ErrNotFound)
		}
		if err := ActionEdit.Check(state); err != nil {
			return err
		}
		fields := map[string]any{"name": c.Name, "pacing": c.Pacing, "updated_at": time.Now().UTC()}
		if state != CampaignPaused {
			if err := checkAudienceIDs(tx, c.GroupIDs, c.ContactIDs); err != nil {
				return err
			}
			if err := checkMediaIDs(tx, c.MediaIDs); err != nil {
				return err
			}
			fields["template"] = c.Template
			fields["caption_mode"] = c.CaptionMode
			fields["scheduled_at"] = c.ScheduledAt
			fields["skip_not_on_whatsapp"] = c.SkipNotOnWhatsApp
			if err := writeAudience(tx, s.q, c); err != nil {
				return err
			}
			if err := writeCampaignMedia(tx, c); err != nil {
				return err
			}
		}
		return tx.Model(&Campaign{}).Where("id = ?", c.ID).Updates(fields).Error
	})
	var ve *ValidationError
	if errors.As(err, &ve) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrState) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: unable to update campaign: %w", err)
	}
	return nil
}

// GetCampaign returns a campaign with its chosen groups and contacts.
func (s *Store) GetCampaign(ctx context.Context, id string) (*Campaign, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	var c Campaign
	err := s.db.WithContext(ctx).Take(&c, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load campaign: %w", err)
	}
	c.GroupIDs, c.ContactIDs = []string{}, []string{}
	db := s.db.WithContext(ctx)
	if err := db.Raw(s.q.CampaignGroupIDs, id).Scan(&c.GroupIDs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load campaign groups: %w", err)
	}
	if err := db.Raw(s.q.CampaignContactIDs, id).Scan(&c.ContactIDs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load campaign contacts: %w", err)
	}
	c.MediaIDs = []string{}
	if err := db.Raw(s.q.CampaignMediaIDs, id).Scan(&c.MediaIDs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load campaign files: %w", err)
	}
	return &c, nil
}

// ListCampaigns returns the newest campaigns first, at most limit.
func (s *Store) ListCampaigns(ctx context.Context, limit int) ([]Campaign, error) {
	out := []Campaign{}
	if err := s.db.WithContext(ctx).Order("created_at DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list campaigns: %w", err)
	}
	return out, nil
}

// CampaignsInState returns campaigns in any of the states, oldest start first.
func (s *Store) CampaignsInState(ctx context.Context, states ...string) ([]Campaign, error) {
	out := []Campaign{}
	err := s.db.WithContext(ctx).Where("state IN ?", states).Order("started_at, created_at").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list campaigns: %w", err)
	}
	return out, nil
}

// DeleteCampaign deletes a campaign that is not running, with its recipients.
func (s *Store) DeleteCampaign(ctx context.Context, id string) error {
	if !ValidID(id) {
		return fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var state string
		if err := tx.Model(&Campaign{}).Where("id = ?", id).Pluck("state", &state).Error; err != nil {
			return err
		}
		if state == "" {
			return fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
		}
		if err := ActionDelete.Check(state); err != nil {
			return err
		}
		return tx.Exec(s.q.CampaignDelete, id).Error
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrState) {
		return fmt.Errorf("store: unable to delete campaign: %w", err)
	}
	return err
}

// ListRuns returns a campaign's runs, first first.
func (s *Store) ListRuns(ctx context.Context, id string) ([]CampaignRun, error) {
	out := []CampaignRun{}
	if err := s.db.WithContext(ctx).Where("campaign_id = ?", id).Order("run").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list runs: %w", err)
	}
	return out, nil
}

// AttributeKeys returns every extra attribute name some contact has, so a
// template can be checked for unknown variables.
func (s *Store) AttributeKeys(ctx context.Context) ([]string, error) {
	keys := []string{}
	if err := s.db.WithContext(ctx).Raw(s.q.AttributeKeys).Scan(&keys).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list attribute names: %w", err)
	}
	return keys, nil
}
