package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// fileChat is what a phone received: kind, caption or text, file name, bytes.
type fileChat struct{ Kind, Text, Name, SHA string }

// filesSender is a campaign Sender and the server's WhatsApp at once: each
// file sent is read from disk, so a test sees the bytes recipients got.
type filesSender struct {
	mu  sync.Mutex
	got map[string][]fileChat
	n   int
}

func (s *filesSender) add(phone string, m fileChat) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	s.got[phone] = append(s.got[phone], m)
	return fmt.Sprintf("true_%s_%d", phone, s.n)
}

func readSHA(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (s *filesSender) Ready() bool { return true }
func (s *filesSender) SendText(_ context.Context, phone, text string) (campaign.SendResult, error) {
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: s.add(phone, fileChat{Kind: "text", Text: text})}, nil
}
func (s *filesSender) SendFile(_ context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: s.add(phone, fileChat{Kind: f.Kind, Text: f.Caption, Name: f.Name, SHA: readSHA(f.Path)})}, nil
}
func (s *filesSender) RecentOutgoing(context.Context, string, int) ([]campaign.OutgoingMessage, error) {
	return nil, nil
}

// singleSender adapts filesSender to the server's WhatsApp port (only
// Status, Subscribe and SendFile are used).
type singleSender struct {
	server.WhatsApp
	fs *filesSender
}

func (s singleSender) Status() server.SessionStatus { return server.SessionStatus{State: "ready"} }
func (s singleSender) Subscribe() (<-chan server.SessionStatus, func()) {
	return make(chan server.SessionStatus), func() {}
}
func (s singleSender) SendFile(_ context.Context, phone string, f server.OutgoingFile) (server.SendOutcome, error) {
	id := s.fs.add(phone, fileChat{Kind: f.Kind, Text: f.Caption, Name: f.Name, SHA: readSHA(f.Path)})
	return server.SendOutcome{Status: "sent", MessageID: id}, nil
}

type filesFixture struct {
	url    string
	store  *models.Store
	sender *filesSender
	group  *models.Group
	phones []string
}

