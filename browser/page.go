package browser

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/cdp"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"
)

//go:embed page.js
var pageJS string

var installPageJS = strings.Replace(installJS, "__PAGEJS__", strings.TrimSpace(pageJS), 1)

// probeResult is what page.js reports about the page.
type probeResult struct {
	URL       string     `json:"url"`
	State     string     `json:"state"`
	Percent   int        `json:"percent"`
	QR        string     `json:"qr"`
	QRExpired bool       `json:"qrExpired"`
	LinkCode  string     `json:"linkCode"`
	Compose   bool       `json:"compose"`
	Invalid   bool       `json:"invalid"`
	Offline   bool       `json:"offline"`
	LoggedOut bool       `json:"loggedOut"`
	TimedOut  bool       `json:"timedOut"`
	Msg       *rowResult `json:"msg"`
	Prepared  *okResult  `json:"prepared"`
	// ComposeText, SendButton and Mic describe the footer (Sendable waits).
	ComposeText *string `json:"composeText"`
	SendButton  bool    `json:"sendButton"`
	Mic         bool    `json:"mic"`
	// NoRow: an Ours wait with RowWithin saw no row of ours in time.
	NoRow bool           `json:"noRow"`
	Hits  map[string]int `json:"hits"`
}

type rowResult struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Ack  Ack    `json:"ack"`
	// Media is "" for text, else photo, video or document; Name is a
	// document's name.
	Media string `json:"media"`
	Name  string `json:"name"`
}

// waitCond is a condition page.js waits for (any field that matches).
type waitCond struct {
	States    []string `json:"states,omitempty"`
	LoggedOut bool     `json:"loggedOut,omitempty"`
	Compose   bool     `json:"compose,omitempty"`
	// Prepare focuses and clears the compose box as soon as it shows.
	Prepare  bool      `json:"prepare,omitempty"`
	Invalid  bool      `json:"invalid,omitempty"`
	QRChange *string   `json:"qrChange,omitempty"`
	LinkCode bool      `json:"linkCode,omitempty"`
	Ours     *oursCond `json:"ours,omitempty"`
	// Fresh requires a document loaded after the marker was set (see markDocument).
	Fresh string `json:"fresh,omitempty"`
	// ComposeText waits for the compose box to hold this text (URL mode).
	ComposeText *string `json:"composeText,omitempty"`
	// Sendable waits for the box to hold this text with the send button shown.
	Sendable *sendableCond `json:"sendable,omitempty"`
}

type sendableCond struct {
	Text string `json:"text"`
}

type oursCond struct {
	Known  []string `json:"known"`
	Text   *string  `json:"text"`
	MinAck int      `json:"minAck"`
	// RowWithin (ms), when set, ends the wait early (NoRow) if no row of
	// ours showed by then.
	RowWithin int64 `json:"rowWithin,omitempty"`
	// Media and Name, for a file: only a row of that kind (and, for a
	// document, that name) is ours.
	Media string `json:"media,omitempty"`
	Name  string `json:"name,omitempty"`
}

// pageDriver runs page.js operations on one page.
type pageDriver struct {
	page *rod.Page
	sels *selectorStore
}

// isContextGone tells errors of a document replaced under an evaluation.
func isContextGone(err error) bool {
	if errors.Is(err, cdp.ErrCtxNotFound) || errors.Is(err, cdp.ErrCtxDestroyed) || errors.Is(err, cdp.ErrObjNotFound) {
		return true
	}
	var oe *rod.ObjectNotFoundError
	if errors.As(err, &oe) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "Execution context was destroyed") || strings.Contains(s, "Cannot find context") ||
		strings.Contains(s, "Inspected target navigated") || strings.Contains(s, "Promise was collected")
}

// run evaluates op in the page and decodes the result into out. A document
// replaced during the call (navigation, reload) is retried until ctx ends.
func (d *pageDriver) run(ctx context.Context, op string, arg, out any) error {
	return d.eval(ctx, op, arg, out, true)
}

// runOnce is run without the retry: for a click that must not happen twice.
func (d *pageDriver) runOnce(ctx context.Context, op string, arg, out any) error {
	return d.eval(ctx, op, arg, out, false)
}

// callJS calls the helper installed in the page; it answers {"__install":
// true} when the document has no helper or one built from older selectors.
const callJS = `(v, op, a) => {
  const h = window.__sambadHelper;
  if (!h || h.v !== v) return { __install: true };
  return h.f(op, a);
}`

// installJS keeps page.js and the selectors in the document, so later calls
// send only the operation (page.js is compiled once per document).
const installJS = `(S, v) => {
  const fn = ` + "__PAGEJS__" + `;
  window.__sambadHelper = { v, f: (op, a) => fn(S, op, a) };
}`

