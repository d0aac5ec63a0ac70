package server

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// Bounds on the query parameters every list and search reads.
const (
	// maxSearchLen bounds a search (q): far below SQLite's LIKE pattern
	// limit of 50,000 bytes, which answered a longer search with a 500.
	maxSearchLen = 200
	// maxPage bounds page: a larger one overflowed the offset (page
	// 9223372036854775807 showed page 1).
	maxPage = 1_000_000
	// maxPerPage bounds per_page (the store shows at most 500 anyway).
	maxPerPage = 10_000
)

// checkQuery answers 400 with a message to a search longer than
// maxSearchLen characters, or a page or per_page that is not a whole number
// in range, before a handler sees it: one rule for every list, page and
// API endpoint.
func (s *Server) checkQuery() gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Request.URL.Query()
		msg := ""
		if v, ok := q["q"]; ok && len(v) > 0 && utf8.RuneCountInString(v[0]) > maxSearchLen {
			msg = "the search is longer than " + strconv.Itoa(maxSearchLen) + " characters: search for a shorter part of a name, number or variable"
		}
		for name, most := range map[string]int{"page": maxPage, "per_page": maxPerPage} {
			v := q.Get(name)
			if v == "" {
				continue
			}
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > most {
				msg = name + " must be a whole number from 1 to " + strconv.Itoa(most)
			}
		}
		if msg == "" {
			c.Next()
			return
		}
		if isAPI(c) {
			apiError(c, http.StatusBadRequest, msg)
			return
		}
		s.renderError(c, http.StatusBadRequest, "Please check the address", msg+".")
		c.Abort()
	}
}
