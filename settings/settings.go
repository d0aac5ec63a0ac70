// Package settings holds the runtime settings a person changes on the
// Settings page, stored in the database. A variable set in the environment
// (or a flag, or .env) wins and shows as locked.
package settings

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
)

// Keys of the stored settings.
const (
	DefaultRegion = "default_region"
	TimeZone      = "time_zone"
	BackupKeep    = "backup_keep"
	PacingPreset  = "pacing_preset"
	DailyCap      = "daily_cap"
	QuietStart    = "quiet_start"
	QuietEnd      = "quiet_end"
)

// Def describes one setting.
type Def struct {
	Key   string
	Env   string // the variable that overrides it; "" when none
	Label string
	Hint  string
	// AtStart: the value is read when Sambad starts (the rest apply at once).
	AtStart bool
}

// Defs lists the settings in the page's order.
var Defs = []Def{
	{DefaultRegion, "SAMBAD_DEFAULT_REGION", "Default region", "Two letters (IN, US, GB): phone numbers written without a country code are read as this region's.", true},
	{TimeZone, "SAMBAD_TIMEZONE", "Time zone", "An IANA name such as Asia/Kolkata: quiet hours, schedules, the daily cap's day and the home chart.", true},
	{PacingPreset, "", "Default pacing", "The pace a new campaign starts with.", false},
	{DailyCap, "", "Default daily cap", "Messages a day for a new campaign; empty or 0 means no cap.", false},
	{QuietStart, "", "Default quiet hours from", "HH:MM; a new campaign sends nothing from here…", false},
	{QuietEnd, "", "Default quiet hours until", "…until here (HH:MM). Leave both empty for none.", false},
	{BackupKeep, "SAMBAD_BACKUP_KEEP", "Daily backups kept", "How many daily backups to keep in the data directory; 0 turns them off.", true},
}

// FieldError is a value that cannot be saved, naming the setting.
type FieldError struct {
	Key, Label, Message string
}

func (e *FieldError) Error() string { return e.Label + ": " + e.Message }

// Normalize checks one value and returns it as stored ("" = the default).
func Normalize(key, value string) (string, error) {
	value = strings.TrimSpace(value)
	label := key
	for _, d := range Defs {
		if d.Key == key {
			label = d.Label
		}
	}
	bad := func(msg string) (string, error) { return "", &FieldError{Key: key, Label: label, Message: msg} }
	if value == "" {
		return "", nil
	}
	switch key {
	case DefaultRegion:
		value = strings.ToUpper(value)
		if len(value) != 2 || phonenumbers.GetCountryCodeForRegion(value) == 0 {
			return bad(fmt.Sprintf("%q is not a region code; use two letters such as IN, US or GB", value))
		}
	case TimeZone:
		if _, err := time.LoadLocation(value); err != nil {
			return bad(fmt.Sprintf("%q is not a time zone; use an IANA name such as Asia/Kolkata", value))
		}
	case PacingPreset:
		for _, p := range campaign.Presets {
			if p.Name == value {
				return value, nil
			}
		}
		return bad(fmt.Sprintf("%q is not a pacing preset", value))
	case DailyCap, BackupKeep:
		n, err := strconv.Atoi(value)
		limit := map[string]int{DailyCap: 100000, BackupKeep: 365}[key]
		if err != nil || n < 0 || n > limit {
			return bad(fmt.Sprintf("must be a whole number from 0 to %d", limit))
		}
		return strconv.Itoa(n), nil
	case QuietStart, QuietEnd:
		t, err := time.Parse("15:04", value)
		if err != nil {
			return bad(fmt.Sprintf("%q is not a time of day; write it as HH:MM, such as 21:00", value))
		}
		return t.Format("15:04"), nil
	default:
		return bad("is not a setting")
	}
	return value, nil
}

// Locked returns the variable that fixes a setting, or "".
func Locked(cfg *config.Config, d Def) string {
	if d.Env != "" && cfg.Explicit(d.Env) {
		return d.Env
	}
	return ""
}

// Apply overlays the stored start-up settings on cfg, except where a
// variable was set. It runs once, before anything reads cfg; a stored value
// that no longer validates is logged and left out.
func Apply(ctx context.Context, cfg *config.Config, store *models.Store) error {
	stored, err := store.Settings(ctx)
	if err != nil {
		return err
	}
	for _, d := range Defs {
		v, ok := stored[d.Key]
		if !ok || !d.AtStart || Locked(cfg, d) != "" {
			continue
		}
		if v, err = Normalize(d.Key, v); err != nil || v == "" {
			logrus.WithFields(logrus.Fields{"setting": d.Key, "error": err}).Warn("settings: stored value left out")
			continue
		}
		switch d.Key {
		case DefaultRegion:
			cfg.DefaultRegion = v
		case TimeZone:
			cfg.TimeZone = v
		case BackupKeep:
			cfg.BackupKeep, _ = strconv.Atoi(v)
		}
	}
	return nil
}

// CampaignDefaults are what a new campaign's form starts with.
type CampaignDefaults struct {
	Preset               string
	DailyCap             string
	QuietStart, QuietEnd string
}

// Campaign reads the campaign defaults.
func Campaign(ctx context.Context, store *models.Store) (CampaignDefaults, error) {
	stored, err := store.Settings(ctx)
	if err != nil {
		return CampaignDefaults{}, err
	}
	d := CampaignDefaults{Preset: campaign.DefaultPreset, DailyCap: stored[DailyCap],
		QuietStart: stored[QuietStart], QuietEnd: stored[QuietEnd]}
	if p := stored[PacingPreset]; p != "" {
		d.Preset = p
	}
	return d, nil
}
