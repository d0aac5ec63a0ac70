package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// maxAccountName is the longest account name.
const maxAccountName = 60

// accountInput is what a person may set on an account; nil fields stay.
type accountInput struct {
	Name       *string `json:"name"`
	DailyCap   *int    `json:"daily_cap"`
	QuietStart *string `json:"quiet_start"`
	QuietEnd   *string `json:"quiet_end"`
}

// patch validates the input and returns it as a store patch; the error is
// a message a person can act on.
func (in accountInput) patch() (models.WhatsAppAccountPatch, error) {
	var p models.WhatsAppAccountPatch
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if name == "" {
			return p, errors.New("name is required")
		}
		if n := utf8.RuneCountInString(name); n > maxAccountName {
			return p, fmt.Errorf("name is %d characters; at most %d", n, maxAccountName)
		}
		p.Name = &name
	}
	if in.DailyCap != nil {
		if *in.DailyCap < 0 || *in.DailyCap > 100000 {
			return p, errors.New("daily_cap must be from 0 (no cap) to 100000")
		}
		p.DailyCap = in.DailyCap
	}
	clock := func(field string, v *string) (*string, error) {
		if v == nil {
			return nil, nil
		}
		s := strings.TrimSpace(*v)
		if s == "" {
			return &s, nil
		}
		t, err := time.Parse("15:04", s)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not a time of day (HH:MM)", field, s)
		}
		s = t.Format("15:04")
		return &s, nil
	}
	var err error
	if p.QuietStart, err = clock("quiet_start", in.QuietStart); err != nil {
		return p, err
	}
	if p.QuietEnd, err = clock("quiet_end", in.QuietEnd); err != nil {
		return p, err
	}
	if (p.QuietStart == nil) != (p.QuietEnd == nil) || (p.QuietStart != nil && (*p.QuietStart == "") != (*p.QuietEnd == "")) {
		return p, errors.New("give quiet_start and quiet_end together (both empty for no quiet hours)")
	}
	return p, nil
}

// accountError answers an error of the accounts port: 404, 409 (the limit,
// a refusal) or the store's mapping.
func (s *Server) accountError(c *gin.Context, err error) {
	var refusal *AccountRefusal
	switch {
	case errors.Is(err, models.ErrTooManyAccounts):
		s.answerError(c, http.StatusConflict, fmt.Sprintf("this Sambad already has %d WhatsApp accounts, its limit (SAMBAD_MAX_ACCOUNTS); remove one first", s.cfg.MaxAccounts))
	case errors.As(err, &refusal):
		s.answerError(c, http.StatusConflict, refusal.Message)
	case errors.Is(err, models.ErrNotFound):
		s.answerError(c, http.StatusNotFound, "no such WhatsApp account")
	default:
		s.storeError(c, err)
	}
}

// answerError answers in JSON for the API, as a flash on the accounts page
// otherwise.
func (s *Server) answerError(c *gin.Context, status int, msg string) {
	if isAPI(c) {
		apiError(c, status, msg)
		return
	}
	flash(c, "error", msg)
	redirect(c, "/accounts")
}

// accountsWithSends lists the accounts with today's sends of each.
func (s *Server) accountsWithSends(c *gin.Context) ([]Account, error) {
	list, err := s.accounts.List(c.Request.Context())
	if err != nil || len(list) == 0 {
		return list, err
	}
	now := time.Now().In(s.cfg.Location())
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	sent, err := s.store.SentSinceByAccount(c.Request.Context(), midnight, list[0].ID)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to count today's sends per account")
	}
	for i := range list {
		list[i].SentToday = sent[list[i].ID]
	}
	return list, nil
}

// accountWithSends is one account with today's sends.
func (s *Server) accountWithSends(c *gin.Context, id string) (Account, error) {
	list, err := s.accountsWithSends(c)
	if err != nil {
		return Account{}, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("server: account %s: %w", id, models.ErrNotFound)
}

// needAccounts answers 503 when the driver is off; it returns false then.
func (s *Server) needAccounts(c *gin.Context) bool {
	if s.accounts != nil {
		return true
	}
	msg := "the WhatsApp driver is not available: " + s.waOffReason
	if isAPI(c) {
		apiError(c, http.StatusServiceUnavailable, msg)
	} else {
		flash(c, "error", "The WhatsApp driver is not available: "+s.waOffReason)
		redirect(c, "/accounts")
	}
	return false
}

// checkCampaignAccounts returns what is wrong with a campaign's
// account_ids, or "". The ids are stored with the campaign (the store
// checks that they exist): one is that account, several a rotation.
func (s *Server) checkCampaignAccounts(c *gin.Context, ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	if s.accounts == nil {
		return "account_ids: the WhatsApp driver is not available: " + s.waOffReason
	}
	list, err := s.accounts.List(c.Request.Context())
	if err != nil || len(list) == 0 {
		return "account_ids: the WhatsApp accounts cannot be read now; try again"
	}
	for _, id := range ids {
		known := false
		for _, a := range list {
			known = known || a.ID == id
		}
		if !known {
			return fmt.Sprintf("account_ids: no WhatsApp account with id %s", id)
		}
	}
	return ""
}

// accountFree refuses (409, answered here) removing an account that holds
// campaign recipients whose sends are not settled: its chats are the only
// record of whether they went out, so a person releases them on the
// campaign's page first.
func (s *Server) accountFree(c *gin.Context, id string) bool {
	if s.campaigns == nil {
		return true
	}
	err := s.campaigns.AccountFree(c.Request.Context(), id)
	if err == nil {
		return true
	}
	if ue := campaign.UserError(err); ue != nil {
		s.answerError(c, ue.Status, ue.Message)
		return false
	}
	s.storeError(c, err)
	return false
}
