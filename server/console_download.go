package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/support"
)

// consoleDownload sends the end of error.log (the console's last 2 MiB),
// masked as in the support bundle and filtered as on the page, as plain
// text: the page's link downloads it (its download attribute names the
// file) and opened directly it reads in the browser.
func (s *Server) consoleDownload(c *gin.Context) {
	f := readConsoleFilter(c)
	lines, err := support.TailBytes(s.cfg.LogPath(), consoleTailBytes)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to read error.log for a download")
		s.renderError(c, http.StatusInternalServerError, "error.log could not be read", "The details are in Sambad's output on the terminal.")
		return
	}
	var b strings.Builder
	for _, l := range lines {
		if e := support.ParseLogLine(l); f.match(e) {
			b.WriteString(e.Line)
			b.WriteByte('\n')
		}
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(b.String()))
}
