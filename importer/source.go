package importer

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// source yields the rows of an import file: first the header, then the data.
// line is the row number a person sees in a spreadsheet (header = 1); a nil
// fields with a nil error means the file has ended.
type source interface {
	next() (line int, fields []string, err error)
	Close() error
}

// openSource opens a CSV or XLSX file, telling them apart by content, not by
// name, so a renamed file still works and junk is refused up front. An
// XLSX workbook may unpack to at most limit bytes.
func openSource(path string, limit int64, tmpDir string) (source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("importer: unable to open the upload: %w", err)
	}
	head := make([]byte, 4096)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, fmt.Errorf("importer: unable to read the upload: %w", err)
	}
	head = head[:n]
	if err := checkHead(head); err != nil {
		f.Close()
		return nil, err
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		f.Close()
		return openXLSX(path, limit, tmpDir)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("importer: %w", err)
	}
	return newCSVSource(f, head), nil
}

// checkHead refuses what is certainly not a CSV or XLSX file.
func checkHead(head []byte) error {
	switch {
	case len(bytes.TrimSpace(head)) == 0:
		return fileErrorf("the file is empty: it needs a header row (phone, name, …) and one row per contact")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return fileErrorf("this is an old Excel .xls file: save it as .xlsx or as CSV UTF-8 and upload that")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return fileErrorf("this file is UTF-16 text: save it as CSV UTF-8 (Excel: File › Save As › CSV UTF-8) and upload that")
	case bytes.IndexByte(head, 0) >= 0:
		return fileErrorf("this is not a CSV or XLSX file (it holds binary data): upload a .csv or .xlsx file")
	}
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(head[i:]) && len(head) == cap(head) {
				break // the head ends inside a character
			}
			return fileErrorf("this file is not UTF-8 text (it may be Latin-1 or Windows-1252): save it as CSV UTF-8 (Excel: File › Save As › CSV UTF-8) and upload that")
		}
		i += size
	}
	return nil
}
