package server

import (
	"os"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// NewMediaLibrary keeps files in <data dir>/media. In hybrid and cloud mode
// their bytes are also stored as chunk rows, so that other installs can
// send them. cli makes one and hands it to both the campaign engine (which
// sends the files) and the server (Deps.Media).
func NewMediaLibrary(cfg *config.Config, store *models.Store) *media.Library {
	dir := cfg.MediaDir()
	if cfg.DataDir == "" {
		if d, err := os.MkdirTemp("", "sambad-media-"); err == nil {
			dir = d
		}
	}
	maxMB := cfg.MediaMaxMB
	if maxMB <= 0 {
		maxMB = 100
	}
	return media.New(store, media.Options{Dir: dir, DocumentMax: int64(maxMB) << 20,
		Chunks: cfg.Storage == config.StorageHybrid || cfg.Storage == config.StorageCloud})
}

// Media returns the media library (for the campaign engine and start-up).
func (s *Server) Media() *media.Library { return s.media }

// mediaRoutes registers the Media page and the media API. Uploads stream
// to disk and enforce their own per-kind limits.
func (s *Server) mediaRoutes(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/media", s.mediaList)
	r.POST("/media", s.uploadBody(s.mediaUploadLimit), s.mediaUpload)
	r.POST("/media/:id/delete", s.mediaDelete)
	r.GET("/media/:id/content", s.mediaContent)
	r.GET("/media/:id/thumbnail", s.mediaThumbnail)

	api.POST("/media", s.uploadBody(s.mediaUploadLimit), s.apiMediaUpload)
	api.GET("/media", s.apiMediaList)
	api.GET("/media/:id", s.apiMediaGet)
	api.GET("/media/:id/content", s.mediaContent)
	api.GET("/media/:id/thumbnail", s.mediaThumbnail)
	api.DELETE("/media/:id", s.apiMediaDelete)
}
