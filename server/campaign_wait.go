package server

import "github.com/sambad/sambad/models"

// campaignWait says whether campaign cp would wait for WhatsApp if started
// or resumed now, in words that name what it waits for, and where to fix it:
// the WhatsApp page for a campaign on the first account, the accounts page
// for one with accounts of its own.
type campaignWait struct {
	Waits    bool
	What     string // "WhatsApp is not connected (Phone offline)", "None of its WhatsApp accounts is connected"
	Link     string
	LinkText string
}

func (s *Server) campaignWait(cp *models.Campaign) campaignWait {
	badge := s.whatsappBadge()
	w := campaignWait{Waits: !badge.CanSend, What: "WhatsApp is not connected (" + badge.Label + ")", Link: "/whatsapp", LinkText: "Open WhatsApp"}
	if len(cp.AccountIDs) == 0 || s.campaigns == nil {
		return w
	}
	w.Waits = !s.campaigns.CanSendCampaign(cp)
	w.Link, w.LinkText = "/accounts", "Open Accounts"
	w.What = "Its WhatsApp account is not connected"
	if len(cp.AccountIDs) > 1 {
		w.What = "None of its WhatsApp accounts is connected"
	}
	return w
}
