package campaign_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// chatMsg is one outgoing message in a fileSender's chat.
type chatMsg struct{ ID, Text, Media, FileName, SHA string }

// fileSender is a WhatsApp stand-in with chats that hold files: each file
// sent is read from disk and kept by SHA-256, so a test sees exactly what a
// recipient got. crashOn makes the nth send go out and then fail as a crash
// would leave it (an error, outcome unknown).
type fileSender struct {
	mu      sync.Mutex
	chats   map[string][]chatMsg
	n       int
	crashOn map[int]bool
}

func newFileSender(crashOn ...int) *fileSender {
	s := &fileSender{chats: map[string][]chatMsg{}, crashOn: map[int]bool{}}
	for _, n := range crashOn {
		s.crashOn[n] = true
	}
	return s
}

func (s *fileSender) Ready() bool { return true }

func (s *fileSender) add(phone string, m chatMsg) (campaign.SendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	m.ID = fmt.Sprintf("true_%s@c.us_%d", strings.TrimPrefix(phone, "+"), s.n)
	s.chats[phone] = append(s.chats[phone], m)
	if s.crashOn[s.n] {
		return campaign.SendResult{}, errors.New("browser: the page crashed after the click")
	}
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: m.ID}, nil
}

func (s *fileSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	return s.add(phone, chatMsg{Text: text})
}

func (s *fileSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return campaign.SendResult{Status: campaign.StatusFailed, Reason: err.Error()}, nil
	}
	sum := sha256.Sum256(b)
	m := chatMsg{Text: f.Caption, Media: f.Kind, SHA: hex.EncodeToString(sum[:])}
	if f.Kind == models.MediaDocument {
		m.FileName = f.Name
	}
	return s.add(phone, m)
}

func (s *fileSender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat := s.chats[phone]
	if len(chat) > n {
		chat = chat[len(chat)-n:]
	}
	out := make([]campaign.OutgoingMessage, len(chat))
	for i, m := range chat {
		out[i] = campaign.OutgoingMessage{ID: m.ID, Text: m.Text, Ack: "sent", Media: m.Media, FileName: m.FileName}
	}
	return out, nil
}

func (s *fileSender) chat(phone string) []chatMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]chatMsg(nil), s.chats[phone]...)
}

// filesRig is a store, a media library with a photo and a PDF, and
// contacts in a group.
type filesRig struct {
	s          *models.Store
	lib        *media.Library
	photo, pdf *models.Media
	group      string
	contacts   []*models.Contact
}

func newFilesRig(t *testing.T, s *models.Store, n int, prefix string) *filesRig {
	t.Helper()
	ctx := context.Background()
	r := &filesRig{s: s, lib: media.New(s, media.Options{Dir: t.TempDir()})}
	var err error
	if r.photo, _, err = r.lib.Save(ctx, "offer.png", bytes.NewReader(mediatest.PNG(64, 48))); err != nil {
		t.Fatal(err)
	}
	if r.pdf, _, err = r.lib.Save(ctx, "Price list.pdf", bytes.NewReader(mediatest.PDF(5000))); err != nil {
		t.Fatal(err)
	}
	g, cs := seedContacts(t, s, n, prefix)
	r.group, r.contacts = g.ID, cs
	return r
}

