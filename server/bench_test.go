package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// seedContacts bulk-inserts n contacts named "Person <i>" with a city in v1.
func seedContacts(tb testing.TB, s *models.Store, n int) {
	tb.Helper()
	cities := []string{"Pune", "Mumbai", "Delhi", "Chennai", "Kolkata"}
	next := 0
	_, err := s.ImportContacts(context.Background(), models.ImportUpdate, models.ImportFields{}, func() ([]models.ImportRecord, error) {
		var batch []models.ImportRecord
		for ; next < n && len(batch) < 1000; next++ {
			batch = append(batch, models.ImportRecord{Contact: models.Contact{
				Phone: fmt.Sprintf("+9198%08d", next), Name: fmt.Sprintf("Person %d", next), V1: cities[next%5],
			}})
		}
		return batch, nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkContactsPage100k measures the contacts page over 100,000
// contacts through the real handler: p50 and p95 per kind of request.
// Target: p95 ≤ 30 ms.
func BenchmarkContactsPage100k(b *testing.B) {
	store := testdb.SQLite(b)
	seedContacts(b, store, 100_000)
	srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"example.com"}, DataDir: b.TempDir(), DefaultRegion: "IN", ImportMaxMB: 32}, Store: store})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	kinds := []struct{ name, path, expect string }{
		{"first", "/contacts", "Person 0"},
		{"deep", "/contacts?page=1000", "Page 1000 of 2000"},
		{"last", "/contacts?page=2000", "Page 2000 of 2000"},
		{"search-name", "/contacts?q=person+4242", "Person 42420"},
		{"search-phone", "/contacts?q=9800012", "Person 12"},
		{"search-none", "/contacts?q=nobody", "No contact matches"},
		{"search-common", "/contacts?q=pune", "Pune"},
	}
	const perKind = 40
	for i := 0; i < b.N; i++ {
		var all []time.Duration
		for _, k := range kinds {
			var ds []time.Duration
			for j := 0; j < perKind; j++ {
				req := httptest.NewRequest("GET", k.path, nil)
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.ServeHTTP(rec, req)
				d := time.Since(t0)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), k.expect) {
					b.Fatalf("%s: %d, body lacks %q", k.path, rec.Code, k.expect)
				}
				ds = append(ds, d)
			}
			all = append(all, ds...)
			b.ReportMetric(ms(percentile(ds, 95)), k.name+"-p95-ms")
			b.ReportMetric(ms(slices.Min(ds)), k.name+"-min-ms")
		}
		b.ReportMetric(ms(percentile(all, 50)), "all-p50-ms")
		b.ReportMetric(ms(percentile(all, 95)), "all-p95-ms")
	}
}

func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)*p+99)/100-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
