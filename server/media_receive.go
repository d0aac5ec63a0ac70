package server

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// maxMediaFiles bounds the files one upload request may carry.
const maxMediaFiles = 20

// savedMedia is one uploaded file: its row, and whether it was new.
type savedMedia struct {
	models.Media
	Duplicate bool `json:"duplicate"`
}

// receiveMedia streams every "file" part of a multipart upload into the
// library, one after the other, never holding a whole file in memory. It
// stops at the first file refused and returns the files stored before it
// with the error.
func (s *Server) receiveMedia(c *gin.Context) ([]savedMedia, error) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, &uploadError{http.StatusBadRequest, "send the files as multipart/form-data, in fields named file"}
	}
	saved := []savedMedia{}
	fields := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return saved, &uploadError{http.StatusBadRequest, "the upload is not valid multipart/form-data"}
		}
		if part.FormName() != "file" {
			// Other fields carry nothing the library needs; read a little
			// so a stream of them cannot run on.
			if fields++; fields > 10 {
				return saved, &uploadError{http.StatusBadRequest, "the upload has too many form fields"}
			}
			io.Copy(io.Discard, io.LimitReader(part, 1024))
			continue
		}
		if part.FileName() == "" {
			// A browser sends an empty part when no file was chosen.
			continue
		}
		if len(saved) == maxMediaFiles {
			return saved, &uploadError{http.StatusBadRequest, "send at most 20 files at a time"}
		}
		m, created, err := s.media.Save(c.Request.Context(), part.FileName(), part)
		part.Close()
		if err != nil {
			return saved, err
		}
		saved = append(saved, savedMedia{Media: *m, Duplicate: !created})
	}
	if len(saved) == 0 {
		return saved, &uploadError{http.StatusBadRequest, "choose at least one file to upload (form field file)"}
	}
	return saved, nil
}

// mediaFailure maps an error of the media library to a status and a
// message a person can act on.
func mediaFailure(c *gin.Context, err error) (int, string) {
	var tooLarge *media.TooLargeError
	var invalid *media.InvalidError
	var incomplete *media.IncompleteError
	var inUse *models.MediaInUseError
	var up *uploadError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "the upload is larger than this server accepts"
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, tooLarge.Error()
	case errors.As(err, &incomplete):
		return http.StatusBadRequest, incomplete.Error()
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Error()
	case errors.As(err, &inUse):
		return http.StatusConflict, inUse.Error()
	case errors.As(err, &up):
		return up.status, up.msg
	case errors.Is(err, media.ErrNotHere):
		return http.StatusServiceUnavailable, "this file's content has not reached this computer yet: it arrives with the sync; try again in a minute"
	case errors.Is(err, media.ErrNoThumbnail):
		return http.StatusNotFound, "only photos have thumbnails"
	}
	return classify(c, err)
}
