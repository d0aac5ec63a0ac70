package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
)

// backupRestore replaces the data with an uploaded backup, after the
// person typed the confirmation word and after a backup of the current data
// is saved. Any refusal changes nothing and says why.
func (s *Server) backupRestore(c *gin.Context) {
	fail := func(msg string) {
		flash(c, "error", msg)
		redirect(c, "/backup")
	}
	if s.cfg.Storage == config.StorageHybrid {
		fail("Restore is not available in hybrid mode: it would push every restored row to the cloud. Restore into the cloud database (SAMBAD_STORAGE=cloud) or into a local install.")
		return
	}
	path, name, confirm, err := s.receiveBackup(c)
	if path != "" {
		defer os.Remove(path)
	}
	switch {
	case err != nil:
		fail(err.Error())
		return
	case strings.TrimSpace(confirm) != restoreWord:
		fail("Type " + restoreWord + " in the confirmation box to restore. Nothing was changed.")
		return
	}
	m, zr, err := backup.Inspect(path)
	if err != nil {
		fail(restoreMessage(err))
		return
	}
	zr.Close()
	ctx := c.Request.Context()
	saved, err := backup.Save(ctx, s.store, s.media, s.cfg.BackupDir(), backup.PrefixPreRestore, time.Now())
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to back up the data before a restore")
		fail("The current data could not be backed up first, so nothing was restored; the details are in error.log.")
		return
	}
	backup.Prune(s.cfg.BackupDir(), backup.PrefixPreRestore, max(s.cfg.BackupKeep, 1))
	res, err := backup.Restore(ctx, s.store, s.media, path, s.cfg.DataDir)
	if err != nil {
		fail(restoreMessage(err))
		return
	}
	s.activityCache.forget()
	s.homeCache.forget()
	msg := fmt.Sprintf("Restored %s (made %s): %s.", name, m.Created.In(s.cfg.Location()).Format("2 Jan 2006 15:04"), res.Summary())
	if res.Paused > 0 {
		msg += fmt.Sprintf(" %d campaign(s) that were running are paused; resume them when ready.", res.Paused)
	}
	s.recordEvent(models.Event{Kind: models.EventBackup, State: "restored", Subject: name, Detail: msg})
	s.audit(c, "backup.restore", name)
	flash(c, "notice", msg+" The data from before is saved as "+filepath.Base(saved)+".")
	redirect(c, "/backup")
}

// restoreMessage is the person's message for a failed restore.
func restoreMessage(err error) string {
	var be *backup.Error
	if errors.As(err, &be) {
		return be.Msg
	}
	logrus.WithFields(logrus.Fields{"error": err}).Error("server: restore failed")
	return "The restore failed and nothing was changed; the details are in error.log."
}

// receiveBackup streams the uploaded file to a temporary file beside the
// backups (never into memory) and reads the confirmation field.
func (s *Server) receiveBackup(c *gin.Context) (path, name, confirm string, err error) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return "", "", "", errors.New("Choose a backup file to restore. Nothing was changed.")
	}
	for {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			return path, name, confirm, errors.New("The upload did not finish. Nothing was changed.")
		}
		switch part.FormName() {
		case "confirm":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			confirm = string(b)
		case "file":
			if path != "" || part.FileName() == "" {
				continue
			}
			name = filepath.Base(part.FileName())
			if path, err = saveUpload(s.cfg.BackupDir(), part); err != nil {
				return path, name, confirm, err
			}
		}
	}
	if path == "" {
		return "", "", confirm, errors.New("Choose a backup file to restore. Nothing was changed.")
	}
	return path, name, confirm, nil
}

func saveUpload(dir string, r io.Reader) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to make the backups directory")
		return "", errors.New("The backup could not be received (see error.log). Nothing was changed.")
	}
	f, err := os.CreateTemp(dir, ".upload-*.zip")
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to store an uploaded backup")
		return "", errors.New("The backup could not be received (see error.log). Nothing was changed.")
	}
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		return f.Name(), errors.New("The upload did not finish. Nothing was changed.")
	}
	return f.Name(), nil
}

// recordEvent adds an event to the activity feed; a failure is logged only.
func (s *Server) recordEvent(e models.Event) {
	if err := s.store.RecordEvent(context.Background(), e); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to record an event")
	}
}