func newFilesFixture(t *testing.T, s *models.Store, n int) *filesFixture {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	snd := &filesSender{got: map[string][]fileChat{}}
	lib := server.NewMediaLibrary(cfg, s)
	e := campaign.New(campaign.Options{Store: s, Sender: snd, Files: lib, IdlePoll: 10 * time.Millisecond, Location: cfg.Location()})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.Run(runCtx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: e, Media: lib, WhatsApp: singleSender{fs: snd}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	g, _ := s.CreateGroup(ctx, "Buyers")
	f := &filesFixture{url: hs.URL, store: s, sender: snd, group: g}
	var ids []string
	for i := 0; i < n; i++ {
		var c models.Contact
		models.ContactInput{Phone: fmt.Sprintf("+1415%07d", 4000000+i), Name: fmt.Sprintf("Buyer %d", i)}.Apply(&c, "US")
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		f.phones = append(f.phones, c.Phone)
	}
	s.AddMembers(ctx, g.ID, ids)
	return f
}

func (f *filesFixture) call(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// upload sends a file to POST /api/v1/media and returns its row.
func (f *filesFixture) upload(t *testing.T, name string, content []byte) (id, sha string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write(content)
	w.Close()
	resp, err := http.Post(f.url+"/api/v1/media", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 201 && resp.StatusCode != 200 {
		t.Fatalf("upload %s: %d %v", name, resp.StatusCode, out)
	}
	item := out["items"].([]any)[0].(map[string]any)
	return item["id"].(string), item["sha256"].(string)
}

// TestCampaignFilesAPI: campaigns take media_ids in order and a caption
// mode (POST and PATCH) with clear 422s for what cannot be; a started
// campaign sends each recipient the text and each file once, exact bytes;
// the recipients API and the CSV show each message; a file a campaign uses
// cannot be deleted; POST /api/v1/messages sends files too.
func TestCampaignFilesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFilesFixture(t, s, 3)
		photo, photoSHA := f.upload(t, "offer.png", mediatest.PNG(120, 80))
		pdf, pdfSHA := f.upload(t, "Prices 2026.pdf", mediatest.PDF(4000))
		group := `"group_ids":["` + f.group.ID + `"]`

		for _, tc := range []struct{ body, want string }{
			{`"media_ids":["` + models.NewID() + `"]`, "no file with id"},
			{`"media_ids":["photo.png"]`, `"photo.png" is not a file id`},
			{`"media_ids":[` + strings.Repeat(`"`+photo+`",`, 10) + `"` + pdf + `"]`, ""}, // duplicates count once
			{`"media_ids":["` + photo + `"],"caption_mode":"under"`, `"under" is not a caption mode`},
			{`"media_ids":[],"template":""`, "template: is required"},
		} {
			body := `{"name":"x","template":"Hi",` + group + `,` + tc.body + `}`
			if strings.Contains(tc.body, `"template"`) {
				body = `{"name":"x",` + group + `,` + tc.body + `}`
			}
			code, out := f.call(t, "POST", "/api/v1/campaigns", body)
			if tc.want == "" {
				if code != 201 || len(out["media_ids"].([]any)) != 2 {
					t.Fatalf("repeated ids: %d %v", code, out)
				}
				continue
			}
			if code != 422 || !strings.Contains(fmt.Sprint(out["error"]), tc.want) {
				t.Fatalf("%s: %d %v, want 422 with %q", tc.body, code, out, tc.want)
			}
		}
		var many []string
		for i := 0; i < 11; i++ {
			m := &models.Media{SHA256: fmt.Sprintf("%064x", i+1), Kind: models.MediaDocument, MimeType: "application/pdf", Size: 10, Name: "x.pdf"}
			s.CreateMedia(context.Background(), m)
			many = append(many, `"`+m.ID+`"`)
		}
		if code, out := f.call(t, "POST", "/api/v1/campaigns", `{"name":"x","template":"Hi",`+group+`,"media_ids":[`+strings.Join(many, ",")+`]}`); code != 422 || !strings.Contains(fmt.Sprint(out["error"]), "at most 10 files") {
			t.Fatalf("11 files: %d %v", code, out)
		}

		code, out := f.call(t, "POST", "/api/v1/campaigns", `{"name":"Offer","template":"Hello {{name}}",`+group+`,"media_ids":["`+pdf+`","`+photo+`"],"caption_mode":"first_file","pacing":{"min_delay_ms":0,"max_delay_ms":1}}`)
		if code != 201 || out["caption_mode"] != "first_file" {
			t.Fatalf("create: %d %v", code, out)
		}
		id := out["id"].(string)
		code, out = f.call(t, "PATCH", "/api/v1/campaigns/"+id, `{"media_ids":["`+photo+`","`+pdf+`"],"caption_mode":"separate"}`)
		if code != 200 || out["caption_mode"] != "separate" || fmt.Sprint(out["media_ids"]) != fmt.Sprint([]any{photo, pdf}) || out["template"] != "Hello {{name}}" {
			t.Fatalf("patch: %d %v", code, out)
		}
		if code, out = f.call(t, "PATCH", "/api/v1/campaigns/"+id, `{"caption_mode":"sideways"}`); code != 422 {
			t.Fatalf("bad mode: %d %v", code, out)
		}
		if code, out = f.call(t, "PATCH", "/api/v1/campaigns/"+id, `{"media_ids":["nope"]}`); code != 422 {
			t.Fatalf("bad id: %d %v", code, out)
		}
		// A file in use by a campaign that has not finished stays.
		req, _ := http.NewRequest("DELETE", f.url+"/api/v1/media/"+pdf, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 409 {
			t.Fatalf("delete a file in use: %v %v", resp.Status, err)
		}
		resp.Body.Close()

		if code, out = f.call(t, "POST", "/api/v1/campaigns/"+id+"/start", ``); code != 200 {
			t.Fatalf("start: %d %v", code, out)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, out = f.call(t, "GET", "/api/v1/campaigns/"+id, "")
			if out["state"] == "completed" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not completed: %v", out)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if code, out = f.call(t, "PATCH", "/api/v1/campaigns/"+id, `{"name":"Offer, sent"}`); code != 409 {
			t.Fatalf("patch a completed campaign: %d %v", code, out)
		}
		for i, p := range f.phones {
			want := []fileChat{{Kind: "text", Text: fmt.Sprintf("Hello Buyer %d", i)}, {Kind: "photo", Name: "offer.png", SHA: photoSHA}, {Kind: "document", Name: "Prices 2026.pdf", SHA: pdfSHA}}
			if got := f.sender.got[p]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s got %v, want %v", p, got, want)
			}
		}
		code, out = f.call(t, "GET", "/api/v1/campaigns/"+id+"/recipients?messages=1", "")
		items, _ := out["items"].([]any)
		if code != 200 || len(items) != 3 {
			t.Fatalf("recipients: %d %v", code, out)
		}
		msgs := items[0].(map[string]any)["messages"].([]any)
		last := msgs[2].(map[string]any)
		if len(msgs) != 3 || last["file_name"] != "Prices 2026.pdf" || last["state"] != "sent" || last["message_id"] == "" || last["kind"] != "document" {
			t.Fatalf("messages of recipient 1: %v", msgs)
		}
		resp, err = http.Get(f.url + "/api/v1/campaigns/" + id + "/report.csv?messages=1")
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if len(rows) != 1+9 || rows[0][3] != "message" || rows[3][5] != "Prices 2026.pdf" || rows[3][6] != "sent" {
			t.Fatalf("per-message CSV: %v", rows)
		}

		// The pages: the report links to each message; the recipients page lists them.
		for path, want := range map[string][]string{
			"/campaigns/" + id + "/report":                {"recipients?messages=1", "report.xlsx?messages=1"},
			"/campaigns/" + id + "/recipients?messages=1": {"data-messages", "document Prices 2026.pdf", "photo offer.png", "Hello Buyer 2"},
		} {
			resp, err := http.Get(f.url + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, w := range want {
				if resp.StatusCode != 200 || !strings.Contains(string(b), w) {
					t.Fatalf("%s (%d) lacks %q", path, resp.StatusCode, w)
				}
			}
		}

		// One message with files, by the API.
		code, out = f.call(t, "POST", "/api/v1/messages", `{"phone":"+14155550100","text":"Your invoice","media_ids":["`+pdf+`","`+photo+`"]}`)
		if code != 200 || out["status"] != "sent" || len(out["messages"].([]any)) != 2 {
			t.Fatalf("send files: %d %v", code, out)
		}
		want := []fileChat{{Kind: "document", Text: "Your invoice", Name: "Prices 2026.pdf", SHA: pdfSHA}, {Kind: "photo", Name: "offer.png", SHA: photoSHA}}
		if got := f.sender.got["+14155550100"]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("single send got %v, want %v", got, want)
		}
		for _, tc := range []struct{ ids, want string }{
			{`"` + models.NewID() + `"`, "no file with id"},
			{strings.Join(many, ","), "at most 10 files"},
		} {
			code, out = f.call(t, "POST", "/api/v1/messages", `{"phone":"+14155550101","media_ids":[`+tc.ids+`]}`)
			if code != 422 || !strings.Contains(fmt.Sprint(out["error"]), tc.want) {
				t.Fatalf("send %s: %d %v", tc.want, code, out)
			}
		}
		if len(f.sender.got["+14155550101"]) != 0 {
			t.Fatal("a refused send sent something")
		}
	})
}