func (r *filesRig) campaign(t *testing.T, tpl, mode string) *models.Campaign {
	t.Helper()
	p, _ := campaign.NormalizePacing(fast)
	c := &models.Campaign{Name: "Files " + t.Name(), Template: tpl, GroupIDs: []string{r.group}, Pacing: p,
		MediaIDs: []string{r.photo.ID, r.pdf.ID}, CaptionMode: mode}
	if err := r.s.CreateCampaign(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkGot fails unless each contact's chat holds exactly want (kind,
// caption or text, file name, bytes), in order.
func (r *filesRig) checkGot(t *testing.T, snd *fileSender, want func(ct *models.Contact) []chatMsg) {
	t.Helper()
	for _, ct := range r.contacts {
		got, exp := snd.chat(ct.Phone), want(ct)
		if len(got) != len(exp) {
			t.Errorf("%s got %d messages, want %d: %+v", ct.Name, len(got), len(exp), got)
			continue
		}
		for i := range exp {
			g := got[i]
			g.ID = ""
			if g != exp[i] {
				t.Errorf("%s message %d = %+v, want %+v", ct.Name, i+1, g, exp[i])
			}
		}
	}
}

func (r *filesRig) photoMsg(caption string) chatMsg {
	return chatMsg{Text: caption, Media: models.MediaPhoto, SHA: r.photo.SHA256}
}

func (r *filesRig) pdfMsg() chatMsg {
	return chatMsg{Media: models.MediaDocument, FileName: "Price list.pdf", SHA: r.pdf.SHA256}
}

// TestCampaignWithFiles: a photo with the personalised caption and a PDF
// reach every recipient once, exact bytes; each message has its own id,
// ledger row and acks, and the recipient is delivered only when both are.
func TestCampaignWithFiles(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	r := newFilesRig(t, s, 4, "61")
	snd := newFileSender()
	e := runEngine(t, s, snd, func(o *campaign.Options) { o.Files = r.lib })
	c := r.campaign(t, "Hi {{name}}, our offer", models.CaptionFirstFile)
	if _, err := e.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "completion", stateIs(s, c.ID, models.CampaignCompleted))
	r.checkGot(t, snd, func(ct *models.Contact) []chatMsg {
		return []chatMsg{r.photoMsg("Hi " + ct.Name + ", our offer"), r.pdfMsg()}
	})
	counts, _ := s.CountStates(ctx, c.ID, 0)
	if counts[models.RecipientSent] != 4 {
		t.Fatalf("counts %v", counts)
	}
	sends, repeated, err := s.SendLedger(ctx, c.ID)
	if err != nil || sends != 8 || repeated != 0 {
		t.Fatalf("ledger: %d sends, %d repeated, %v; want 8, 0", sends, repeated, err)
	}
	msgs, err := s.RecipientMessages(ctx, c.ID, 1)
	if err != nil || len(msgs) != 2 || msgs[0].MessageID == "" || msgs[0].MessageID == msgs[1].MessageID || msgs[1].MediaID != r.pdf.ID {
		t.Fatalf("messages of recipient 1: %+v, %v", msgs, err)
	}
	recipientState := func() string {
		rs, _ := s.RecipientsInState(ctx, c.ID, models.RecipientDelivered)
		for _, x := range rs {
			if x.Seq == 1 {
				return x.State
			}
		}
		return "not delivered"
	}
	e.HandleAck(msgs[0].MessageID, models.RecipientDelivered)
	if got := recipientState(); got != "not delivered" {
		t.Fatalf("with one of two messages delivered the recipient is %s", got)
	}
	e.HandleAck(msgs[1].MessageID, models.RecipientDelivered)
	if got := recipientState(); got != models.RecipientDelivered {
		t.Fatalf("with both messages delivered the recipient is %s", got)
	}
	if msgs, _ = s.RecipientMessages(ctx, c.ID, 1); msgs[1].State != models.RecipientDelivered || msgs[1].DeliveredAt == nil {
		t.Fatalf("the PDF's ack was not recorded on its message: %+v", msgs[1])
	}
}

// TestCampaignWithFilesSeparateText: caption mode "separate" sends the text
// first, then the files without captions.
func TestCampaignWithFilesSeparateText(t *testing.T) {
	s := testdb.SQLite(t)
	r := newFilesRig(t, s, 3, "62")
	snd := newFileSender()
	e := runEngine(t, s, snd, func(o *campaign.Options) { o.Files = r.lib })
	c := r.campaign(t, "Hello {{name}}", models.CaptionSeparate)
	if _, err := e.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "completion", stateIs(s, c.ID, models.CampaignCompleted))
	r.checkGot(t, snd, func(ct *models.Contact) []chatMsg {
		return []chatMsg{{Text: "Hello " + ct.Name}, r.photoMsg(""), r.pdfMsg()}
	})
}

// TestCampaignWithFilesCrashBetweenFiles: a send whose outcome is lost (the
// page crashed after the click) is settled from the chat, message by
// message: the photo that did go out is not sent again, the PDF still
// goes, and a crash on the PDF does not send it twice.
func TestCampaignWithFilesCrashBetweenFiles(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mode    string
		crashOn []int
	}{
		{"captioned photo", models.CaptionFirstFile, []int{1}},
		{"the PDF after the photo", models.CaptionFirstFile, []int{2, 4}},
		{"uncaptioned photo after the text", models.CaptionSeparate, []int{2, 5}},
		{"the PDF after an uncaptioned photo", models.CaptionSeparate, []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testdb.SQLite(t)
			r := newFilesRig(t, s, 3, "63")
			snd := newFileSender(tc.crashOn...)
			e := runEngine(t, s, snd, func(o *campaign.Options) { o.Files = r.lib })
			c := r.campaign(t, "Hi {{name}}", tc.mode)
			if _, err := e.Start(context.Background(), c.ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "completion", stateIs(s, c.ID, models.CampaignCompleted))
			r.checkGot(t, snd, func(ct *models.Contact) []chatMsg {
				if tc.mode == models.CaptionSeparate {
					return []chatMsg{{Text: "Hi " + ct.Name}, r.photoMsg(""), r.pdfMsg()}
				}
				return []chatMsg{r.photoMsg("Hi " + ct.Name), r.pdfMsg()}
			})
			counts, _ := s.CountStates(context.Background(), c.ID, 0)
			if counts[models.RecipientSent] != 3 {
				t.Fatalf("counts %v", counts)
			}
		})
	}
}

