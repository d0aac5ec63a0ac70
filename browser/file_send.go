package browser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sirupsen/logrus"
)

// File is one attachment to send: a file on disk, the name a recipient sees
// (documents), which attach-menu input takes it, and its caption.
type File struct {
	Path    string
	Name    string
	Kind    string // "photo", "video" or "document"
	Caption string
}

// File kinds.
const (
	KindPhoto    = "photo"
	KindVideo    = "video"
	KindDocument = "document"
)

// MaxMediaBytes is WhatsApp's limit for a photo or video: the page refuses
// larger ones. Documents may be far larger.
const MaxMediaBytes = 16 << 20

// maxFileNameBytes bounds the name a document is sent under.
const maxFileNameBytes = 200

// attachTries bounds how often the attach menu is opened for one send.
const attachTries = 5

// SendFile sends one file with its caption to phone through the attach menu
// and the media editor, and waits for its message id and first tick. Its
// outcomes are those of SendText: nil with the message id; ErrInvalidNumber
// or ErrNotReady (nothing sent); ErrTimeout or ErrBrowserDied (the file may
// have gone out: reconcile with RecentOutgoing, which shows the caption and,
// for a document, its name). A missing file, an unknown kind or a photo or
// video over 16 MB is refused before anything is done.
func (m *Manager) SendFile(ctx context.Context, phone string, f File) (SendResult, error) {
	start := time.Now()
	res := SendResult{Phone: phone, Ack: AckUnknown}
	digits, err := phoneDigits(phone)
	if err != nil {
		return res, err
	}
	f, err = checkFile(f)
	if err != nil {
		return res, err
	}
	path, cleanup, err := m.namedCopy(f)
	if err != nil {
		return res, err
	}
	defer cleanup()
	err = m.withPage(ctx, "send file", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		return m.sendFileOnPage(ctx, pd, digits, f, path, &res)
	})
	res.Duration = time.Since(start)
	if err == nil || res.MessageID != "" {
		m.track(phone, res.MessageID, res.Ack)
	}
	if err != nil && !errors.Is(err, ErrInvalidNumber) {
		logrus.WithFields(logrus.Fields{"phone": phone, "kind": f.Kind, "message_id": res.MessageID, "error": err}).Error("browser: file send failed")
	}
	return res, err
}

