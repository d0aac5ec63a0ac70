package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/backup"
)

// backupDownload streams a backup of all business data as it is now. The
// archive is written as it is read, so a large database never sits in
// memory; an error half-way leaves the download incomplete, and an
// incomplete zip is refused by restore.
func (s *Server) backupDownload(c *gin.Context) {
	now := time.Now()
	name := backup.FileName(backup.PrefixScheduled, now)
	s.audit(c, "backup.download", name)
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if _, err := backup.Write(c.Request.Context(), c.Writer, s.store, s.media, now); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: the backup download failed")
		c.Abort()
	}
}

// backupFile sends one of the saved backups.
func (s *Server) backupFile(c *gin.Context) {
	s.audit(c, "backup.download", c.Param("name"))
	path, ok := backup.Path(s.cfg.BackupDir(), c.Param("name"))
	if !ok {
		s.renderError(c, http.StatusNotFound, "Not found", "There is no backup of that name.")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.FileAttachment(path, c.Param("name"))
}
