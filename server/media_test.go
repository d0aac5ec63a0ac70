package server_test

import (
	"bytes"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

type mediaFile struct {
	name string
	data []byte
}

// uploadMedia posts files in one multipart request, each in a field "file".
func (s *site) uploadMedia(path string, files ...mediaFile) reply {
	s.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range files {
		fw, _ := w.CreateFormFile("file", f.name)
		fw.Write(f.data)
	}
	w.Close()
	return s.do("POST", path, w.FormDataContentType(), &buf)
}

type mediaItems struct {
	Error string `json:"error"`
	Items []struct {
		models.Media
		Duplicate bool `json:"duplicate"`
	} `json:"items"`
}

// newMediaSite is newSite with documents limited to maxMB.
func newMediaSite(t *testing.T, apiToken string, maxMB int) *site {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, MediaMaxMB: maxMB, APIToken: apiToken}
	store := testdb.SQLite(t)
	srv, err := server.New(server.Deps{Config: cfg, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &site{t: t, url: ts.URL, cfg: cfg, store: store, c: c, token: apiToken}
}

func TestMediaAPI(t *testing.T) {
	s := newMediaSite(t, "s3cret", 1)
	photo := mediatest.PNG(640, 480)
	pdf := mediatest.PDF(5000)
	mp4 := mediatest.MP4(2000)

	// Sniffed, not named: a PNG called .pdf is a photo, a PDF called .jpg a document.
	r := s.uploadMedia("/api/v1/media", mediaFile{"offer.pdf", photo}, mediaFile{"prices.jpg", pdf}, mediaFile{"clip", mp4})
	var up mediaItems
	r.json(t, &up)
	if r.status != http.StatusCreated || len(up.Items) != 3 {
		t.Fatalf("upload = %d %s", r.status, r.body)
	}
	p, d, v := up.Items[0], up.Items[1], up.Items[2]
	if p.Kind != models.MediaPhoto || p.MimeType != "image/png" || p.Width != 640 || p.Name != "offer.pdf" || p.Duplicate {
		t.Fatalf("photo = %+v", p)
	}
	if d.Kind != models.MediaDocument || d.MimeType != "application/pdf" || d.Name != "prices.jpg" {
		t.Fatalf("document = %+v", d)
	}
	if v.Kind != models.MediaVideo || v.MimeType != "video/mp4" || v.Name != "clip" {
		t.Fatalf("video = %+v", v)
	}

	// The same bytes again: 200, the stored record, once on disk.
	r = s.uploadMedia("/api/v1/media", mediaFile{"other name.png", photo})
	var again mediaItems
	r.json(t, &again)
	if r.status != http.StatusOK || len(again.Items) != 1 || again.Items[0].ID != p.ID || !again.Items[0].Duplicate || again.Items[0].Name != "offer.pdf" {
		t.Fatalf("second upload = %d %s", r.status, r.body)
	}
	var list struct {
		Items []models.Media `json:"items"`
		Total int64          `json:"total"`
	}
	s.api("GET", "/api/v1/media", nil).json(t, &list)
	if list.Total != 3 || len(list.Items) != 3 {
		t.Fatalf("list = %+v", list)
	}
	var one models.Media
	if r := s.api("GET", "/api/v1/media/"+d.ID, nil); r.status != 200 {
		t.Fatalf("get = %d", r.status)
	} else {
		r.json(t, &one)
	}
	if one.SHA256 != d.SHA256 || one.Size != int64(len(pdf)) {
		t.Fatalf("get = %+v", one)
	}

	// Download: the exact bytes, the sniffed type, the original name.
	r = s.get("/api/v1/media/" + d.ID + "/content")
	if r.status != 200 || r.body != string(pdf) {
		t.Fatalf("download = %d, %d bytes", r.status, len(r.body))
	}
	if r.header.Get("Content-Type") != "application/pdf" || r.header.Get("X-Content-Type-Options") != "nosniff" ||
		r.header.Get("Content-Disposition") != `attachment; filename=prices.jpg` || r.header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
		t.Fatalf("download headers %v", r.header)
	}
	// A name with quotes and non-ASCII letters is encoded, not pasted.
	odd := s.uploadMedia("/api/v1/media", mediaFile{"दाम \"सूची\";.pdf", mediatest.PDF(100)})
	var oddItems mediaItems
	odd.json(t, &oddItems)
	r = s.get("/api/v1/media/" + oddItems.Items[0].ID + "/content")
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename*=utf-8''") || strings.ContainsAny(cd, "\"\n") {
		t.Fatalf("Content-Disposition %q", cd)
	}

	// Thumbnails: photos only.
	r = s.get("/api/v1/media/" + p.ID + "/thumbnail")
	if r.status != 200 || r.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("thumbnail = %d %v", r.status, r.header)
	}
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(r.body)); err != nil || cfg.Width != 320 || cfg.Height != 240 {
		t.Fatalf("thumbnail %+v %v", cfg, err)
	}
	if r := s.get("/api/v1/media/" + d.ID + "/thumbnail"); r.status != 404 {
		t.Fatalf("document thumbnail = %d", r.status)
	}

	// Over the limit: 413 naming it; nothing kept.
	for _, tc := range []struct {
		file mediaFile
		want string
	}{
		{mediaFile{"big.pdf", mediatest.PDF(1<<20 + 10)}, "larger than 1 MB, the most a document may be (SAMBAD_MEDIA_MAX_MB)"},
		{mediaFile{"big.mp4", mediatest.MP4(16 << 20)}, "is a video larger than 16 MB, WhatsApp's limit"},
	} {
		r = s.uploadMedia("/api/v1/media", tc.file)
		var e mediaItems
		r.json(t, &e)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(e.Error, tc.want) || !strings.Contains(e.Error, tc.file.name) {
			t.Fatalf("%s: %d %s", tc.file.name, r.status, r.body)
		}
	}
	// An image that cannot be decoded: 422.
	for _, f := range []mediaFile{{"cut.png", photo[:60]}, {"bomb.png", mediatest.PNGClaiming(90_000, 90_000)}} {
		r = s.uploadMedia("/api/v1/media", f)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, f.name) {
			t.Fatalf("%s: %d %s", f.name, r.status, r.body)
		}
	}
	// A refused file after a good one: the good one is kept and listed.
	r = s.uploadMedia("/api/v1/media", mediaFile{"fine.jpg", mediatest.JPEG(10, 10)}, mediaFile{"cut.png", photo[:60]})
	var partial mediaItems
	r.json(t, &partial)
	if r.status != http.StatusUnprocessableEntity || len(partial.Items) != 1 || partial.Items[0].Name != "fine.jpg" {
		t.Fatalf("partial upload = %d %s", r.status, r.body)
	}
	if tmp, _ := os.ReadDir(filepath.Join(s.cfg.DataDir, "media", "tmp")); len(tmp) != 0 {
		t.Fatalf("%d temporary files left", len(tmp))
	}
	s.api("GET", "/api/v1/media", nil).json(t, &list)
	if list.Total != 5 {
		t.Fatalf("%d files after the refusals, want 5", list.Total)
	}
	// A body cut off in the middle of a file: 400, nothing kept.
	var cut bytes.Buffer
	mw := multipart.NewWriter(&cut)
	fw, _ := mw.CreateFormFile("file", "cut off.pdf")
	fw.Write(mediatest.PDF(100_000))
	r = s.do("POST", "/api/v1/media", mw.FormDataContentType(), bytes.NewReader(cut.Bytes()[:cut.Len()-5000]))
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `the upload of \"cut off.pdf\" stopped before the end of the file`) {
		t.Fatalf("cut-off upload = %d %s", r.status, r.body)
	}
	if s.api("GET", "/api/v1/media", nil).json(t, &list); list.Total != 5 {
		t.Fatalf("%d files after a cut-off upload, want 5", list.Total)
	}
	if r := s.do("POST", "/api/v1/media", "application/json", strings.NewReader("{}")); r.status != 400 || !strings.Contains(r.body, "multipart/form-data") {
		t.Fatalf("not multipart: %d %s", r.status, r.body)
	}

	// Delete: refused while an unfinished campaign uses the file.
	camp := &models.Campaign{Name: "Diwali sale", Template: "Hello {{name}}"}
	if err := s.store.CreateCampaign(t.Context(), camp); err != nil {
		t.Fatal(err)
	}
	testdb.Gorm(s.store).Exec(`INSERT INTO campaign_media (campaign_id, media_id, position) VALUES (?, ?, 1)`, camp.ID, d.ID)
	r = s.api("DELETE", "/api/v1/media/"+d.ID, nil)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Diwali sale") {
		t.Fatalf("delete in use = %d %s", r.status, r.body)
	}
	if r := s.get("/api/v1/media/" + d.ID + "/content"); r.body != string(pdf) {
		t.Fatal("the refused delete lost the file")
	}
	testdb.Gorm(s.store).Exec(`UPDATE campaigns SET state = 'completed' WHERE id = ?`, camp.ID)
	if r := s.api("DELETE", "/api/v1/media/"+d.ID, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete = %d %s", r.status, r.body)
	}
	if r := s.get("/api/v1/media/" + d.ID + "/content"); r.status != 404 {
		t.Fatalf("download after delete = %d", r.status)
	}
	if _, err := os.Stat(filepath.Join(s.cfg.DataDir, "media", d.SHA256[:2], d.SHA256)); !os.IsNotExist(err) {
		t.Fatalf("the file stayed on disk: %v", err)
	}
	if r := s.api("DELETE", "/api/v1/media/"+d.ID, nil); r.status != 404 {
		t.Fatalf("second delete = %d", r.status)
	}
}