func (d *pageDriver) eval(ctx context.Context, op string, arg, out any, retry bool) error {
	sels, version := d.sels.current()
	installed := false
	for {
		res, err := d.page.Context(ctx).Evaluate(rod.Eval(callJS, version, op, arg).ByPromise())
		if err == nil {
			var inst struct {
				Install bool           `json:"__install"`
				Hits    map[string]int `json:"hits"`
			}
			_ = res.Value.Unmarshal(&inst)
			if inst.Install {
				if installed {
					return fmt.Errorf("browser: unable to install the page helper")
				}
				installed = true
				_, err = d.page.Context(ctx).Evaluate(rod.Eval(installPageJS, sels, version))
				if err == nil {
					continue
				}
			} else {
				if len(inst.Hits) > 0 {
					d.sels.noteHits(inst.Hits)
				}
				if out == nil {
					return nil
				}
				if err := res.Value.Unmarshal(out); err != nil {
					return fmt.Errorf("browser: unable to read the page's answer: %w", err)
				}
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !isContextGone(err) || !retry {
			return err
		}
		installed = false
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (d *pageDriver) probe(ctx context.Context) (probeResult, error) {
	var r probeResult
	err := d.run(ctx, "probe", nil, &r)
	return r, err
}

// wait blocks in the page until c holds or timeout passes (r.TimedOut).
func (d *pageDriver) wait(ctx context.Context, c waitCond, timeout time.Duration) (probeResult, error) {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			left = time.Millisecond
		}
		var r probeResult
		err := d.run(ctx, "wait", map[string]any{"cond": c, "timeout": left.Milliseconds()}, &r)
		if err != nil {
			return r, err
		}
		if r.TimedOut && time.Now().Before(deadline) {
			continue // a document replaced mid-wait restarts the wait
		}
		return r, nil
	}
}

// markDocument tags the current document so a wait with Fresh set ignores
// it: after a navigation only the new document may answer.
func (d *pageDriver) markDocument(ctx context.Context) (string, error) {
	token := fmt.Sprintf("n%d", time.Now().UnixNano())
	_, err := d.page.Context(ctx).Evaluate(rod.Eval(`(t) => { window.__sambadNav = t }`, token))
	if err != nil && !isContextGone(err) {
		return "", err
	}
	return token, nil
}

// navigate loads url in the page, returning once the navigation committed.
func (d *pageDriver) navigate(ctx context.Context, url string) (string, error) {
	token, err := d.markDocument(ctx)
	if err != nil {
		return "", err
	}
	if err := d.page.Context(ctx).Navigate(url); err != nil {
		return "", fmt.Errorf("browser: unable to load %s: %w", url, err)
	}
	return token, nil
}

type okResult struct {
	OK     bool           `json:"ok"`
	Reason string         `json:"reason"`
	Got    string         `json:"got"`
	Known  []string       `json:"known"`
	Hits   map[string]int `json:"hits"`
}

// click clicks the element of key (inside key within, when set).
func (d *pageDriver) click(ctx context.Context, key, within string) (bool, error) {
	var r okResult
	err := d.run(ctx, "click", map[string]string{"key": key, "within": within}, &r)
	return r.OK, err
}

// typeText inserts text where the focus is, as typed input: lines go in with
// Input.insertText and are joined with Shift+Enter, as a person would.
func (d *pageDriver) typeText(ctx context.Context, text string) error {
	p := d.page.Context(ctx)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			if err := shiftEnter(p); err != nil {
				return fmt.Errorf("browser: unable to type a line break: %w", err)
			}
		}
		if line == "" {
			continue
		}
		if err := (proto.InputInsertText{Text: line}).Call(p); err != nil {
			return fmt.Errorf("browser: unable to type the text: %w", err)
		}
	}
	return nil
}

// pressEnter presses Enter where the focus is.
func pressEnter(p *rod.Page) error {
	down := proto.InputDispatchKeyEvent{
		Type: proto.InputDispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
		Text: "\r", UnmodifiedText: "\r", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
	}
	if err := down.Call(p); err != nil {
		return err
	}
	up := proto.InputDispatchKeyEvent{
		Type: proto.InputDispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
	}
	return up.Call(p)
}

// typeSpaceBackspace types a space and deletes it: two real input events
// that leave the text as it was.
func typeSpaceBackspace(p *rod.Page) error {
	if err := (proto.InputInsertText{Text: " "}).Call(p); err != nil {
		return err
	}
	return p.Keyboard.Type(input.Backspace)
}

func shiftEnter(p *rod.Page) error {
	down := proto.InputDispatchKeyEvent{
		Type: proto.InputDispatchKeyEventTypeKeyDown, Modifiers: 8, Key: "Enter", Code: "Enter",
		Text: "\r", UnmodifiedText: "\r", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
	}
	if err := down.Call(p); err != nil {
		return err
	}
	up := proto.InputDispatchKeyEvent{
		Type: proto.InputDispatchKeyEventTypeKeyUp, Modifiers: 8, Key: "Enter", Code: "Enter",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
	}
	return up.Call(p)
}
