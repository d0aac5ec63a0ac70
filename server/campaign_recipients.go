package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

type recipientsView struct {
	M           *monitorView
	State       string // the filter as given, "delivered,read"
	StateWords  string // and in words, "delivered or read"
	Run         int
	Items       []models.Recipient
	Total       int64
	Page, Pages int
	// With ?messages=1, each recipient's messages (text and files).
	Messages  bool
	WithParts []recipientWithMessages
	// Names of the WhatsApp accounts, for the Account column of a campaign
	// with accounts (nil: no column).
	Names accountNamer
}

const recipientsPerPage = 50

// campaignRecipients lists a campaign's recipients, filtered by state, paged.
func (s *Server) campaignRecipients(c *gin.Context) {
	ctx := c.Request.Context()
	mv, err := s.monitorView(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	q := models.RecipientQuery{CampaignID: mv.C.ID, Page: intQuery(c, "page", 1), PerPage: recipientsPerPage, Run: intQuery(c, "run", 0)}
	state := ""
	if q.States = parseStateFilter(c.Query("state")); q.States != nil {
		state = strings.Join(q.States, ",")
	}
	if q.Run == 0 {
		// The monitor's counts already say how many match.
		q.Total = mv.Total
		if q.States != nil {
			q.Total = 0
			for _, st := range q.States {
				q.Total += mv.Counts[st]
			}
		}
	}
	items, total, err := s.store.ListRecipients(ctx, q)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := recipientsView{
		M: mv, State: state, StateWords: filterWords(q.States), Run: q.Run, Items: items, Total: total, Page: q.Page, Pages: pageCount(total, recipientsPerPage),
		Messages: messagesWanted(c),
	}
	if len(mv.C.AccountIDs) > 0 {
		if v.Names, err = s.accountNames(ctx); err != nil {
			s.pageStoreError(c, err)
			return
		}
	}
	if v.Messages {
		if v.WithParts, err = s.recipientsWithMessages(ctx, mv.C, items); err != nil {
			s.pageStoreError(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, pageCampaignRecipients, "campaigns", v)
}
