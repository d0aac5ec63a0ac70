package importer

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"strings"
)

// xlsxParts are the parts of a crafted workbook, each written by a func.
type xlsxParts map[string]func(w io.Writer) error

// CraftXLSX writes a minimal workbook at path: one sheet whose rows rows
// writes (inside <sheetData>), shared strings when sst is set, and any
// extra parts. Every part is deflated at the best compression, as a zip
// bomb would be. Tests and benchmarks use it to build hostile files
// without keeping them in git.
func CraftXLSX(path string, rows, sst func(w io.Writer) error, extra map[string]func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	ct := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
	if sst != nil {
		ct += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	parts := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"[Content_Types].xml", text(ct + `</Types>`)},
		{"_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", text(rels + `</Relationships>`)},
		{"xl/worksheets/sheet1.xml", func(w io.Writer) error {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
			if err := rows(w); err != nil {
				return err
			}
			_, err := io.WriteString(w, `</sheetData></worksheet>`)
			return err
		}},
	}
	if sst != nil {
		parts = append(parts, struct {
			name  string
			write func(io.Writer) error
		}{"xl/sharedStrings.xml", func(w io.Writer) error {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			if err := sst(w); err != nil {
				return err
			}
			_, err := io.WriteString(w, `</sst>`)
			return err
		}})
	}
	for name, write := range extra {
		parts = append(parts, struct {
			name  string
			write func(io.Writer) error
		}{name, write})
	}
	for _, p := range parts {
		pw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(pw, 1<<20)
		if err := p.write(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// ContactRows writes n rows: a header (phone, name), then contacts with
// inline texts, so no shared strings are needed.
func ContactRows(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>`)
		for i := 2; i <= n+1; i++ {
			if _, err := fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>98%08d</v></c><c r="B%d" t="inlineStr"><is><t>Person %d</t></is></c></row>`, i, i, i, i, i); err != nil {
				return err
			}
		}
		return nil
	}
}

// Filler writes size bytes of one repeated XML-safe pattern (what a zip
// bomb holds: it compresses about a thousand to one).
func Filler(size int64, pattern string) func(io.Writer) error {
	return func(w io.Writer) error {
		chunk := strings.Repeat(pattern, max(1, (64<<10)/len(pattern)))
		for size > 0 {
			n := min(size, int64(len(chunk)))
			if _, err := io.WriteString(w, chunk[:n]); err != nil {
				return err
			}
			size -= n
		}
		return nil
	}
}
