// Package backup writes and restores Sambad's backup archive: one format for
// SQLite and Postgres, so a backup restores into either.
//
// The archive is a zip: manifest.json (format, schema version, when, which
// database, and each table with its columns and row count) and one JSON-lines
// file per business table, each line a JSON array of the row's values. Times
// are written as {"t": RFC 3339}, binary as {"b": base64}. The media
// library's files are under media/<sha256>, as they are (the media table
// names them; in local mode the bytes live only on disk, not in
// media_chunks). Never included:
// the WhatsApp profile (it is not in the database), the sign-in tables
// (password hash, sessions, tokens), webhooks (their signing secrets stay on
// the install that made them), sync state and the activity feed (see
// models.BackupExcluded).
package backup

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/sambad/sambad/models"
)

// Format names the archive; FormatVersion changes when its layout does.
const (
	Format        = "sambad-backup"
	FormatVersion = 1
	manifestName  = "manifest.json"
)

// Manifest describes an archive.
type Manifest struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	SchemaVersion int64     `json:"schema_version"`
	Created       time.Time `json:"created"`
	Dialect       string    `json:"dialect"`
	Tables        []Table   `json:"tables"`
	// Files are the media library's files (backups made before they were
	// carried have none).
	Files    []File `json:"files,omitempty"`
	Excluded string `json:"excluded"`
}

// File is one media file in the archive.
type File struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	File   string `json:"file"`
}

// MediaFiles is the media library's files as a backup carries them
// (media.Library). A nil MediaFiles leaves them out.
type MediaFiles interface {
	OpenFile(sum string) (io.ReadCloser, error)
	PutFile(sum string, size int64, r io.Reader) error
}

// Table is one table's entry in the manifest.
type Table struct {
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
}

const excludedNote = "the WhatsApp profile, the password hash, sign-in sessions and tokens, webhooks and their secrets, sync state and the activity feed"

// Write streams a backup of store's business data, and of the media files
// its media rows name (files may be nil), to w.
func Write(ctx context.Context, w io.Writer, store *models.Store, files MediaFiles, now time.Time) (*Manifest, error) {
	version, err := store.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, SchemaVersion: version,
		Created: now.UTC(), Dialect: store.Dialect(), Excluded: excludedNote}
	zw := zip.NewWriter(w)
	aw := &archiveWriter{zw: zw, m: m, modified: now}
	if err := store.Dump(ctx, aw); err != nil {
		return nil, err
	}
	if err := aw.endTable(); err != nil {
		return nil, err
	}
	if files != nil {
		if err := aw.mediaFiles(files); err != nil {
			return nil, err
		}
	}
	mf, err := zw.CreateHeader(&zip.FileHeader{Name: manifestName, Method: zip.Deflate, Modified: now})
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	enc := json.NewEncoder(mf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// archiveWriter turns the store's dump into zip entries.
type archiveWriter struct {
	zw       *zip.Writer
	m        *Manifest
	modified time.Time
	buf      *bufio.Writer
	row      []any
	// The media rows' files, read as the media table is dumped, so the
	// files are those of the same snapshot.
	media           []File
	sumCol, sizeCol int
}

func (a *archiveWriter) endTable() error {
	if a.buf == nil {
		return nil
	}
	if err := a.buf.Flush(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	a.buf = nil
	return nil
}

// Table implements models.DumpWriter.
func (a *archiveWriter) Table(name string, columns []string) error {
	if err := a.endTable(); err != nil {
		return err
	}
	file := "tables/" + name + ".jsonl"
	f, err := a.zw.CreateHeader(&zip.FileHeader{Name: file, Method: zip.Deflate, Modified: a.modified})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	a.buf = bufio.NewWriterSize(f, 64<<10)
	a.m.Tables = append(a.m.Tables, Table{Name: name, File: file, Columns: columns})
	a.sumCol, a.sizeCol = -1, -1
	if name == "media" {
		a.sumCol, a.sizeCol = slices.Index(columns, "sha256"), slices.Index(columns, "size")
	}
	return nil
}

// Row implements models.DumpWriter.
func (a *archiveWriter) Row(values []any) error {
	a.row = a.row[:0]
	for _, v := range values {
		a.row = append(a.row, encodeValue(v))
	}
	b, err := json.Marshal(a.row)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	a.buf.Write(b)
	if err := a.buf.WriteByte('\n'); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	a.m.Tables[len(a.m.Tables)-1].Rows++
	if a.sumCol >= 0 && a.sizeCol >= 0 {
		sum, _ := values[a.sumCol].(string)
		if b, ok := values[a.sumCol].([]byte); ok {
			sum = string(b)
		}
		a.media = append(a.media, File{SHA256: sum, Size: toInt64(values[a.sizeCol])})
	}
	return nil
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return -1
}

// mediaFiles adds the media rows' files, stored as they are (photos and
// videos are compressed already). A file not on this disk (in hybrid mode,
// bytes still on their way) is left out: its chunk rows are in the backup.
func (a *archiveWriter) mediaFiles(files MediaFiles) error {
	for _, f := range a.media {
		r, err := files.OpenFile(f.SHA256)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		f.File = "media/" + f.SHA256
		zf, err := a.zw.CreateHeader(&zip.FileHeader{Name: f.File, Method: zip.Store, Modified: a.modified})
		if err == nil {
			_, err = io.Copy(zf, r)
		}
		r.Close()
		if err != nil {
			return fmt.Errorf("backup: unable to add a media file: %w", err)
		}
		a.m.Files = append(a.m.Files, f)
	}
	return nil
}

type timeValue struct {
	T string `json:"t"`
}

type bytesValue struct {
	B string `json:"b"`
}

func encodeValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return timeValue{x.UTC().Format(time.RFC3339Nano)}
	case []byte:
		return bytesValue{base64.StdEncoding.EncodeToString(x)}
	}
	return v
}

// decodeValue reverses encodeValue on a value json decoded with UseNumber.
func decodeValue(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		return x.Float64()
	case map[string]any:
		if s, ok := x["t"].(string); ok && len(x) == 1 {
			return time.Parse(time.RFC3339Nano, s)
		}
		if s, ok := x["b"].(string); ok && len(x) == 1 {
			return base64.StdEncoding.DecodeString(s)
		}
		return nil, fmt.Errorf("an object that is neither a time nor bytes")
	case []any:
		return nil, fmt.Errorf("a nested list")
	}
	return v, nil
}
