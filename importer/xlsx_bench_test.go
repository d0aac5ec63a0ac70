package importer_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// BenchmarkXLSXHostile runs the preview (dry run) of crafted workbooks under
// the default import limit (32 MB) and reports the peak extra RSS and the
// largest temp file seen. Goal: at most 64 MiB extra RSS, no temp file
// larger than the limit; hostile files refused with a message.
//
//	go test -run '^$' -bench XLSXHostile -benchtime 1x ./importer/
func BenchmarkXLSXHostile(b *testing.B) {
	const limit = importer.DefaultMaxBytes
	header := importer.ContactRows(0)
	cases := []struct {
		name      string
		rows, sst func(io.Writer) error
		extra     map[string]func(io.Writer) error
		csv       int // > 0: a CSV of this many rows instead, for reference
	}{
		// The files: a 1 MB upload holding a 1 GB part, and a
		// 0.5 MB upload whose sheet is 512 MB.
		{name: "1GB-part", rows: importer.ContactRows(3), extra: map[string]func(io.Writer) error{
			"xl/styles.xml": importer.Filler(1<<30, "<x/>")}},
		{name: "512MB-sheet", rows: func(w io.Writer) error { header(w); return importer.Filler(512<<20, "<row></row>")(w) }},
		// The largest files the limits let through.
		{name: "31MB-sheet", rows: importer.ContactRows(250_000)},
		{name: "249k-texts", rows: sharedRows(150_000), sst: sharedTexts(249_000)},
		// The same contacts as CSV, for reference: what the dry run itself costs.
		{name: "csv-250k-rows", csv: 250_000},
		{name: "csv-150k-rows", csv: 150_000},
		{name: "one-30MB-cell", rows: func(w io.Writer) error {
			header(w)
			io.WriteString(w, `<row r="2"><c r="A2"><v>9876543210</v></c><c r="B2" t="inlineStr"><is><t>`)
			importer.Filler(30<<20, "x")(w)
			_, err := io.WriteString(w, `</t></is></c></row>`)
			return err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "upload.xlsx")
			if tc.csv > 0 {
				path = writeContactsCSV(b, dir, tc.csv)
			} else if err := importer.CraftXLSX(path, tc.rows, tc.sst, tc.extra); err != nil {
				b.Fatal(err)
			}
			fi, _ := os.Stat(path)
			tmp := filepath.Join(dir, "tmp")
			os.Mkdir(tmp, 0o700)
			store := testdb.SQLite(b)
			for i := 0; i < b.N; i++ {
				debug.FreeOSMemory()
				os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM
				rssBefore := procKB("VmRSS")
				stopTemp, largestTemp := watchTempFiles(tmp)
				t0 := time.Now()
				rep, err := importer.Run(context.Background(), store, path, importer.Options{
					Mode: models.ImportUpdate, DryRun: true, Region: "IN", MaxBytes: limit, TmpDir: tmp})
				took := time.Since(t0)
				stopTemp()
				rssExtra := float64(int64(max(procKB("VmHWM"), procKB("VmRSS")))-int64(rssBefore)) / (1 << 20)
				var fe *importer.FileError
				outcome := "error"
				switch {
				case errors.As(err, &fe):
					outcome = "refused: " + fe.Message
				case err == nil:
					outcome = fmt.Sprintf("read: %d rows, %d valid", rep.Rows, rep.Valid)
				default:
					outcome = err.Error()
				}
				b.Logf("%s: upload %.2f MB, %s", tc.name, float64(fi.Size())/(1<<20), outcome)
				b.ReportMetric(float64(fi.Size())/(1<<20), "upload-MiB")
				b.ReportMetric(took.Seconds(), "s")
				b.ReportMetric(rssExtra, "peak-extra-RSS-MiB")
				b.ReportMetric(float64(largestTemp.Load())/(1<<20), "largest-temp-MiB")
			}
		})
	}
}

// sharedRows writes a header and n rows whose name is shared string i.
func sharedRows(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>`)
		for i := 2; i <= n+1; i++ {
			if _, err := fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>98%08d</v></c><c r="B%d" t="s"><v>%d</v></c></row>`, i, i, i, i, i-2); err != nil {
				return err
			}
		}
		return nil
	}
}

// sharedTexts writes n distinct shared strings.
func sharedTexts(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		for i := 0; i < n; i++ {
			if _, err := fmt.Fprintf(w, "<si><t>Person %d</t></si>", i); err != nil {
				return err
			}
		}
		return nil
	}
}

// watchTempFiles follows the size of the files in dir every 2 ms until
// stop is called.
func watchTempFiles(dir string) (stop func(), largest *atomic.Int64) {
	largest = &atomic.Int64{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if fi, err := e.Info(); err == nil && fi.Size() > largest.Load() {
					largest.Store(fi.Size())
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }, largest
}

// writeContactsCSV writes the rows ContactRows writes, as CSV.
func writeContactsCSV(b *testing.B, dir string, n int) string {
	p := filepath.Join(dir, "upload.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("phone,name\n")
	for i := 2; i <= n+1; i++ {
		fmt.Fprintf(w, "98%08d,Person %d\n", i, i)
	}
	w.Flush()
	f.Close()
	return p
}
