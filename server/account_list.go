package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// accountList shows the accounts page: every WhatsApp account with its live
// state, number and today's sends, and what can be done with it.
func (s *Server) accountList(c *gin.Context) {
	v := accountsPage{Max: s.cfg.MaxAccounts, Enabled: s.accounts != nil, Region: s.cfg.DefaultRegion}
	if s.accounts != nil {
		list, err := s.accountsWithSends(c)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		for i, a := range list {
			v.Accounts = append(v.Accounts, newAccountView(a, i == 0))
		}
		v.CanAdd = len(list) < s.cfg.MaxAccounts
	} else {
		flashNow(c, "The WhatsApp driver is not available: "+s.waOffReason)
	}
	s.render(c, http.StatusOK, pageAccounts, "whatsapp", v)
}
