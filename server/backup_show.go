package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/config"
)

// backupView is what backup.html shows.
type backupView struct {
	Dir     string
	Keep    int
	Files   []backup.Info
	Hybrid  bool
	Confirm string
}

// restoreWord is what a person types to confirm a restore.
const restoreWord = "RESTORE"

// backupShow offers a download, lists the saved backups and the restore form.
func (s *Server) backupShow(c *gin.Context) {
	files, err := backup.List(s.cfg.BackupDir())
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to list backups")
	}
	s.render(c, http.StatusOK, pageBackup, "backup", backupView{Dir: s.cfg.BackupDir(), Keep: s.cfg.BackupKeep,
		Files: files, Hybrid: s.cfg.Storage == config.StorageHybrid, Confirm: restoreWord})
}
