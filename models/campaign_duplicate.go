package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// copySuffix matches the " (copy)" or " (copy N)" a duplicate's name ends
// with, so that copying a copy gives "Diwali (copy 2)", not
// "Diwali (copy) (copy)".
var copySuffix = regexp.MustCompile(` \(copy(?: [0-9]+)?\)$`)

// DuplicateCampaign copies any campaign, whatever its state, into a new
// draft: the same message, files (in their order), chosen groups and
// contacts, and pacing, named "<name> (copy)", or "(copy 2)", "(copy 3)", …
// when that name is taken (names need not be unique, but two drafts called
// the same are hard to tell apart). Recipients, runs, results and the
// schedule are not copied: the copy starts from nothing when it is started.
// It is one transaction, so a failure leaves no half-copied draft.
func (s *Store) DuplicateCampaign(ctx context.Context, id string) (*Campaign, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	var out *Campaign
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var src Campaign
		err := tx.Take(&src, "id = ?", id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		name, err := copyName(tx, src.Name)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		c := &Campaign{ID: NewID(), Name: name, Template: src.Template, State: CampaignDraft, Pacing: src.Pacing,
			SkipNotOnWhatsApp: src.SkipNotOnWhatsApp, CaptionMode: src.CaptionMode,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		// The audience and files as chosen; rows whose group, contact or
		// file was deleted went with it (ON DELETE CASCADE), so every row
		// copied still points at something.
		for _, q := range []string{s.q.DuplicateGroups, s.q.DuplicateContacts, s.q.DuplicateMedia} {
			if err := tx.Exec(q, c.ID, src.ID).Error; err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to duplicate campaign: %w", err)
	}
	return s.GetCampaign(ctx, out.ID)
}

// copyName is the first of "<base> (copy)", "<base> (copy 2)", … no
// campaign is called yet, base being name without a copy suffix, cut so the
// result fits MaxCampaignNameLen.
func copyName(tx *gorm.DB, name string) (string, error) {
	base := copySuffix.ReplaceAllString(name, "")
	// Room for the longest suffix tried below, " (copy 1000000)".
	if max := MaxCampaignNameLen - 15; utf8.RuneCountInString(base) > max {
		base = strings.TrimSpace(string([]rune(base)[:max]))
	}
	// The names taken that start with base (LIKE with its wildcards
	// escaped; the exact match is made below, so SQLite's case-insensitive
	// LIKE does no harm).
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(base)
	var taken []string
	if err := tx.Model(&Campaign{}).Where(`name LIKE ? ESCAPE '\'`, esc+" (copy%").Pluck("name", &taken).Error; err != nil {
		return "", err
	}
	used := make(map[string]bool, len(taken))
	for _, n := range taken {
		used[n] = true
	}
	for i := 1; ; i++ {
		cand := base + " (copy)"
		if i > 1 {
			cand = base + " (copy " + strconv.Itoa(i) + ")"
		}
		if !used[cand] {
			return cand, nil
		}
	}
}
