package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
	"github.com/sambad/sambad/phone"
)

type numberCheckInput struct {
	Numbers    []string       `json:"numbers"`
	ContactIDs []string       `json:"contact_ids"`
	AccountID  string         `json:"account_id"`
	Pacing     *models.Pacing `json:"pacing"`
}

// apiNumberCheckCreate answers POST /api/v1/numbers/check: up to 1,000
// numbers or contact ids, checked one by one; 202 with the job to follow.
func (s *Server) apiNumberCheckCreate(c *gin.Context) {
	var in numberCheckInput
	if !decodeJSON(c, &in) {
		return
	}
	if n := len(in.Numbers) + len(in.ContactIDs); n > models.MaxNumberCheck {
		apiError(c, http.StatusUnprocessableEntity, fmt.Sprintf("%d numbers and contact ids: a check takes at most %d", n, models.MaxNumberCheck))
		return
	}
	req := numbercheck.Request{AccountID: in.AccountID}
	if in.Pacing != nil {
		req.Pacing = *in.Pacing
	}
	seen := map[string]bool{}
	add := func(ph, contactID string) {
		if !seen[ph] {
			seen[ph] = true
			req.Phones, req.ContactIDs = append(req.Phones, ph), append(req.ContactIDs, contactID)
		}
	}
	for i, raw := range in.Numbers {
		ph, err := phone.Normalize(raw, s.cfg.DefaultRegion)
		if err != nil {
			apiError(c, http.StatusUnprocessableEntity, fmt.Sprintf("numbers[%d]: %v", i, err))
			return
		}
		add(ph, "")
	}
	if len(in.ContactIDs) > 0 {
		cs, err := s.store.ContactsForCheck(c.Request.Context(), in.ContactIDs, nil, models.MaxNumberCheck)
		if err != nil {
			apiStoreError(c, err)
			return
		}
		if missing := len(dedupeStrings(in.ContactIDs)) - len(cs); missing > 0 {
			apiError(c, http.StatusUnprocessableEntity, fmt.Sprintf("contact_ids: %d of the ids are not contacts", missing))
			return
		}
		for _, ct := range cs {
			add(ct.Phone, ct.ID)
		}
	}
	n, err := s.numbers.Start(c.Request.Context(), req)
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	c.Header("Location", "/api/v1/numbers/check/"+n.ID)
	c.JSON(http.StatusAccepted, n)
}

// dedupeStrings keeps the first of each value.
func dedupeStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
