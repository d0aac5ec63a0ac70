package wasim

import (
	"embed"
	"html/template"
	"net/http"
	"path"
)

//go:embed web
var webFS embed.FS

var appTemplate = template.Must(template.ParseFS(webFS, "web/app.html"))

// bootConfig is what the page learns from the server at load time.
type bootConfig struct {
	LoadingMS     int64      `json:"loadingMs"`
	PollMS        int64      `json:"pollMs"`
	SendIcon      string     `json:"sendIcon"`
	ReadMoreAfter int        `json:"readMoreAfter"`
	Timing        timingBoot `json:"timing"`
}

func (s *Server) handleApp(w http.ResponseWriter, r *http.Request) {
	cfg := bootConfig{
		LoadingMS: s.opts.LoadingDuration.Milliseconds(),
		PollMS:    s.opts.PollInterval.Milliseconds(),
		SendIcon:  s.opts.SendIcon,
		// Deliberately last: optional fidelity switches.
		ReadMoreAfter: s.opts.ReadMoreAfter,
		Timing:        s.pageTiming(),
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := appTemplate.Execute(w, cfg); err != nil {
		http.Error(w, "wasim: unable to render the page", http.StatusInternalServerError)
	}
}

func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	data, err := webFS.ReadFile("web/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if path.Ext(name) == ".js" {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	_, _ = w.Write(data)
}
