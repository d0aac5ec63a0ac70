package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/models"
)

// uploadedFile is a file uploaded to an install and the bytes it holds.
type uploadedFile struct {
	media models.Media
	data  []byte
}

// uploadMediaFiles uploads a photo and a several-chunk PDF to the install at
// base through the API.
func uploadMediaFiles(t *testing.T, base string) []uploadedFile {
	t.Helper()
	files := []struct {
		name string
		data []byte
	}{{"Diwali offer.jpg", mediatest.JPEG(900, 600)}, {"Price list.pdf", mediatest.PDF(5*models.MediaChunkSize + 123)}}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range files {
		fw, _ := w.CreateFormFile("file", f.name)
		fw.Write(f.data)
	}
	w.Close()
	resp, err := http.Post(base+"/api/v1/media", w.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []models.Media `json:"items"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusCreated || len(out.Items) != len(files) {
		t.Fatalf("upload = %d, %d items", resp.StatusCode, len(out.Items))
	}
	up := make([]uploadedFile, len(files))
	for i := range files {
		up[i] = uploadedFile{out.Items[i], files[i].data}
	}
	return up
}

// checkMediaOn waits until every file is on disk under mediaDir (put there
// by the install itself) and then downloads each from base, comparing bytes.
func checkMediaOn(t *testing.T, base, mediaDir string, files []uploadedFile, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for _, f := range files {
		p := filepath.Join(mediaDir, f.media.SHA256[:2], f.media.SHA256)
		for {
			if _, err := os.Stat(p); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never reached %s", f.media.Name, p)
			}
			time.Sleep(200 * time.Millisecond)
		}
		resp, err := http.Get(base + "/api/v1/media/" + f.media.ID + "/content")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, f.data) {
			t.Fatalf("%s from the other install: %d, %d bytes, want %d", f.media.Name, resp.StatusCode, len(got), len(f.data))
		}
	}
}
