package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/launcher"
	"github.com/sambad/sambad/models"
)

// BenchmarkCampaignReportPDF5k makes the PDF report of a finished campaign
// with 5,000 recipients (one in four failed, with a reason) and its
// failures-only variant, and reports per PDF: the time of the request, the
// size and pages, what the server allocated, the Go heap's peak, and the peak
// PSS of the printing Chromium's process tree.
func BenchmarkCampaignReportPDF5k(b *testing.B) {
	s := testdb.SQLite(b)
	f := newFixture(b, s, 0)
	ctx := context.Background()
	now := time.Now().UTC()
	var contacts []models.Contact
	var members []models.GroupMember
	for i := 0; i < 5000; i++ {
		id := models.NewID()
		contacts = append(contacts, models.Contact{ID: id, Phone: "+91981" + strconv.Itoa(1000000+i), Name: fmt.Sprintf("Person %d आशा", i), CreatedAt: now, UpdatedAt: now})
		members = append(members, models.GroupMember{GroupID: f.group.ID, ContactID: id, CreatedAt: now})
	}
	testdb.Gorm(s).CreateInBatches(contacts, 1000)
	testdb.Gorm(s).CreateInBatches(members, 1000)
	c := &models.Campaign{Name: "Big", Template: "Hi {{name}}", GroupIDs: []string{f.group.ID}}
	s.CreateCampaign(ctx, c)
	if _, err := s.PlanRecipients(ctx, c.ID, func(ct *models.Contact) (string, error) { return "Hello " + ct.Name, nil }); err != nil {
		b.Fatal(err)
	}
	for {
		recs, _ := s.ClaimPending(ctx, c.ID, 1, 1000)
		if len(recs) == 0 {
			break
		}
		outs := make([]models.Outcome, len(recs))
		for i, r := range recs {
			outs[i] = models.Outcome{Seq: r.Seq, State: models.RecipientSent, MessageID: "m" + strconv.FormatInt(r.Seq, 10), At: now}
			if r.Seq%4 == 0 {
				outs[i].State, outs[i].Error = models.RecipientFailed, "message stayed unsent after 30 s"
			}
		}
		if err := s.RecordOutcomes(ctx, c.ID, outs); err != nil {
			b.Fatal(err)
		}
	}
	for _, v := range []struct{ name, query string }{{"all", ""}, {"failed", "?only=failed"}} {
		b.Run(v.name, func(b *testing.B) {
			var pdf []byte
			var chromePeak, heapPeak atomic.Int64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				var ms runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
					}
					if p := printingChromePSS(); p > chromePeak.Load() {
						chromePeak.Store(p)
					}
					runtime.ReadMemStats(&ms)
					if h := int64(ms.HeapInuse); h > heapPeak.Load() {
						heapPeak.Store(h)
					}
				}
			}()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				resp, err := http.Get(f.url + "/campaigns/" + c.ID + "/report.pdf" + v.query)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("%v %v", err, resp.Status)
				}
				pdf, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			close(stop)
			<-done
			b.ReportMetric(float64(len(pdf))/1024, "pdf-KiB")
			b.ReportMetric(float64(bytes.Count(pdf, []byte("/Type /Page\n"))+bytes.Count(pdf, []byte("/Type/Page\n"))+bytes.Count(pdf, []byte("/Type /Page/"))+bytes.Count(pdf, []byte("/Type /Page "))), "pages")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MiB/op")
			b.ReportMetric(float64(heapPeak.Load())/(1<<20), "go-heap-peak-MiB")
			b.ReportMetric(float64(chromePeak.Load())/(1<<20), "chromium-pss-peak-MiB")
		})
	}
}

// printingChromePSS is the PSS of every Chromium process tree started on a
// PDF profile (pdfprint's), 0 when none runs.
func printingChromePSS() int64 {
	cmds, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var total int64
	for _, path := range cmds {
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(b, []byte("pdf-profile-")) || !bytes.Contains(b, []byte("--user-data-dir")) {
			continue
		}
		if argv0, _, _ := bytes.Cut(b, []byte{0}); !bytes.Contains(argv0, []byte("chrom")) || bytes.Contains(b, []byte("--type=")) {
			continue // leakless, or a child: counted in its browser's tree
		}
		pid, _ := strconv.Atoi(strings.Split(path, "/")[2])
		if m, err := launcher.TreeMemory(pid); err == nil {
			total += m.PSS
		}
	}
	return total
}
