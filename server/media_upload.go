package server

import (
	"fmt"

	"github.com/gin-gonic/gin"
)

// mediaUpload stores the files chosen in the Media page's form. A refused
// file shows the page again with the reason and its status (413, 422);
// files before it in the same upload are kept and said so.
func (s *Server) mediaUpload(c *gin.Context) {
	saved, err := s.receiveMedia(c)
	if err != nil {
		status, msg := mediaFailure(c, err)
		if len(saved) > 0 {
			msg = fmt.Sprintf("%s (the %d file(s) before it were added)", msg, len(saved))
		}
		flashNow(c, msg)
		s.renderMedia(c, status)
		return
	}
	dup := 0
	for _, m := range saved {
		if m.Duplicate {
			dup++
		}
	}
	msg := fmt.Sprintf("%d file(s) added.", len(saved)-dup)
	if len(saved) == 1 && dup == 0 {
		msg = fmt.Sprintf("%q added.", saved[0].Name)
	}
	if dup > 0 {
		msg += fmt.Sprintf(" %d already in the library (stored once).", dup)
	}
	flash(c, "notice", msg)
	redirect(c, "/media")
}