// TestCampaignWithFilesUnsurePhoto: an uncaptioned photo whose send was cut
// short, in a chat that already holds a photo, cannot be told apart: the
// recipient becomes "unknown" and nothing is resent. A person's "it was
// sent" then sends only what is left (the PDF).
func TestCampaignWithFilesUnsurePhoto(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	r := newFilesRig(t, s, 1, "64")
	ct := r.contacts[0]
	snd := newFileSender(2) // 1 is the older photo below
	snd.add(ct.Phone, chatMsg{Media: models.MediaPhoto, SHA: "an older photo"})
	e := runEngine(t, s, snd, func(o *campaign.Options) { o.Files = r.lib })
	c := r.campaign(t, "", models.CaptionSeparate) // no text: the photo goes first, without a caption
	if _, err := e.Start(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the recipient unknown", func() bool {
		n, _ := s.CountStates(ctx, c.ID, 0)
		return n[models.RecipientUnknown] == 1
	})
	waitFor(t, "completion", stateIs(s, c.ID, models.CampaignCompleted))
	if got := snd.chat(ct.Phone); len(got) != 2 {
		t.Fatalf("the unsure photo was resent: %+v", got)
	}
	n, err := e.ResolveUnknown(ctx, c.ID, "sent")
	if err != nil || n != 1 {
		t.Fatalf("resolve = %d, %v", n, err)
	}
	waitFor(t, "the recipient sent", func() bool {
		n, _ := s.CountStates(ctx, c.ID, 0)
		return n[models.RecipientSent] == 1
	})
	got := snd.chat(ct.Phone)
	if len(got) != 3 || got[2].SHA != r.pdf.SHA256 || got[1].SHA != r.photo.SHA256 {
		t.Fatalf("after 'it was sent' the chat holds %+v; want the older photo, ours, the PDF", got)
	}
}

// TestCampaignWithFilesRefusedAtStart: a photo over WhatsApp's 16 MB, or a
// file whose bytes are gone, stops the start with a message before
// anything is sent.
func TestCampaignWithFilesRefusedAtStart(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	r := newFilesRig(t, s, 2, "65")
	snd := newFileSender()
	e := runEngine(t, s, snd, func(o *campaign.Options) { o.Files = r.lib })

	big := &models.Media{SHA256: strings.Repeat("ab", 32), Kind: models.MediaPhoto, MimeType: "image/png", Size: 17 << 20, Name: "huge.png"}
	if _, err := s.CreateMedia(ctx, big); err != nil {
		t.Fatal(err)
	}
	gone := &models.Media{SHA256: strings.Repeat("cd", 32), Kind: models.MediaDocument, MimeType: "application/pdf", Size: 100, Name: "gone.pdf"}
	if _, err := s.CreateMedia(ctx, gone); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file *models.Media
		want string
	}{{big, "over WhatsApp's 16 MB limit"}, {gone, `"gone.pdf" is missing on this install`}} {
		p, _ := campaign.NormalizePacing(fast)
		c := &models.Campaign{Name: tc.file.Name, Template: "Hi", GroupIDs: []string{r.group}, Pacing: p, MediaIDs: []string{r.photo.ID, tc.file.ID}}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		_, err := e.Start(ctx, c.ID)
		ue := campaign.UserError(err)
		if ue == nil || ue.Status != 422 || !strings.Contains(ue.Message, tc.want) {
			t.Fatalf("start with %s: %v", tc.file.Name, err)
		}
		if got, _ := s.GetCampaign(ctx, c.ID); got.State != models.CampaignDraft {
			t.Fatalf("refused campaign is %s", got.State)
		}
	}
	if len(snd.chat(r.contacts[0].Phone)) != 0 {
		t.Fatal("something was sent")
	}
}
