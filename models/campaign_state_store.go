package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// errUnchanged: the campaign was not in a state the action may start from.
var errUnchanged = errors.New("unchanged")

// changeState applies action a to campaign id: in one transaction, the
// state moves to the action's target (and set's columns change) only if the
// state is one the action may start from, then also runs. A refused change
// is a *StateError naming the state the campaign is in.
func (s *Store) changeState(ctx context.Context, id string, a CampaignAction, set map[string]any, also func(tx *gorm.DB) error) error {
	if !ValidID(id) {
		return fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	set["state"] = campaignRules[a].to
	set["updated_at"] = time.Now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Campaign{}).Where("id = ? AND state IN ?", id, a.from()).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errUnchanged
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		c, gerr := s.GetCampaign(ctx, id)
		if gerr != nil {
			return gerr
		}
		return &StateError{Action: a, State: c.State}
	}
	if err != nil {
		return fmt.Errorf("store: unable to %s campaign: %w", a, err)
	}
	return nil
}

// ScheduleCampaign makes a draft start by itself at t.
func (s *Store) ScheduleCampaign(ctx context.Context, id string, t time.Time) error {
	return s.changeState(ctx, id, ActionSchedule, map[string]any{"scheduled_at": t.UTC(), "last_error": ""}, nil)
}

// UnscheduleCampaign turns a scheduled campaign back into a draft with no
// start time.
func (s *Store) UnscheduleCampaign(ctx context.Context, id string) error {
	return s.changeState(ctx, id, ActionUnschedule, map[string]any{"scheduled_at": nil}, nil)
}

// ScheduledStartFailed turns a scheduled campaign that could not start back
// into a draft, with reason shown on its page; its start time stays so the
// page can say which start failed.
func (s *Store) ScheduledStartFailed(ctx context.Context, id, reason string) error {
	return s.changeState(ctx, id, ActionUnschedule, map[string]any{"last_error": reason}, nil)
}

// PauseCampaign pauses a running campaign; reason is one of the Pause*
// constants, lastError what its page says about it ("" for nothing).
func (s *Store) PauseCampaign(ctx context.Context, id, reason, lastError string) error {
	return s.changeState(ctx, id, ActionPause, map[string]any{"pause_reason": reason, "last_error": lastError}, nil)
}

// ResumeCampaign sends a paused campaign again.
func (s *Store) ResumeCampaign(ctx context.Context, id string) error {
	return s.changeState(ctx, id, ActionResume, map[string]any{"pause_reason": "", "last_error": ""}, nil)
}

// FailCampaign gives a campaign up; lastError says why on its page.
func (s *Store) FailCampaign(ctx context.Context, id, lastError string) error {
	return s.changeState(ctx, id, ActionFail, map[string]any{"last_error": lastError}, nil)
}

// ReopenCampaign sends a finished campaign again, in its current run (after
// a person chose to resend its unknown sends).
func (s *Store) ReopenCampaign(ctx context.Context, id string) error {
	return s.changeState(ctx, id, ActionReopen, map[string]any{"finished_at": nil}, nil)
}

// CompleteRun closes run and marks the campaign completed.
func (s *Store) CompleteRun(ctx context.Context, id string, run int) error {
	return s.finish(ctx, id, run, ActionComplete)
}

// StopCampaign ends a campaign for good and closes its run (run 0: it never
// started); its pending recipients stay pending and are never sent.
func (s *Store) StopCampaign(ctx context.Context, id string, run int) error {
	return s.finish(ctx, id, run, ActionStop)
}

func (s *Store) finish(ctx context.Context, id string, run int, a CampaignAction) error {
	now := time.Now().UTC()
	return s.changeState(ctx, id, a, map[string]any{"finished_at": now, "pause_reason": ""}, func(tx *gorm.DB) error {
		return tx.Exec(s.q.FinishRun, now, id, run).Error
	})
}
