package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// numberCheckView is a check job's page: its progress and its results.
type numberCheckView struct {
	Check *models.NumberCheck
	Items []models.NumberCheckItem
	Names map[string]string // contact id -> name
}

// StateWord is the job's state in words.
func (v numberCheckView) StateWord() string {
	switch v.Check.State {
	case models.NumberCheckQueued:
		return "Queued"
	case models.NumberCheckRunning:
		return "Checking…"
	case models.NumberCheckWaiting:
		return "Waiting for WhatsApp"
	case models.NumberCheckDone:
		return "Done"
	case models.NumberCheckCancelled:
		return "Cancelled"
	}
	return v.Check.State
}

// PaceLabel is the job's pace in words.
func (v numberCheckView) PaceLabel() string {
	for _, p := range campaign.Presets {
		if p.Name == v.Check.Pacing.Preset {
			return "pace: " + strings.ToLower(p.Label[:1]) + p.Label[1:]
		}
	}
	return fmt.Sprintf("pace: %s–%s", time.Duration(v.Check.Pacing.MinDelayMS)*time.Millisecond, time.Duration(v.Check.Pacing.MaxDelayMS)*time.Millisecond)
}

// ResultWord is one number's result in words.
func (numberCheckView) ResultWord(r string) string {
	switch r {
	case models.NumberOnWhatsApp:
		return "on WhatsApp"
	case models.NumberNotOnWA:
		return "not on WhatsApp"
	case models.NumberCheckFailed:
		return "could not check"
	}
	return "not checked yet"
}

func (s *Server) loadNumberCheck(c *gin.Context) (numberCheckView, bool) {
	ctx := c.Request.Context()
	n, err := s.numbers.Get(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return numberCheckView{}, false
	}
	items, err := s.store.NumberCheckItems(ctx, n.ID)
	if err != nil {
		s.pageStoreError(c, err)
		return numberCheckView{}, false
	}
	v := numberCheckView{Check: n, Items: items, Names: map[string]string{}}
	var ids []string
	for _, it := range items {
		if it.ContactID != "" {
			ids = append(ids, it.ContactID)
		}
	}
	cs, err := s.store.ContactsForCheck(ctx, ids, nil, models.MaxNumberCheck)
	if err != nil {
		s.pageStoreError(c, err)
		return numberCheckView{}, false
	}
	for _, ct := range cs {
		v.Names[ct.ID] = ct.Name
	}
	return v, true
}

// numberCheckShow shows a check job: live progress while it runs (htmx
// polls the progress block; without JavaScript the page refreshes), then
// every number's result.
func (s *Server) numberCheckShow(c *gin.Context) {
	v, ok := s.loadNumberCheck(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, pageNumberCheck, "contacts", v)
}

// numberCheckProgress answers htmx's polling with the progress block.
func (s *Server) numberCheckProgress(c *gin.Context) {
	v, ok := s.loadNumberCheck(c)
	if !ok {
		return
	}
	html, err := s.renderFragment(c, fragmentNumberCheckProgress, v)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(html))
}

// numberCheckCancel stops a job; what it found is kept.
func (s *Server) numberCheckCancel(c *gin.Context) {
	n, err := s.numbers.Cancel(c.Request.Context(), c.Param("id"))
	if ue := campaign.UserError(err); ue != nil {
		flash(c, "error", ue.Message)
	} else if err != nil {
		s.pageStoreError(c, err)
		return
	} else {
		flash(c, "notice", "Check cancelled; the numbers checked so far keep their result.")
		_ = n
	}
	redirect(c, "/numbers/checks/"+c.Param("id"))
}
