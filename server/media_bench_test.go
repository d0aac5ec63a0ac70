package server_test

import (
	"bufio"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
)

// procStatusKB reads a field of /proc/self/status in KiB (VmRSS, VmHWM).
func procStatusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

// BenchmarkMediaUpload100MB posts a 100 MB document through the API, the
// body made on the fly (the client holds none of it), and reports how far
// the process's peak RSS rose above its RSS before the upload. The target
// is 32 MiB; the upload streams, so it does not grow with the file. Run:
//
//	go test -run '^$' -bench MediaUpload100MB -benchtime 3x ./server/
//
// With -chunks (hybrid and cloud mode) the file is also written as chunk
// rows into SQLite.
func BenchmarkMediaUpload100MB(b *testing.B) {
	for _, storage := range []string{config.StorageLocal, config.StorageHybrid} {
		b.Run(storage, func(b *testing.B) {
			cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: b.TempDir(), DefaultRegion: "IN", MediaMaxMB: 100, APIToken: "t", Storage: storage}
			srv, err := server.New(server.Deps{Config: cfg, Store: testdb.SQLite(b)})
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			const size = 100 << 20
			var worst int64
			b.SetBytes(size)
			for i := 0; i < b.N; i++ {
				runtime.GC()
				debug.FreeOSMemory()
				base := procStatusKB("VmRSS")
				// Writing 5 to clear_refs resets VmHWM to the current RSS.
				os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
				pr, pw := io.Pipe()
				mw := multipart.NewWriter(pw)
				go func() {
					fw, _ := mw.CreateFormFile("file", fmt.Sprintf("big %d.pdf", i))
					// Different bytes each round, so nothing is deduplicated.
					head := mediatest.PDF(1000)
					head = append(head, fmt.Sprintf("%% round %d\n", i)...)
					fw.Write(head)
					io.CopyN(fw, zeroReader{}, size-int64(len(head)))
					mw.Close()
					pw.Close()
				}()
				req, _ := http.NewRequest("POST", ts.URL+"/api/v1/media", pr)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Authorization", "Bearer t")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Fatalf("upload = %d %s", resp.StatusCode, body)
				}
				if os.Getenv("SAMBAD_BENCH_DEBUG") != "" {
					b.Logf("round %d: RSS before %d KiB, peak during %d KiB, RSS after %d KiB", i, base, procStatusKB("VmHWM"), procStatusKB("VmRSS"))
				}
				if rise := procStatusKB("VmHWM") - base; rise > worst {
					worst = rise
				}
			}
			b.ReportMetric(float64(worst)/1024, "MiB-peak-RSS-rise")
			if worst > 32<<10 {
				b.Errorf("peak RSS rose by %.1f MiB during a 100 MB upload; the target is at most 32 MiB", float64(worst)/1024)
			}
		})
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
