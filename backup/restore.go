package backup

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sambad/sambad/models"
)

// Error is a restore refused for a reason the person can act on; Msg says
// what and what to do. Nothing was changed when it is returned.
type Error struct {
	Msg string
	Err error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

func refuse(err error, format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...), Err: err}
}

// maxLine bounds one row of the archive (a contact with long variables, a
// long campaign template).
const maxLine = 16 << 20

// Inspect opens an archive and checks its manifest.
func Inspect(path string) (*Manifest, *zip.ReadCloser, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, refuse(err, "This file is not a Sambad backup (it is not a complete zip archive; was the download cut short?). Nothing was changed.")
	}
	m, err := readManifest(zr)
	if err != nil {
		zr.Close()
		return nil, nil, err
	}
	return m, zr, nil
}

func readManifest(zr *zip.ReadCloser) (*Manifest, error) {
	f, err := zr.Open(manifestName)
	if err != nil {
		return nil, refuse(err, "This file is not a Sambad backup (it has no manifest.json). Nothing was changed.")
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(f, 4<<20)).Decode(&m); err != nil || m.Format != Format {
		return nil, refuse(err, "This file is not a Sambad backup (its manifest.json is not Sambad's). Nothing was changed.")
	}
	if m.FormatVersion != FormatVersion {
		return nil, refuse(nil, "This backup's format (version %d) is not one this Sambad reads (version %d); use the Sambad that made it, or a newer one. Nothing was changed.", m.FormatVersion, FormatVersion)
	}
	latest, err := models.LatestSchemaVersion()
	if err != nil {
		return nil, err
	}
	if m.SchemaVersion > latest || m.SchemaVersion < 1 {
		return nil, refuse(nil, "This backup was made by a newer Sambad (schema %d; this one knows up to %d). Upgrade Sambad, then restore it. Nothing was changed.", m.SchemaVersion, latest)
	}
	for _, t := range m.Tables {
		if _, err := zr.Open(t.File); err != nil {
			return nil, refuse(err, "This backup is incomplete: %s is missing. Nothing was changed.", t.File)
		}
	}
	return &m, nil
}

// Result is what a restore did.
type Result struct {
	Manifest *Manifest
	Rows     map[string]int64
	// Paused counts campaigns that were running when the backup was made:
	// they come back paused.
	Paused int64
}

// Restore replaces live's business data with the archive at path. The
// archive is first loaded into a staging SQLite file in tmpDir at the schema
// it was made with and migrated to this build's; only then does one
// transaction replace the live data. A bad file, a running campaign or any
// failure leaves the live data untouched. The media files come back into
// files before the data does (checked against their SHA-256; a file already
// there is kept), so restored media rows never name a missing file; files
// of a refused restore are orphans the media library removes at its next
// Reconcile.
func Restore(ctx context.Context, live *models.Store, files MediaFiles, path, tmpDir string) (*Result, error) {
	m, zr, err := Inspect(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	dir, err := os.MkdirTemp(tmpDir, "restore-")
	if err != nil {
		return nil, fmt.Errorf("backup: unable to make a staging directory: %w", err)
	}
	defer os.RemoveAll(dir)
	staging, err := models.OpenStaging(ctx, filepath.Join(dir, "staging.db"), m.SchemaVersion)
	if err != nil {
		return nil, err
	}
	defer staging.Close()
	res := &Result{Manifest: m}
	for _, t := range m.Tables {
		if err := loadTable(ctx, staging, zr, t); err != nil {
			return nil, err
		}
	}
	if err := staging.MigrateUp(ctx); err != nil {
		return nil, err
	}
	if res.Paused, err = staging.ParkRunningCampaigns(ctx); err != nil {
		return nil, err
	}
	if files != nil {
		for _, f := range m.Files {
			if err := restoreFile(zr, files, f); err != nil {
				return nil, err
			}
		}
	}
	res.Rows, err = live.ReplaceFrom(ctx, staging)
	if errors.Is(err, models.ErrCampaignRunning) {
		return nil, refuse(err, "A campaign is running. Pause or stop it, then restore. Nothing was changed.")
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// restoreFile puts one media file back.
func restoreFile(zr *zip.ReadCloser, files MediaFiles, f File) error {
	r, err := zr.Open(f.File)
	if err != nil {
		return refuse(err, "This backup is incomplete: %s is missing. Nothing was changed.", f.File)
	}
	defer r.Close()
	if err := files.PutFile(f.SHA256, f.Size, r); err != nil {
		return refuse(err, "This backup is damaged: media file %s cannot be restored (%v). Nothing was changed.", f.File, err)
	}
	return nil
}

// loadTable copies one table file into the staging database, checking that
// every row decodes and that the count matches the manifest.
func loadTable(ctx context.Context, staging *models.Store, zr *zip.ReadCloser, t Table) error {
	f, err := zr.Open(t.File)
	if err != nil {
		return refuse(err, "This backup is incomplete: %s is missing. Nothing was changed.", t.File)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	n, err := staging.LoadRows(ctx, t.Name, t.Columns, func() ([]any, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return nil, refuse(err, "This backup is damaged: %s cannot be read after row %d (%v). Nothing was changed.", t.File, line, err)
			}
			return nil, nil
		}
		line++
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var raw []any
		if err := dec.Decode(&raw); err != nil {
			return nil, refuse(err, "This backup is damaged: row %d of %s is not valid. Nothing was changed.", line, t.File)
		}
		for i, v := range raw {
			if raw[i], err = decodeValue(v); err != nil {
				return nil, refuse(err, "This backup is damaged: row %d of %s holds %v. Nothing was changed.", line, t.File, err)
			}
		}
		return raw, nil
	})
	if err != nil {
		var be *Error
		if errors.As(err, &be) {
			return be
		}
		return refuse(err, "This backup cannot be restored: table %s does not load (%v). Nothing was changed.", t.Name, err)
	}
	if n != t.Rows {
		return refuse(nil, "This backup is damaged: %s holds %d rows, its manifest says %d. Nothing was changed.", t.File, n, t.Rows)
	}
	return nil
}

// Summary counts what was restored: "2 contacts, 1 group, 3 campaigns".
func (r *Result) Summary() string {
	count := func(n int64, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	return count(r.Rows["contacts"], "contact", "contacts") + ", " + count(r.Rows["contact_groups"], "group", "groups") +
		", " + count(r.Rows["campaigns"], "campaign", "campaigns")
}
