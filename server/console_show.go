package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/support"
)

// consoleTailBytes bounds what the console reads of error.log: the last
// 2 MiB (about 10,000 lines), however large the log has grown.
const consoleTailBytes = 2 << 20

// consoleMaxEntries is how many matching entries the page shows.
const consoleMaxEntries = 500

// consoleLevels are the level filter's choices, least severe first.
var consoleLevels = []string{"debug", "info", "warn", "error"}

// consoleFilter is the level and search a person chose.
type consoleFilter struct {
	Level string
	Q     string
}

func readConsoleFilter(c *gin.Context) consoleFilter {
	f := consoleFilter{Level: c.Query("level"), Q: strings.TrimSpace(c.Query("q"))}
	if _, ok := map[string]bool{"debug": true, "info": true, "warn": true, "error": true}[f.Level]; !ok {
		f.Level = "debug"
	}
	if len(f.Q) > 200 {
		f.Q = f.Q[:200]
	}
	return f
}

// match reports whether an entry passes the filter; the search is on the
// masked line, case-insensitive.
func (f consoleFilter) match(e support.LogEntry) bool {
	return e.AtLeast(f.Level) && (f.Q == "" || strings.Contains(strings.ToLower(e.Line), strings.ToLower(f.Q)))
}

// Query is the filter as a query string, for the live and download links.
func (f consoleFilter) Query() string {
	v := url.Values{"level": {f.Level}}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	return v.Encode()
}

// consoleView is what console.html shows.
type consoleView struct {
	Filter    consoleFilter
	Levels    []string
	Entries   []support.LogEntry // newest first
	More      bool               // more entries matched than are shown
	LogPath   string
	TailMB    int
	ReadError string
}

// consoleShow lists the end of error.log, newest first, masked and filtered.
func (s *Server) consoleShow(c *gin.Context) {
	f := readConsoleFilter(c)
	v := consoleView{Filter: f, Levels: consoleLevels, LogPath: s.cfg.LogPath(), TailMB: consoleTailBytes >> 20}
	lines, err := support.TailBytes(s.cfg.LogPath(), consoleTailBytes)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to read error.log for the console")
		v.ReadError = "error.log could not be read: " + support.MaskLine(err.Error())
	}
	for i := len(lines) - 1; i >= 0; i-- {
		e := support.ParseLogLine(lines[i])
		if !f.match(e) {
			continue
		}
		if len(v.Entries) == consoleMaxEntries {
			v.More = true
			break
		}
		v.Entries = append(v.Entries, e)
	}
	s.render(c, http.StatusOK, pageConsole, "console", v)
}