// TestCampaignFilesStartRefused: a campaign whose photo is over 16 MB, or
// whose file's bytes are gone, is refused at start with a message, and
// nothing is sent.
func TestCampaignFilesStartRefused(t *testing.T) {
	s := testdb.SQLite(t)
	f := newFilesFixture(t, s, 2)
	big := &models.Media{SHA256: strings.Repeat("e", 64), Kind: models.MediaVideo, MimeType: "video/mp4", Size: 20 << 20, Name: "launch.mp4"}
	if _, err := s.CreateMedia(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	code, out := f.call(t, "POST", "/api/v1/campaigns", `{"name":"Video","template":"Look","group_ids":["`+f.group.ID+`"],"media_ids":["`+big.ID+`"]}`)
	if code != 201 {
		t.Fatalf("create: %d %v", code, out)
	}
	id := out["id"].(string)
	code, out = f.call(t, "POST", "/api/v1/campaigns/"+id+"/start", "")
	if code != 422 || !strings.Contains(fmt.Sprint(out["error"]), `"launch.mp4" is a video of 20.0 MB, over WhatsApp's 16 MB limit`) {
		t.Fatalf("start: %d %v", code, out)
	}
	if _, out = f.call(t, "GET", "/api/v1/campaigns/"+id, ""); out["state"] != "draft" {
		t.Fatalf("after a refused start the campaign is %v", out["state"])
	}
	if len(f.sender.got) != 0 {
		t.Fatal("something was sent")
	}
}
