package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/support"
)

// supportView is what support.html shows.
type supportView struct {
	LogPath    string
	LogLines   int
	MaxSizeMB  int
	MaxBackups int
}

// supportShow explains the support bundle and links to it.
func (s *Server) supportShow(c *gin.Context) {
	s.render(c, http.StatusOK, pageSupport, "", supportView{
		LogPath: s.cfg.LogPath(), LogLines: support.LogLines,
		MaxSizeMB: s.cfg.LogMaxSizeMB, MaxBackups: s.cfg.LogMaxBackups,
	})
}
