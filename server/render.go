package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
	"github.com/sambad/sambad/templates"
)

// pageData is what every page template receives.
type pageData struct {
	Nav      string
	Notice   string
	Warn     string // a notice that something waits or needs a look
	Error    string
	SignedIn bool
	// NoPassword shows the notice that this install is open without a password.
	NoPassword bool
	// WhatsApp is the state shown in the top bar (nil on sign-in pages).
	WhatsApp *waBadge
	// User is who is signed in (nil when nobody is: sign-in pages, an open
	// local install); Admin says whether the admin links show.
	User  *models.User
	Admin bool
	Data  any
}

// pages holds one parsed template set per declared page: the layout plus
// that page and the partials. masked is the same set whose phone function
// masks numbers, for users who may not see them: every number a template
// shows through phone is masked without the template knowing.
type pages struct{ byPage, masked map[*page]*template.Template }

var funcs = template.FuncMap{
	// initial is a name's first letter, for a compact label.
	"initial": func(s string) string {
		for _, r := range strings.TrimSpace(s) {
			return strings.ToUpper(string(r))
		}
		return "?"
	},
	"stateWord": stateWord,
	"phone":     phone.Readable,
	"masktext":  func(s string) string { return s },
	"lastTime":  lastTime,
	"add":       func(a, b int) int { return a + b },
	"sub":       func(a, b int) int { return a - b },
	"pct": func(part, whole int64) int64 {
		if whole <= 0 {
			return 0
		}
		return part * 100 / whole
	},
	"kb": func(n int64) string {
		if n >= 10<<20 {
			return fmt.Sprintf("%d MB", n>>20)
		}
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	},
	"ago": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		d := time.Since(t).Round(time.Second)
		if d < time.Minute {
			return fmt.Sprintf("%ds ago", int(d.Seconds()))
		}
		if d < time.Hour {
			return fmt.Sprintf("%dm ago", int(d.Minutes()))
		}
		return t.Local().Format("2 Jan 15:04")
	},
}

// loadPages parses every declared page; a declared page without its
// template, or without a fragment declared for it, fails here, at start-up.
func loadPages(declared []*page) (*pages, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templates.FS, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("server: unable to parse layout: %w", err)
	}
	// Partials (files starting with _) are available to every page.
	partials, err := fs.Glob(templates.FS, "_*.html")
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	p := &pages{byPage: map[*page]*template.Template{}, masked: map[*page]*template.Template{}}
	for _, pg := range declared {
		file := pg.name + ".html"
		if _, err := fs.Stat(templates.FS, file); err != nil {
			return nil, fmt.Errorf("server: page %q has no template %s: %w", pg.name, file, err)
		}
		t, err := template.Must(layout.Clone()).ParseFS(templates.FS, file)
		if err != nil {
			return nil, fmt.Errorf("server: unable to parse template %s: %w", file, err)
		}
		if len(partials) > 0 {
			if t, err = t.ParseFS(templates.FS, partials...); err != nil {
				return nil, fmt.Errorf("server: unable to parse partials: %w", err)
			}
		}
		for _, f := range pg.fragments {
			if t.Lookup(f) == nil {
				return nil, fmt.Errorf("server: template %s does not define %q", file, f)
			}
		}
		p.byPage[pg] = t
		m, err := t.Clone()
		if err != nil {
			return nil, fmt.Errorf("server: unable to clone template %s: %w", file, err)
		}
		p.masked[pg] = m.Funcs(template.FuncMap{"phone": phone.Masked, "masktext": phone.MaskText})
	}
	return p, nil
}

// render writes a full page. The page is rendered to a buffer first so a
// template error becomes a clean 500, not half a page.
func (s *Server) render(c *gin.Context, status int, pg *page, nav string, data any) {
	t := s.pages.set(c)[pg]
	pd := pageData{Nav: nav, Data: data, SignedIn: c.GetBool(ctxSignedIn), Admin: requestUser(c).IsAdmin()}
	if u, ok := c.Get(ctxUser); ok {
		pd.User = u.(*models.User)
	}
	pd.Notice, pd.Warn, pd.Error = takeFlash(c)
	pd.NoPassword = nav != "auth" && s.showNoPasswordNotice(c)
	if nav != "auth" {
		pd.WhatsApp = s.whatsappBadge()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pd); err != nil {
		logrus.WithFields(logrus.Fields{"page": pg.name, "error": err}).Error("server: unable to render page")
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// set is the template set for the request's user: masked numbers for
// users who may not see them.
func (p *pages) set(c *gin.Context) map[*page]*template.Template {
	if c != nil && masksNumbers(c) {
		return p.masked
	}
	return p.byPage
}

// renderFragment renders one named template of a page (for htmx and SSE)
// for the request c (numbers masked when its user may not see them).
func (s *Server) renderFragment(c *gin.Context, f fragment, data any) (string, error) {
	var buf bytes.Buffer
	if err := s.pages.set(c)[f.page].ExecuteTemplate(&buf, f.name, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

type errorPage struct{ Title, Message, Back string }

func (s *Server) renderError(c *gin.Context, status int, title, message string) {
	back := c.GetHeader("Referer")
	if back == "" || !sameOrigin(c, back) {
		back = "/"
	}
	s.render(c, status, pageError, "", errorPage{Title: title, Message: message, Back: back})
}

func sameOrigin(c *gin.Context, ref string) bool {
	u, err := url.Parse(ref)
	return err == nil && u.Host == c.Request.Host
}

const flashCookie = "sambad_flash"

// flash stores a one-time message for the next page (kind is "notice",
// "warn" or "error").
func flash(c *gin.Context, kind, msg string) {
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(flashCookie, url.QueryEscape(kind+":"+msg), 60, "/", "", false, true)
}

// flashNow shows an error on the page being rendered now.
func flashNow(c *gin.Context, msg string) { c.Set("flash_now", msg) }

func takeFlash(c *gin.Context) (notice, warn, errMsg string) {
	if msg := c.GetString("flash_now"); msg != "" {
		return "", "", msg
	}
	v, err := c.Cookie(flashCookie)
	if err != nil || v == "" {
		return "", "", ""
	}
	c.SetCookie(flashCookie, "", -1, "/", "", false, true)
	raw, err := url.QueryUnescape(v)
	if err != nil {
		return "", "", ""
	}
	switch kind, msg, _ := strings.Cut(raw, ":"); kind {
	case "error":
		return "", "", msg
	case "warn":
		return "", msg, ""
	default:
		return msg, "", ""
	}
}

// redirect sends the browser on after a form post.
func redirect(c *gin.Context, to string) { c.Redirect(http.StatusSeeOther, to) }
