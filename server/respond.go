package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// apiError writes {"error": msg}.
func apiError(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, gin.H{"error": msg})
}

// apiStoreError maps a store error to a status: validation 422, duplicate
// 409, not found 404, anything else 500 (logged, not shown).
func apiStoreError(c *gin.Context, err error) {
	status, msg := classify(c, err)
	apiError(c, status, msg)
}

// storeError answers a store error in JSON for the API, as a page otherwise.
func (s *Server) storeError(c *gin.Context, err error) {
	if isAPI(c) {
		apiStoreError(c, err)
		return
	}
	s.pageStoreError(c, err)
}

// pageStoreError is apiStoreError for pages.
func (s *Server) pageStoreError(c *gin.Context, err error) {
	status, msg := classify(c, err)
	title := "Something went wrong"
	switch status {
	case http.StatusNotFound:
		title = "Not found"
	case http.StatusUnprocessableEntity, http.StatusConflict:
		title = "Please check your input"
	}
	s.renderError(c, status, title, msg)
}

func classify(c *gin.Context, err error) (int, string) {
	var ve *models.ValidationError
	switch {
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, models.ErrDuplicate) && errors.As(err, &ve):
		return http.StatusConflict, ve.Error()
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, ve.Error()
	case syncer.IsUnreachable(err):
		// Cloud mode with the database out of reach: say so; nothing was saved.
		return http.StatusServiceUnavailable, "The cloud database cannot be reached, so nothing was read or saved. Check the network (or resume the Supabase project) and try again."
	}
	logrus.WithFields(logrus.Fields{"error": err, "path": c.Request.URL.Path, "method": c.Request.Method}).Error("server: request failed")
	return http.StatusInternalServerError, "internal error; the details are in error.log"
}

// userMessage is the text of an error a person caused, or "" for any other error.
func userMessage(err error) string {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return ve.Error()
	}
	return ""
}

// intQuery reads a positive integer query parameter.
func intQuery(c *gin.Context, name string, def int) int {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 1 {
		return def
	}
	return n
}

func pageCount(total int64, perPage int) int {
	if total == 0 {
		return 1
	}
	return int((total + int64(perPage) - 1) / int64(perPage))
}