func TestMediaAPINeedsToken(t *testing.T) {
	s := newSite(t, "s3cret")
	s.token = ""
	if r := s.uploadMedia("/api/v1/media", mediaFile{"a.pdf", mediatest.PDF(10)}); r.status != http.StatusUnauthorized {
		t.Fatalf("upload without a token = %d", r.status)
	}
}

func TestMediaPage(t *testing.T) {
	s := newSite(t, "")
	r := s.get("/media")
	if r.status != 200 || !strings.Contains(r.body, "No files yet") || !strings.Contains(r.body, `href="/media" class="active"`) {
		t.Fatalf("empty page = %d", r.status)
	}
	r = s.uploadMedia("/media", mediaFile{"Diwali offer.jpg", mediatest.JPEG(400, 300)}, mediaFile{"Price list.pdf", mediatest.PDF(2000)})
	page := s.follow(r)
	if !strings.Contains(page.body, "2 file(s) added.") || !strings.Contains(page.body, "Diwali offer.jpg") || !strings.Contains(page.body, "Price list.pdf") {
		t.Fatalf("after upload: %s", page.body)
	}
	if !strings.Contains(page.body, `/thumbnail"`) || !strings.Contains(page.body, `>PDF</span>`) {
		t.Fatal("the page shows no thumbnail or type badge")
	}
	if r := s.get("/media?page=7"); !strings.Contains(r.body, "Price list.pdf") {
		t.Fatal("a page past the end shows no files")
	}
	items, _, _ := s.store.ListMedia(t.Context(), models.MediaQuery{})
	doc := items[0]
	if doc.Kind != models.MediaDocument {
		doc = items[1]
	}
	if r := s.get("/media/" + doc.ID + "/content"); r.status != 200 || r.header.Get("Content-Disposition") == "" {
		t.Fatalf("page download = %d", r.status)
	}
	// Over the limit through the page: 413 and the reason on the page.
	r = s.uploadMedia("/media", mediaFile{"huge.png", append(mediatest.PNG(2, 2), make([]byte, 16<<20)...)})
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "WhatsApp&#39;s limit") {
		t.Fatalf("too large through the page = %d", r.status)
	}
	// Delete refused while used, with the campaign named.
	camp := &models.Campaign{Name: "Price drop", Template: "Hi"}
	s.store.CreateCampaign(t.Context(), camp)
	testdb.Gorm(s.store).Exec(`INSERT INTO campaign_media (campaign_id, media_id, position) VALUES (?, ?, 1)`, camp.ID, doc.ID)
	page = s.follow(s.form("/media/"+doc.ID+"/delete", nil))
	if !strings.Contains(page.body, "Not deleted: the file is used by a campaign that has not finished (“Price drop”)") {
		t.Fatalf("refused delete page: %s", page.body)
	}
	testdb.Gorm(s.store).Exec(`DELETE FROM campaign_media`)
	page = s.follow(s.form("/media/"+doc.ID+"/delete", nil))
	if !strings.Contains(page.body, "“Price list.pdf” deleted.") && !strings.Contains(page.body, "&#34;Price list.pdf&#34; deleted.") {
		t.Fatalf("delete page: %s", page.body)
	}
}
