package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var rowInError = regexp.MustCompile(`^row (\d+)`)

// FuzzParseCSV: reading any bytes as CSV never panics, rows come in order,
// and every row number reported (for a row or in an error) is a line of the
// file.
func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		"phone,name\n9876543210,Asha\n",
		"\ufeffphone;name\n\"98765\n43210\";\"a;b\"\n\n;;\n",
		"number\tname\r\n1\t\"x\"\"y\"\r\n",
		"phone,name\n\"unclosed,x\n",
		"phone,name\nbare\"quote,x\n",
		"phone\r1\r2\r",
		"groups,phone,v1,City Name,\n\"VIP, x\",+91 98765 43210,'=1,Pune,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			data = data[:4096]
		}
		if checkHead(data) != nil {
			return
		}
		maxLine := 1 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r"))
		src := newCSVSource(io.NopCloser(bytes.NewReader(data)), data)
		var lay *layout
		last := 0
		for {
			line, fields, err := src.next()
			if err != nil {
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("not a FileError: %v", err)
				}
				if m := rowInError.FindStringSubmatch(err.Error()); m != nil {
					n, _ := strconv.Atoi(m[1])
					if n < 1 || n > maxLine {
						t.Fatalf("error names row %d; the file has %d lines: %v", n, maxLine, err)
					}
				}
				return
			}
			if fields == nil {
				return
			}
			if line <= last || line > maxLine {
				t.Fatalf("row %d after row %d; the file has %d lines", line, last, maxLine)
			}
			last = line
			if lay == nil {
				if allEmpty(fields) {
					continue
				}
				if lay, err = parseHeader(line, fields); err != nil {
					return
				}
				continue
			}
			if r := lay.check(rawRow{line: line, fields: fields}, "IN"); r.line != line {
				t.Fatalf("checked row %d came back as %d", line, r.line)
			}
		}
	})
}

// FuzzParseXLSX: reading any bytes as an XLSX workbook (within a 64 KiB
// import limit, so that the fuzzer's inputs can reach it) never panics, refuses what it cannot read with a FileError,
// and leaves no temp file behind. The seeds are small workbooks crafted
// here: contacts, shared strings, and a bomb past the limit.
func FuzzParseXLSX(f *testing.F) {
	dir := f.TempDir()
	seeds := []struct {
		rows, sst func(io.Writer) error
	}{
		{rows: ContactRows(3)},
		{rows: ContactRows(1), sst: Filler(64, "<si><t>Asha</t></si>")},
		{rows: func(w io.Writer) error { ContactRows(0)(w); return Filler(128<<10, "<row></row>")(w) }},
	}
	for i, s := range seeds {
		p := filepath.Join(dir, fmt.Sprintf("seed%d.xlsx", i))
		if err := CraftXLSX(p, s.rows, s.sst, nil); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			data = data[:64<<10]
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "upload.xlsx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(dir, "tmp")
		os.Mkdir(tmp, 0o700)
		src, err := openXLSX(path, 64<<10, tmp)
		if err == nil {
			for rows := 0; rows < 10_000; rows++ {
				_, fields, err := src.next()
				if err != nil || fields == nil {
					break
				}
			}
			src.Close()
		} else {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("not a FileError: %v", err)
			}
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Fatalf("temp files left behind: %v", left)
		}
	})
}
