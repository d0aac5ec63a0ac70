package campaign

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// Accounts is what the engine reads of the WhatsApp accounts to apply each
// account's own daily cap and quiet hours; *models.Store is one. A Store
// without it keeps the campaign's pacing (one account, counted globally).
type Accounts interface {
	ListWhatsAppAccounts(ctx context.Context) ([]models.WhatsAppAccount, error)
	SentSinceByAccount(ctx context.Context, t time.Time, first string) (map[string]int64, error)
}

// accountPacing returns the account campaign c sends through (its first
// account_id, else the first account; "" when the store knows no accounts)
// and the pacing to apply: the campaign's, with the daily cap and quiet
// hours replaced by the account's own where it has them. The campaign's
// values (the global defaults) stay for an account that has none.
func (e *Engine) accountPacing(ctx context.Context, c *models.Campaign, p models.Pacing) (string, models.Pacing) {
	as, ok := e.store.(Accounts)
	if !ok {
		return "", p
	}
	list, err := as.ListWhatsAppAccounts(ctx)
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": c.ID, "error": err}).Error("campaign: unable to read the WhatsApp accounts; using the campaign's cap and quiet hours")
		return e.accountOf(c), p
	}
	if len(list) == 0 {
		return "", p
	}
	e.mu.Lock()
	e.firstAccount = list[0].ID
	e.mu.Unlock()
	id := list[0].ID
	if len(c.AccountIDs) > 0 {
		id = c.AccountIDs[0]
	}
	return id, withAccount(list, id, p)
}

// accountOf is the account campaign c sends through as last known ("" when
// no account was ever read).
func (e *Engine) accountOf(c *models.Campaign) string {
	if len(c.AccountIDs) > 0 {
		return c.AccountIDs[0]
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.firstAccount
}

// sentTodayCount is how many messages account acct sent today ("" = every
// account), read from the store once a day per account and counted in
// memory after.
func (e *Engine) sentTodayCount(ctx context.Context, now time.Time, acct string) int64 {
	day := StartOfDay(now, e.loc)
	e.mu.Lock()
	if !e.day.Equal(day) {
		e.day, e.sentToday = day, map[string]int64{}
	}
	n, known := e.sentToday[acct]
	first := e.firstAccount
	e.mu.Unlock()
	if known {
		return n
	}
	var err error
	if acct == "" {
		n, err = e.store.SentSince(ctx, day)
	} else if as, ok := e.store.(Accounts); ok {
		var by map[string]int64
		by, err = as.SentSinceByAccount(ctx, day, first)
		n = by[acct]
	}
	if err != nil {
		logrus.WithFields(logrus.Fields{"account": acct, "error": err}).Error("campaign: unable to count today's sends")
	}
	e.mu.Lock()
	if e.day.Equal(day) {
		e.sentToday[acct] = n
	}
	e.mu.Unlock()
	return n
}

// countSent counts one message sent through acct today.
func (e *Engine) countSent(now time.Time, acct string) {
	e.mu.Lock()
	if e.day.Equal(StartOfDay(now, e.loc)) {
		if _, ok := e.sentToday[""]; ok {
			e.sentToday[""]++
		}
		if _, ok := e.sentToday[acct]; ok && acct != "" {
			e.sentToday[acct]++
		}
	}
	e.mu.Unlock()
}

// pickAccount chooses the account the next message of campaign c goes
// through, with its pacing and Sender. Without a rotation that is the
// campaign's account. In a rotation it is, among the accounts that are
// ready, outside their quiet hours, under their daily cap and past their
// own pacing delay (next), the one waiting longest, the least used first
// on a tie. When none can send now, sender is nil and until/why say when
// and why to wait; why is "" when no account is ready at all.
func (e *Engine) pickAccount(ctx context.Context, c *models.Campaign, p models.Pacing, next map[string]time.Time, used map[string]int, now time.Time) (acct string, ap models.Pacing, sender Sender, until time.Time, why string) {
	ids := []string{""}
	var list []models.WhatsAppAccount // read once per pick
	if e.rotating(c) {
		ids = c.AccountIDs
		list = e.accountList(ctx)
	}
	best := -1
	var bestPacing models.Pacing
	for i, id := range ids {
		var snd Sender
		var a string
		var pa models.Pacing
		if id == "" {
			snd = e.senderOf(c)
			a, pa = e.accountPacing(ctx, c, p)
		} else {
			snd = e.accountSender(id) // never ready when held elsewhere
			a, pa = id, withAccount(list, id, p)
		}
		if !snd.Ready() {
			continue
		}
		t, w := now, ""
		if q, quiet := QuietUntil(pa, now, e.loc); quiet {
			t, w = q, "quiet hours"
		} else if pa.DailyCap > 0 && e.sentTodayCount(ctx, now, a) >= int64(pa.DailyCap) {
			t, w = StartOfDay(now, e.loc).AddDate(0, 0, 1), "daily cap reached"
		} else if next[a].After(now) {
			t, w = next[a], "waiting"
		}
		if w != "" {
			if why == "" || t.Before(until) {
				until, why = t, w
			}
			continue
		}
		if best < 0 || next[a].Before(next[acct]) || (next[a].Equal(next[acct]) && used[a] < used[acct]) {
			best, acct, bestPacing, sender = i, a, pa, snd
		}
	}
	if best < 0 {
		return "", p, nil, until, why
	}
	return acct, bestPacing, sender, time.Time{}, ""
}

// accountList reads the WhatsApp accounts (nil when the store cannot:
// then the campaign's cap and quiet hours hold).
func (e *Engine) accountList(ctx context.Context) []models.WhatsAppAccount {
	as, ok := e.store.(Accounts)
	if !ok {
		return nil
	}
	list, err := as.ListWhatsAppAccounts(ctx)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("campaign: unable to read the WhatsApp accounts; using the campaign's cap and quiet hours")
		return nil
	}
	if len(list) > 0 {
		e.mu.Lock()
		e.firstAccount = list[0].ID
		e.mu.Unlock()
	}
	return list
}

// withAccount is p with account id's daily cap and quiet hours where it
// has them.
func withAccount(list []models.WhatsAppAccount, id string, p models.Pacing) models.Pacing {
	for _, a := range list {
		if a.ID != id {
			continue
		}
		if a.DailyCap > 0 {
			p.DailyCap = a.DailyCap
		}
		if a.QuietStart != "" && a.QuietEnd != "" {
			p.QuietStart, p.QuietEnd = a.QuietStart, a.QuietEnd
		}
	}
	return p
}
