package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
)

// uploadTTL is how long an uploaded import file waits for its commit.
const uploadTTL = time.Hour

// maxUploads bounds the uploads kept at once, with their files and preview
// reports (a report lists at most 3 × importer.MaxListed rows and 101
// notes, under half a megabyte): a new upload pushes out the oldest one
// not being imported.
const maxUploads = 16

// errTooManyUploads is returned by add when every kept upload is importing.
var errTooManyUploads = &uploadError{http.StatusTooManyRequests, fmt.Sprintf("%d imports are running: wait for one to finish, then upload again", maxUploads)}

var tokenPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// upload is an import file kept between its preview and its commit, under
// a random token so the commit needs no second upload.
type upload struct {
	Token   string
	Name    string // the file's name on the person's computer
	Path    string
	Mode    models.ImportMode
	Created time.Time
	Preview *importer.Report // the dry run, once made
	Job     *importJob       // the commit, once started
}

// uploads keeps import files in <data dir>/imports; each goes after its
// commit or after uploadTTL, whichever comes first.
type uploads struct {
	dir string
	mu  sync.Mutex
	m   map[string]*upload
}

// newUploads empties the imports directory: files left by an earlier run
// have lost their token.
func newUploads(dataDir string) *uploads {
	if dataDir == "" {
		dir, err := os.MkdirTemp("", "sambad-imports-")
		if err != nil {
			dir = filepath.Join(os.TempDir(), "sambad-imports")
		}
		return &uploads{dir: dir, m: map[string]*upload{}}
	}
	dir := filepath.Join(dataDir, "imports")
	os.RemoveAll(dir)
	return &uploads{dir: dir, m: map[string]*upload{}}
}

// state returns the upload's preview and commit under the lock.
func (u *uploads) state(up *upload) (*importer.Report, *importJob) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return up.Preview, up.Job
}

// setPreview records the upload's dry run.
func (u *uploads) setPreview(up *upload, rep *importer.Report) {
	u.mu.Lock()
	up.Preview = rep
	u.mu.Unlock()
}

func (u *uploads) get(token string) (*upload, bool) {
	if !tokenPattern.MatchString(token) {
		return nil, false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	up, ok := u.m[token]
	return up, ok
}

// add keeps up for uploadTTL. With maxUploads kept already, the oldest
// that is not importing goes first; when all are importing, up is refused
// (errTooManyUploads) and its file deleted.
func (u *uploads) add(up *upload) error {
	u.mu.Lock()
	if len(u.m) >= maxUploads {
		var oldest *upload
		for _, o := range u.m {
			if (o.Job == nil || o.Job.finished()) && (oldest == nil || o.Created.Before(oldest.Created)) {
				oldest = o
			}
		}
		if oldest == nil {
			u.mu.Unlock()
			os.Remove(up.Path)
			return errTooManyUploads
		}
		delete(u.m, oldest.Token)
		os.Remove(oldest.Path)
	}
	u.m[up.Token] = up
	u.mu.Unlock()
	time.AfterFunc(uploadTTL, func() { u.remove(up.Token) })
	return nil
}

// remove forgets the upload and deletes its file; a running commit keeps
// them until it ends.
func (u *uploads) remove(token string) {
	u.mu.Lock()
	up, ok := u.m[token]
	if ok && up.Job != nil && !up.Job.finished() {
		u.mu.Unlock()
		time.AfterFunc(time.Minute, func() { u.remove(token) })
		return
	}
	delete(u.m, token)
	u.mu.Unlock()
	if ok {
		os.Remove(up.Path)
	}
}

// uploadError is a refused upload: the status and a message a person can act on.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

// receive streams a multipart upload (field "file") into the imports
// directory, refusing files over the configured size, and returns the
// other form fields.
func (s *Server) receive(c *gin.Context) (*upload, map[string]string, error) {
	limit := s.importLimit()
	tooBig := &uploadError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is larger than %d MB (SAMBAD_IMPORT_MAX_MB): split it into smaller files", s.cfg.ImportMaxMB)}
	if c.Request.ContentLength > s.importUploadLimit() {
		return nil, nil, tooBig
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.importUploadLimit())
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, nil, &uploadError{http.StatusBadRequest, "send the file as multipart/form-data, in a field named file"}
	}
	fields := map[string]string{}
	var up *upload
	defer func() {
		if up != nil && err != nil {
			os.Remove(up.Path)
		}
	}()
	for {
		var part *multipart.Part
		part, err = mr.NextPart()
		if errors.Is(err, io.EOF) {
			err = nil
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, tooBig
		}
		if err != nil {
			return nil, nil, &uploadError{http.StatusBadRequest, "the upload is not valid multipart/form-data"}
		}
		if part.FormName() != "file" {
			b, _ := io.ReadAll(io.LimitReader(part, 1024))
			fields[part.FormName()] = string(b)
			continue
		}
		if up != nil {
			err = &uploadError{http.StatusBadRequest, "send one file at a time"}
			return nil, nil, err
		}
		if up, err = s.saveUpload(part, limit); err != nil {
			if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
				err = tooBig
			}
			return nil, nil, err
		}
	}
	if up == nil {
		return nil, nil, &uploadError{http.StatusBadRequest, "choose a CSV or XLSX file to import (form field file)"}
	}
	return up, fields, nil
}

