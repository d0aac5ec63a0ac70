package models

import (
	"context"
	"fmt"
	"time"
)

// Totals are the home page's headline counts.
type Totals struct {
	Contacts  int64
	Groups    int64
	Campaigns int64
	// ByState counts campaigns per state.
	ByState map[string]int64
}

// CountTotals counts contacts, groups and campaigns (per state).
func (s *Store) CountTotals(ctx context.Context) (Totals, error) {
	t := Totals{ByState: map[string]int64{}}
	db := s.sqlDB()
	if err := db.QueryRowContext(ctx, s.q.CountContacts).Scan(&t.Contacts); err != nil {
		return t, fmt.Errorf("store: unable to count contacts: %w", err)
	}
	if err := db.QueryRowContext(ctx, s.q.CountGroups).Scan(&t.Groups); err != nil {
		return t, fmt.Errorf("store: unable to count groups: %w", err)
	}
	rows, err := db.QueryContext(ctx, s.q.CountCampaignsByState)
	if err != nil {
		return t, fmt.Errorf("store: unable to count campaigns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return t, fmt.Errorf("store: unable to count campaigns: %w", err)
		}
		t.ByState[st] = n
		t.Campaigns += n
	}
	return t, rows.Err()
}

// DayActivity is what happened to messages on one day.
type DayActivity struct {
	Day                           time.Time // midnight, in the location asked for
	Sent, Delivered, Read, Failed int64
}

// Activity counts, for the day that starts at day and ends 24 hours of wall
// clock later in day's location, messages sent, delivered and read (by the
// time of each) and sends that failed. Each count is a range over its own
// index (migration 00011), so a day costs what its own messages cost.
func (s *Store) Activity(ctx context.Context, day time.Time) (DayActivity, error) {
	from := day
	to := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, day.Location())
	a := DayActivity{Day: day}
	queries := []struct {
		q   string
		dst *int64
	}{
		{s.q.ActivitySent, &a.Sent},
		{s.q.ActivityDelivered, &a.Delivered},
		{s.q.ActivityRead, &a.Read},
		{s.q.ActivityFailed, &a.Failed},
	}
	for _, q := range queries {
		if err := s.sqlDB().QueryRowContext(ctx, q.q, from.UTC(), to.UTC()).Scan(q.dst); err != nil {
			return a, fmt.Errorf("store: unable to count the day's messages: %w", err)
		}
	}
	return a, nil
}