// checkFile refuses, before anything is done, what WhatsApp would refuse or
// the driver cannot send, and fills the name from the path when empty.
func checkFile(f File) (File, error) {
	switch f.Kind {
	case KindPhoto, KindVideo, KindDocument:
	default:
		return f, fmt.Errorf("browser: unknown file kind %q (photo, video or document)", f.Kind)
	}
	fi, err := os.Stat(f.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return f, fmt.Errorf("browser: the file to send is missing: %s", f.Path)
	case err != nil:
		return f, fmt.Errorf("browser: unable to read the file to send: %w", err)
	case !fi.Mode().IsRegular():
		return f, fmt.Errorf("browser: %s is not a file", f.Path)
	case fi.Size() == 0:
		return f, fmt.Errorf("browser: the file to send is empty: %s", f.Path)
	case f.Kind != KindDocument && fi.Size() > MaxMediaBytes:
		return f, fmt.Errorf("browser: the %s is %.1f MB, over WhatsApp's 16 MB limit for photos and videos; send it as a document", f.Kind, float64(fi.Size())/(1<<20))
	}
	f.Caption = strings.ReplaceAll(f.Caption, "\r\n", "\n")
	if !utf8.ValidString(f.Caption) || utf8.RuneCountInString(f.Caption) > maxTextLen {
		return f, fmt.Errorf("browser: the caption must be valid UTF-8 of at most %d characters", maxTextLen)
	}
	if f.Name == "" {
		f.Name = filepath.Base(f.Path)
	}
	name, err := cleanFileName(f.Name)
	if err != nil {
		return f, err
	}
	f.Name = name
	if f.Kind != KindDocument {
		if f.Name, err = mediaName(f); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Extensions the page reads a photo's or video's type from (a file without
// one would go as a document).
var (
	photoExts = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}
	videoExts = map[string]bool{".mp4": true, ".3gp": true, ".mov": true, ".m4v": true}
)

// mediaName gives a photo or video a name whose extension tells its type,
// sniffing the content when the name has no fitting extension.
func mediaName(f File) (string, error) {
	ext := strings.ToLower(filepath.Ext(f.Name))
	if f.Kind == KindVideo {
		if videoExts[ext] {
			return f.Name, nil
		}
		return f.Name + ".mp4", nil
	}
	file, err := os.Open(f.Path)
	if err != nil {
		return "", fmt.Errorf("browser: unable to read the file to send: %w", err)
	}
	defer file.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(file, head)
	want, ok := photoExts[http.DetectContentType(head[:n])]
	if !ok {
		return "", fmt.Errorf("browser: %s is not a JPEG, PNG, WebP or GIF image; send it as a document", f.Name)
	}
	if ext == want || (want == ".jpg" && ext == ".jpeg") {
		return f.Name, nil
	}
	return strings.TrimSuffix(f.Name, filepath.Ext(f.Name)) + want, nil
}

// cleanFileName makes name usable as a file name: its last path element,
// without control characters, at most maxFileNameBytes.
func cleanFileName(name string) (string, error) {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '\\' {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	for len(name) > maxFileNameBytes {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "", errors.New("browser: the file name is empty")
	}
	return name, nil
}

// namedCopy gives the file the name the recipient sees: the page sends a
// file under its name on disk, and a library file is stored under its hash.
// It links (or copies) the file into a private directory under the data
// directory; cleanup removes it.
func (m *Manager) namedCopy(f File) (string, func(), error) {
	if filepath.Base(f.Path) == f.Name {
		return f.Path, func() {}, nil
	}
	root := filepath.Join(m.opts.DataDir, "tmp")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", nil, fmt.Errorf("browser: unable to prepare the file to send: %w", err)
	}
	dir, err := os.MkdirTemp(root, "send-")
	if err != nil {
		return "", nil, fmt.Errorf("browser: unable to prepare the file to send: %w", err)
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	dst := filepath.Join(dir, f.Name)
	if err := os.Link(f.Path, dst); err != nil {
		if err := copyFile(f.Path, dst); err != nil {
			cleanup()
			return "", nil, fmt.Errorf("browser: unable to prepare the file to send: %w", err)
		}
	}
	return dst, cleanup, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// mediaResult is page.js's view of the attach menu and the media editor.
type mediaResult struct {
	probeResult
	Editor     bool    `json:"editor"`
	Caption    *string `json:"caption"`
	EditorSend bool    `json:"editorSend"`
	TooBig     bool    `json:"tooBig"`
	Attach     bool    `json:"attach"`
	Menu       bool    `json:"menu"`
	Input      bool    `json:"input"`
}

// mediaWait waits in the page until the attach flow reaches until (input,
// menu, editor, editorSend, closed), the page refuses a file, or it leaves
// the ready state.
func (d *pageDriver) mediaWait(ctx context.Context, until, kind string, timeout time.Duration) (mediaResult, error) {
	var r mediaResult
	err := d.run(ctx, "mediaWait", map[string]any{"until": until, "kind": kind, "timeout": timeout.Milliseconds()}, &r)
	return r, err
}

// notReady turns a page that left the ready state (or showed the invalid
// number modal) into the matching error.
func (m *Manager) notReady(r mediaResult) error {
	if r.Invalid {
		return ErrInvalidNumber
	}
	if r.State != "ready" {
		m.applyProbe(r.probeResult)
		return fmt.Errorf("browser: file not sent: the page shows %s: %w", r.State, ErrNotReady)
	}
	return nil
}

// sendFileOnPage opens the chat, attaches the file through the menu's
// input for its kind, types the caption in the media editor and clicks the
// editor's send once. Every step waits (bounded) for the page, which renders
// each of them late; until the click nothing is sent, and a failure closes
// the editor so it does not block the chat. After the click the file counts
// as sent only when a new outgoing row of its kind with its caption (and,
// for a document, its name) shows.
func (m *Manager) sendFileOnPage(ctx context.Context, pd *pageDriver, digits string, f File, path string, res *SendResult) error {
	if _, err := m.openChatPrepared(ctx, pd, digits, "", true); err != nil {
		return err
	}
	if err := m.closeMediaEditor(ctx, pd); err != nil {
		return err
	}
	if err := m.attachFile(ctx, pd, f.Kind, path); err != nil {
		return err
	}
	sent := false
	defer func() {
		if !sent {
			_ = m.closeMediaEditor(ctx, pd)
		}
	}()
	r, err := pd.mediaWait(ctx, "editorSend", f.Kind, m.opts.SendButtonWait)
	if err != nil {
		return err
	}
	if err := m.notReady(r); err != nil {
		return err
	}
	if r.TooBig {
		return fmt.Errorf("browser: file not sent: WhatsApp refused the %s as larger than its 16 MB limit", f.Kind)
	}
	if !r.Editor {
		return fmt.Errorf("browser: file not sent: the media editor did not open within %s", m.opts.SendButtonWait)
	}
	if r.TimedOut {
		return fmt.Errorf("browser: file not sent: the media editor showed no send button within %s", m.opts.SendButtonWait)
	}
	if err := m.typeCaption(ctx, pd, f.Caption); err != nil {
		return err
	}
	act, err := m.actMedia(ctx, pd, f, nil)
	if err != nil {
		sent = true // clicked, or unknown: never touch the editor again
		return err
	}
	if !act.OK {
		return fmt.Errorf("browser: file not sent: %s", act.Reason)
	}
	sent = true
	return m.confirmFileSent(ctx, pd, f, act, res)
}

// attachFile opens the attach menu and sets path on its input for kind. The
// button does nothing until the chat is wired and the menu and its inputs
// come late, so it clicks again only when no menu showed, and sets the file
// on the input the moment it is there.
func (m *Manager) attachFile(ctx context.Context, pd *pageDriver, kind, path string) error {
	r, err := pd.mediaWait(ctx, "menu", kind, 0)
	if err != nil {
		return err
	}
	if !r.Attach {
		// The footer renders with the chat: wait for the button.
		deadline := time.Now().Add(m.opts.LoadTimeout)
		for !r.Attach && time.Now().Before(deadline) {
			if err := m.notReady(r); err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
			if r, err = pd.mediaWait(ctx, "menu", kind, 0); err != nil {
				return err
			}
		}
		if !r.Attach {
			return errors.New("browser: file not sent: no attach button in the chat (if WhatsApp changed its page, update selectors.json)")
		}
	}
	var lastErr error
	for try := 0; try < attachTries; try++ {
		if !r.Input {
			if !r.Menu {
				var ok okResult
				if err := pd.run(ctx, "attachClick", nil, &ok); err != nil {
					return err
				}
			}
			// The menu comes late, and its inputs after it.
			if r, err = pd.mediaWait(ctx, "input", kind, 2500*time.Millisecond); err != nil {
				return err
			}
			if err := m.notReady(r); err != nil {
				return err
			}
			if !r.Input {
				lastErr = errors.New("the attach menu did not show its file input")
				if !r.Menu {
					logrus.WithField("try", try+1).Info("browser: the attach menu did not open; clicking again")
				}
				continue
			}
		}
		token := fmt.Sprintf("f%d", time.Now().UnixNano())
		var ok okResult
		if err := pd.run(ctx, "markInput", map[string]string{"kind": kind, "token": token}, &ok); err != nil {
			return err
		}
		if ok.OK {
			el, err := pd.page.Context(ctx).Timeout(time.Second).Element(`input[type="file"][data-sambad-file="` + token + `"]`)
			if err == nil {
				err = el.CancelTimeout().SetFiles([]string{path})
			}
			if err == nil {
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			lastErr = err // the menu closed under us: open it again
		}
		if r, err = pd.mediaWait(ctx, "menu", kind, 0); err != nil {
			return err
		}
		if r.Editor {
			return nil // the files were set after all
		}
	}
	return fmt.Errorf("browser: file not sent: unable to attach the file after %d tries: %v", attachTries, lastErr)
}

// typeCaption clears the caption box and types caption into it as input
// events, then checks the box holds it exactly, typing again when it does
// not (a box re-rendered under the typing).
func (m *Manager) typeCaption(ctx context.Context, pd *pageDriver, caption string) error {
	var got string
	for try := 0; try <= maxRetypes; try++ {
		var ok okResult
		if err := pd.run(ctx, "captionPrepare", nil, &ok); err != nil {
			return err
		}
		if !ok.OK {
			return fmt.Errorf("browser: file not sent: %s", ok.Reason)
		}
		if caption != "" {
			if err := pd.typeText(ctx, caption); err != nil {
				return err
			}
		}
		var r mediaResult
		if err := pd.run(ctx, "mediaState", nil, &r); err != nil {
			return err
		}
		if r.Caption == nil {
			return errors.New("browser: file not sent: the media editor closed while typing the caption")
		}
		if boxHolds(*r.Caption, caption) {
			return nil
		}
		got = *r.Caption
		logrus.WithField("try", try+1).Info("browser: the caption box shows other text; typing the caption again")
	}
	if g := []rune(got); len(g) > 80 {
		got = string(g[:80]) + "…"
	}
	return fmt.Errorf("browser: file not sent: the caption box shows other text than the caption (%q)", got)
}

// actMedia runs page.js "sendMedia": checks the caption, notes the rows,
// clicks the editor's send and waits for our row in the same call. known,
// for a second try, are the rows noted before the first click: a row of
// ours among the new ones means the first click took, and nothing is done.
func (m *Manager) actMedia(ctx context.Context, pd *pageDriver, f File, known []string) (actResult, error) {
	arg := map[string]any{
		"caption": f.Caption, "media": f.Kind,
		"wait": map[string]any{"minAck": int(AckSent), "timeout": m.opts.SendTimeout.Milliseconds(), "rowWithin": min(confirmWindow, m.opts.SendTimeout).Milliseconds()},
	}
	if f.Kind == KindDocument {
		arg["name"] = f.Name
	}
	if known != nil {
		arg["known"] = known
	}
	var act actResult
	if err := pd.runOnce(ctx, "sendMedia", arg, &act); err != nil {
		if isContextGone(err) {
			return act, fmt.Errorf("browser: the page reloaded during the send, outcome unknown: %w", ErrTimeout)
		}
		// Unknown outcome either way; say whether the browser died (the
		// failed call may come a moment before the death is signalled).
		if s := m.session(); s != nil {
			select {
			case <-s.died:
			case <-time.After(300 * time.Millisecond):
			}
			if s.dead() {
				return act, fmt.Errorf("browser: clicking send in the media editor: %w (%v)", ErrBrowserDied, err)
			}
		}
		return act, fmt.Errorf("browser: clicking send in the media editor, outcome unknown: %w (%v)", ErrTimeout, err)
	}
	return act, nil
}

// confirmFileSent waits for our row and its first tick after the click.
// When no row showed and the editor is still open with the caption, the
// click did not take: it clicks once more, after checking again (in the
// same call) that no row of ours appeared. Any other doubt is ErrTimeout.
func (m *Manager) confirmFileSent(ctx context.Context, pd *pageDriver, f File, act actResult, res *SendResult) error {
	start := time.Now()
	r := act.probeResult
	if r.NoRow {
		again, err := m.actMedia(ctx, pd, f, act.Known)
		if err != nil {
			return fmt.Errorf("browser: no message row after clicking send, outcome unknown: %w (%v)", ErrTimeout, err)
		}
		if again.OK {
			logrus.Info("browser: the media editor kept the file after the click; clicked send again")
			r = again.probeResult
		}
		if !again.OK || r.NoRow {
			if again.Msg != nil {
				r.Msg = again.Msg
			}
			left := m.opts.SendTimeout - time.Since(start)
			cond := oursCond{Known: act.Known, Text: &f.Caption, MinAck: int(AckSent), Media: f.Kind}
			if f.Kind == KindDocument {
				cond.Name = f.Name
			}
			if r, err = m.awaitOursCond(ctx, pd, cond, max(left, time.Millisecond)); err != nil {
				return err
			}
		}
	}
	if r.Msg != nil {
		res.MessageID, res.Ack = r.Msg.ID, r.Msg.Ack
	}
	if r.TimedOut {
		if r.Msg == nil {
			return fmt.Errorf("browser: no message row appeared after sending the file: %w", ErrTimeout)
		}
		return fmt.Errorf("browser: message %s still %s after %s: %w", r.Msg.ID, r.Msg.Ack, m.opts.SendTimeout, ErrTimeout)
	}
	return nil
}

// awaitOursCond is awaitOurs with a full condition (a file's kind and name).
func (m *Manager) awaitOursCond(ctx context.Context, pd *pageDriver, c oursCond, timeout time.Duration) (probeResult, error) {
	r, err := pd.wait(ctx, waitCond{Ours: &c}, timeout)
	if err != nil {
		if ctx.Err() != nil {
			return r, err
		}
		return r, fmt.Errorf("browser: reading the chat during the send, outcome unknown: %w (%v)", ErrTimeout, err)
	}
	return r, nil
}

// closeMediaEditor closes a media editor left open (it blocks the chat
// behind it) and waits until it is gone.
func (m *Manager) closeMediaEditor(ctx context.Context, pd *pageDriver) error {
	var r mediaResult
	if err := pd.run(ctx, "mediaState", nil, &r); err != nil {
		return err
	}
	if !r.Editor {
		return nil
	}
	var ok okResult
	if err := pd.run(ctx, "closeEditor", nil, &ok); err != nil {
		return err
	}
	if !ok.OK {
		return fmt.Errorf("browser: a media editor blocks the chat: %s", ok.Reason)
	}
	r, err := pd.mediaWait(ctx, "closed", "", 5*time.Second)
	if err != nil {
		return err
	}
	if r.Editor {
		return errors.New("browser: a media editor blocks the chat and does not close")
	}
	logrus.Info("browser: closed a media editor left open")
	return nil
}
