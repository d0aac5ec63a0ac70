package importer

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// An XLSX file is a zip: a 1 MB upload can unpack to gigabytes. excelize
// unpacks every part when it opens a workbook (16 GB by default), so the
// workbook's table of contents is checked first, and excelize is then
// opened with limits of the same size. Go's zip reader stops a part that
// unpacks to more than its entry declares, so the declared sizes bound the
// real ones.
const (
	// xlsxStreamAbove is excelize's UnzipXMLSizeLimit: a sheet or the
	// shared strings larger than this go to a temp file and are read
	// streaming, not parsed in memory.
	xlsxStreamAbove = 256 << 10
	// xlsxMaxOtherParts bounds the parts excelize always holds in memory
	// (styles, workbook, drawings, pictures).
	xlsxMaxOtherParts = 16 << 20
	// xlsxMaxSharedStrings bounds the distinct texts: excelize indexes each
	// in memory (about 80 bytes each while reading a sheet).
	xlsxMaxSharedStrings = 250_000
	// xlsxMaxText bounds a cell's text (or a tag) in the XML: excelize
	// holds a cell whole, a few times over. Excel itself allows 32,767
	// characters in a cell, at most 128 KB in UTF-8.
	xlsxMaxText = 256 << 10
)

// DefaultMaxBytes is the import limit when Options.MaxBytes is 0: the
// default of SAMBAD_IMPORT_MAX_MB.
const DefaultMaxBytes = 32 << 20

// checkWorkbook refuses a workbook that would unpack to more than limit
// bytes in all, hold more than xlsxMaxOtherParts in memory, more than
// xlsxMaxSharedStrings distinct texts or a text longer than xlsxMaxText,
// before excelize unpacks anything. Sheets and shared strings are read
// once here, streaming; they are at most limit bytes in all.
func checkWorkbook(path string, limit int64) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fileErrorf("this file looks like an XLSX workbook but cannot be read (%v): open it in Excel and save it again, or save it as CSV UTF-8", err)
	}
	defer zr.Close()
	var total, other uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		if total > uint64(limit) {
			return fileErrorf("this workbook unpacks to more than %s, the import limit (SAMBAD_IMPORT_MAX_MB): save it as CSV UTF-8, which is several times smaller, or split it", mb(limit))
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		switch {
		case strings.HasPrefix(name, "xl/worksheets/sheet"):
		case name == "xl/sharedstrings.xml":
		default:
			other += size
			if other > xlsxMaxOtherParts {
				return fileErrorf("this workbook holds more than %s besides its sheets (pictures, styles, charts): copy the contact columns into a new workbook, or save it as CSV UTF-8", mb(xlsxMaxOtherParts))
			}
		}
	}
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		isSST := name == "xl/sharedstrings.xml"
		if !isSST && !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		shape, err := scanPart(f)
		if err != nil {
			return fileErrorf("the workbook part %s cannot be read (%v): open it in Excel and save it again, or save it as CSV UTF-8", f.Name, err)
		}
		if shape.longestText > xlsxMaxText {
			return fileErrorf("this workbook holds a cell or tag longer than %d KB, more than Excel allows in a cell: save it as CSV UTF-8 and upload that", xlsxMaxText>>10)
		}
		if isSST && shape.texts > xlsxMaxSharedStrings {
			return fileErrorf("this workbook holds more than %d different texts: save it as CSV UTF-8 and upload that", xlsxMaxSharedStrings)
		}
	}
	return nil
}

// partShape is what one streaming pass over an XML part finds.
type partShape struct {
	texts       int   // <si> elements (any namespace prefix)
	longestText int64 // the longest run of bytes between two '<'
}

// scanPart reads an XML part once, stopping as soon as it is past a cap.
func scanPart(f *zip.File) (partShape, error) {
	var shape partShape
	rc, err := f.Open()
	if err != nil {
		return shape, err
	}
	defer rc.Close()
	r := bufio.NewReaderSize(rc, 64<<10)
	var run int64
	for shape.texts <= xlsxMaxSharedStrings && shape.longestText <= xlsxMaxText {
		chunk, err := r.ReadSlice('<')
		run += int64(len(chunk))
		shape.longestText = max(shape.longestText, run)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return shape, nil
		case err != nil:
			return shape, err
		}
		name, err := elementName(r)
		if err != nil && !errors.Is(err, io.EOF) {
			return shape, err
		}
		run = int64(len(name))
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		if name == "si" {
			shape.texts++
		}
	}
	return shape, nil
}

// elementName reads the name after '<' (up to 64 bytes; longer names are
// not si and are cut).
func elementName(r *bufio.Reader) (string, error) {
	var sb strings.Builder
	for sb.Len() < 64 {
		b, err := r.ReadByte()
		if err != nil {
			return sb.String(), err
		}
		switch b {
		case '>', '/', ' ', '\t', '\r', '\n':
			r.UnreadByte()
			return sb.String(), nil
		}
		sb.WriteByte(b)
	}
	return sb.String(), nil
}

// mb writes a byte count as whole megabytes (MiB, as SAMBAD_IMPORT_MAX_MB
// counts them), or kilobytes below one.
func mb(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d MB", n>>20)
}
