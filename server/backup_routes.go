package server

import "github.com/gin-gonic/gin"

// backupRoutes adds the backup page, downloads and restore (signed-in pages
// and the API token's GET /api/v1/backup).
func (s *Server) backupRoutes(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/backup", s.backupShow)
	r.GET("/backup/download.zip", s.backupDownload)
	r.GET("/backup/files/:name", s.backupFile)
	r.POST("/backup/restore", s.uploadBody(s.restoreUploadLimit), s.backupRestore)
	api.GET("/backup", s.backupDownload)
}
