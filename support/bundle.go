package support

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// LogLines is how many lines of error.log a bundle carries.
const LogLines = 500

// Bundle is what goes into a support bundle.
type Bundle struct {
	Config   map[string]string // config.Redacted(): secrets already masked
	Versions map[string]string
	Doctor   []byte // `sambad doctor --json` output; nil when not available
	LogPath  string // error.log; its rotated backups are read when it is short
}

// Write writes the bundle as a zip archive. Every part is masked again on the
// way out, so a secret that reached the log or a setting never leaves.
func Write(w io.Writer, b Bundle, now time.Time) error {
	zw := zip.NewWriter(w)
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	cfg, err := json.MarshalIndent(b.Config, "", "  ")
	if err != nil {
		return fmt.Errorf("support: %w", err)
	}
	versions, err := json.MarshalIndent(b.Versions, "", "  ")
	if err != nil {
		return fmt.Errorf("support: %w", err)
	}
	doctor := b.Doctor
	if doctor == nil {
		doctor = []byte(`{"note":"doctor output is not available in this build"}`)
	}
	lines, err := TailLog(b.LogPath, LogLines)
	if err != nil {
		lines = []string{"(unable to read error.log: " + err.Error() + ")"}
	}
	var logBuf bytes.Buffer
	for _, l := range lines {
		logBuf.WriteString(MaskLine(l))
		logBuf.WriteByte('\n')
	}
	readme := "Sambad support bundle, made " + now.UTC().Format(time.RFC3339) + ".\n" +
		"Secrets are replaced by (set) or ****; phone numbers keep only their first and last digits.\n" +
		"Read it before you share it.\n"
	for _, part := range []struct {
		name string
		data []byte
	}{
		{"README.txt", []byte(readme)},
		{"config.json", maskBytes(cfg)},
		{"versions.json", versions},
		{"doctor.json", maskBytes(doctor)},
		{"error.log", logBuf.Bytes()},
	} {
		if err := add(part.name, part.data); err != nil {
			return fmt.Errorf("support: unable to write %s: %w", part.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("support: %w", err)
	}
	return nil
}

func maskBytes(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = []byte(MaskLine(string(l)))
	}
	return bytes.Join(lines, []byte("\n"))
}
