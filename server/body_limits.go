package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Request body limits. Every body is capped before a handler reads it, so
// that nobody can make Sambad read or store a large body before the
// sign-in check or the login rate limit answers.
const (
	// anonymousBody is the most a request that is not signed in may send
	// (the sign-in and setup forms are a few hundred bytes).
	anonymousBody = 4 << 10
	// signedInBody is the most a signed-in form or API request may send: a
	// campaign's message (65,536 characters, form-encoded) fits; the JSON
	// API reads at most maxJSONBody of it.
	signedInBody = 1 << 20
	// defaultBodyTimeout is how long a body may take to arrive.
	defaultBodyTimeout = 15 * time.Second
	// uploadBodyTimeout is how long an upload may take to arrive.
	uploadBodyTimeout = 10 * time.Minute
)

const ctxBodyCap = "body_cap"

// bodyCap is a request body under a limit that the middleware chain may
// raise until the handler first reads it (signing in raises it; upload
// routes raise it further).
type bodyCap struct {
	orig     io.ReadCloser
	w        http.ResponseWriter
	limit    int64
	declared int64 // Content-Length, -1 when unknown
	r        io.ReadCloser
}

func (b *bodyCap) Read(p []byte) (int, error) {
	if b.r == nil {
		if b.declared > b.limit {
			// Refuse at once rather than read up to the limit.
			b.w.Header().Set("Connection", "close")
			return 0, &http.MaxBytesError{Limit: b.limit}
		}
		b.r = http.MaxBytesReader(b.w, b.orig, b.limit)
	}
	n, err := b.r.Read(p)
	if isBodyTooLarge(err) {
		// Close the connection after the answer rather than read the rest
		// of the body (net/http would wait for it).
		b.w.Header().Set("Connection", "close")
	}
	return n, err
}

func (b *bodyCap) Close() error { return b.orig.Close() }

// capBodies caps every request body: anonymousBody, or signedInBody once
// requireSignIn has signed the request in; requireAPIToken and upload
// routes raise it (raiseBodyLimit). A body must also arrive within
// s.bodyTimeout: the read deadline is set here, per request, rather than
// as the server's ReadTimeout, which would also cut the server-sent event
// streams (net/http cancels a request whose background read times out).
func (s *Server) capBodies() gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			c.Next()
			return
		}
		limit := int64(anonymousBody)
		if c.GetBool(ctxSignedIn) || s.openLocal() {
			limit = signedInBody
		}
		// An anonymous form that says it is too large is refused before it
		// is read; the API decides once its token is checked.
		if limit == anonymousBody && r.ContentLength > limit && !isAPI(c) {
			s.bodyTooLarge(c, limit)
			return
		}
		http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(s.bodyTimeout))
		b := &bodyCap{orig: r.Body, w: c.Writer, limit: limit, declared: r.ContentLength}
		r.Body = b
		c.Set(ctxBodyCap, b)
		c.Next()
	}
}

// raiseBodyLimit lets the request send up to limit bytes, in up to timeout
// (0: unchanged), if its body has not been read yet.
func raiseBodyLimit(c *gin.Context, limit int64, timeout time.Duration) {
	v, ok := c.Get(ctxBodyCap)
	if !ok {
		return
	}
	b := v.(*bodyCap)
	if b.r != nil || limit <= b.limit {
		return
	}
	b.limit = limit
	if timeout > 0 {
		http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(timeout))
	}
}

// uploadBody is the route option for routes that take uploads: the body may
// be up to limit() bytes and take uploadBodyTimeout. The import routes use
// it with SAMBAD_IMPORT_MAX_MB; a media upload route adds it the same way
// with its own limit, e.g. r.POST("/media", s.uploadBody(mediaLimit), h).
// It belongs after the sign-in checks (which run first, as middleware), so
// only a signed-in request is let send that much.
func (s *Server) uploadBody(limit func() int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		raiseBodyLimit(c, limit(), uploadBodyTimeout)
		c.Next()
	}
}

// bodyTooLarge answers 413.
func (s *Server) bodyTooLarge(c *gin.Context, limit int64) {
	c.Header("Connection", "close")
	msg := "the request body is larger than " + strconv.FormatInt(limit>>10, 10) + " KB"
	if isAPI(c) {
		apiError(c, http.StatusRequestEntityTooLarge, msg)
		return
	}
	s.renderError(c, http.StatusRequestEntityTooLarge, "This form is too large", strings.ToUpper(msg[:1])+msg[1:]+". Go back and send less.")
	c.Abort()
}

// isBodyTooLarge reports whether err is a body past its cap.
func isBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// parseForm reads the form, answering (and returning false) 413 when the
// body is past its cap and 400 when it cannot be read (it did not arrive in
// time, or is malformed): Gin's PostForm would read either as an empty form.
func (s *Server) parseForm(c *gin.Context) bool {
	// ParseMultipartForm drops ParseForm's error for a form that is not
	// multipart, so ParseForm goes first.
	err := c.Request.ParseForm()
	if err == nil {
		err = c.Request.ParseMultipartForm(s.router.MaxMultipartMemory)
	}
	var mbe *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart):
		return true
	case errors.As(err, &mbe):
		s.bodyTooLarge(c, mbe.Limit)
	default:
		c.Header("Connection", "close")
		s.renderError(c, http.StatusBadRequest, "The form did not arrive", "The form could not be read (it arrived too slowly, or incomplete). Go back and send it again.")
		c.Abort()
	}
	return false
}

// mediaUploadLimit bounds one media upload request: up to ten files of the
// largest kind allowed, plus room for the form. Each file's own limit (16 MB
// for photos and videos, SAMBAD_MEDIA_MAX_MB for documents) is enforced by
// the library as it streams the file to disk.
func (s *Server) mediaUploadLimit() int64 {
	per := int64(max(s.cfg.MediaMaxMB, 16)) << 20
	return 10*per + 1<<20
}

// restoreUploadLimit bounds a backup archive sent for restore. The archive is
// streamed to a file before it is read, so the cap guards the disk, not memory.
func (s *Server) restoreUploadLimit() int64 { return 4 << 30 }