// importLimit is SAMBAD_IMPORT_MAX_MB in bytes: the largest upload, and
// what an XLSX workbook may unpack to.
func (s *Server) importLimit() int64 { return int64(s.cfg.ImportMaxMB) << 20 }

// importUploadLimit is the most an import request may send: the file and a
// megabyte for the form around it.
func (s *Server) importUploadLimit() int64 { return s.importLimit() + 1<<20 }

var errTooLarge = errors.New("upload too large")

func (s *Server) saveUpload(part *multipart.Part, limit int64) (*upload, error) {
	if err := os.MkdirAll(s.uploads.dir, 0o700); err != nil {
		return nil, fmt.Errorf("server: unable to create the imports directory: %w", err)
	}
	b := make([]byte, 16)
	rand.Read(b)
	token := hex.EncodeToString(b)
	ext := strings.ToLower(filepath.Ext(part.FileName()))
	if ext != ".xlsx" {
		ext = ".csv"
	}
	up := &upload{Token: token, Name: filepath.Base(part.FileName()), Path: filepath.Join(s.uploads.dir, token+ext), Created: time.Now()}
	f, err := os.OpenFile(up.Path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("server: unable to store the upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(part, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = errTooLarge
	}
	if err != nil {
		os.Remove(up.Path)
		return nil, err
	}
	if n == 0 {
		os.Remove(up.Path)
		return nil, &uploadError{http.StatusBadRequest, "the uploaded file is empty"}
	}
	return up, nil
}

// importFailure sorts an import error into status and message, logging
// what Sambad caused.
func importFailure(c *gin.Context, err error) (int, string) {
	var ue *uploadError
	var fe *importer.FileError
	switch {
	case errors.As(err, &ue):
		return ue.status, ue.msg
	case errors.As(err, &fe):
		return http.StatusUnprocessableEntity, fe.Message
	}
	if msg := userMessage(err); msg != "" {
		return http.StatusUnprocessableEntity, msg
	}
	logrus.WithFields(logrus.Fields{"error": err, "path": c.Request.URL.Path}).Error("server: import failed")
	return http.StatusInternalServerError, "the import failed and nothing was saved; the details are in error.log"
}

// importFailureText is the message for a failed background import.
func importFailureText(err error) string {
	var fe *importer.FileError
	if errors.As(err, &fe) {
		return fe.Message
	}
	if msg := userMessage(err); msg != "" {
		return msg
	}
	logrus.WithFields(logrus.Fields{"error": err}).Error("server: import failed")
	return "the import failed and nothing was saved; the details are in error.log"
}
