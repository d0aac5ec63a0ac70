package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
	"github.com/sambad/sambad/settings"
)

// campaignForm holds the new/edit form's fields as typed, so a rejected form
// comes back as it was.
type campaignForm struct {
	Name, Template string
	GroupIDs       map[string]bool
	Phones         string // extra contacts, one phone per line
	// maskedContacts maps each masked number shown to a user who may not
	// see numbers to its contact (the campaign's extra contacts).
	maskedContacts              map[string]string
	Preset                      string
	MinDelay, MaxDelay          string // seconds, decimals allowed
	PauseEvery, PauseMinutes    string
	DailyCap, MaxFailures       string
	QuietStart, QuietEnd        string
	ScheduledAt                 string // datetime-local, in the configured zone
	SkipNotOnWhatsApp           bool
	MediaIDs                    []string // the files, in the order they are sent
	CaptionMode                 string
	TemplateError               *campaign.TemplateError
	ErrorLine                   string
	AudienceOnly, FrozenMessage bool
}

// campaignFormView is what the new and edit pages render.
type campaignFormView struct {
	ID       string
	Form     campaignForm
	Groups   []models.Group
	Presets  []campaign.Preset
	TimeZone string
	Preview  formPreview    // empty: the live preview's placeholder
	VarNames []varField     // the variables that have a name, for the template help
	Files    []formFile     // the chosen files, in order
	Library  []models.Media // the other files of the library, to add
	MaxFiles int
}

func formFromCampaign(c *models.Campaign, loc *time.Location, phones []string) campaignForm {
	p := c.Pacing
	f := campaignForm{
		Name: c.Name, Template: c.Template, GroupIDs: map[string]bool{}, Phones: strings.Join(phones, "\n"),
		Preset: p.Preset, MinDelay: seconds(p.MinDelayMS), MaxDelay: seconds(p.MaxDelayMS),
		QuietStart: p.QuietStart, QuietEnd: p.QuietEnd, FrozenMessage: c.State == models.CampaignPaused,
		SkipNotOnWhatsApp: c.SkipNotOnWhatsApp, MediaIDs: c.MediaIDs, CaptionMode: c.CaptionMode,
	}
	for _, g := range c.GroupIDs {
		f.GroupIDs[g] = true
	}
	if p.PauseEvery > 0 {
		f.PauseEvery, f.PauseMinutes = strconv.Itoa(p.PauseEvery), strconv.FormatFloat(float64(p.PauseMS)/60000, 'f', -1, 64)
	}
	if p.DailyCap > 0 {
		f.DailyCap = strconv.Itoa(p.DailyCap)
	}
	if p.MaxFailures > 0 {
		f.MaxFailures = strconv.Itoa(p.MaxFailures)
	}
	if c.ScheduledAt != nil {
		f.ScheduledAt = c.ScheduledAt.In(loc).Format("2006-01-02T15:04")
	}
	return f
}

func seconds(ms int64) string { return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) }

func readCampaignForm(c *gin.Context) campaignForm {
	f := campaignForm{
		Name: c.PostForm("name"), Template: c.PostForm("template"), Phones: c.PostForm("phones"), GroupIDs: map[string]bool{},
		Preset: c.PostForm("preset"), MinDelay: c.PostForm("min_delay"), MaxDelay: c.PostForm("max_delay"),
		PauseEvery: c.PostForm("pause_every"), PauseMinutes: c.PostForm("pause_minutes"),
		DailyCap: c.PostForm("daily_cap"), MaxFailures: c.PostForm("max_failures"),
		QuietStart: c.PostForm("quiet_start"), QuietEnd: c.PostForm("quiet_end"), ScheduledAt: c.PostForm("scheduled_at"),
		SkipNotOnWhatsApp: c.PostForm("skip_not_on_whatsapp") != "",
		MediaIDs:          c.PostFormArray("media_ids"), CaptionMode: c.PostForm("caption_mode"),
	}
	for _, g := range c.PostFormArray("group_ids") {
		f.GroupIDs[g] = true
	}
	return f
}

// toCampaign checks the form and builds the campaign it describes; the
// schedule is returned apart (nil: none).
func (s *Server) toCampaign(ctx context.Context, f *campaignForm) (*models.Campaign, *time.Time, error) {
	num := func(field, v string, def float64) (float64, error) {
		v = strings.TrimSpace(v)
		if v == "" {
			return def, nil
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || math.IsInf(n, 0) || math.IsNaN(n) {
			return 0, &models.ValidationError{Field: field, Message: fmt.Sprintf("%q is not a positive number", v)}
		}
		return n, nil
	}
	if f.Preset == "custom" && (strings.TrimSpace(f.MinDelay) == "" || strings.TrimSpace(f.MaxDelay) == "") {
		return nil, nil, &models.ValidationError{Message: "Custom pacing needs both delays: give the shortest and the longest wait between messages in seconds (e.g. 20 to 50)."}
	}
	var p models.Pacing
	p.Preset = f.Preset
	vals := map[string]float64{}
	for _, fd := range []struct{ name, v string }{{"min_delay", f.MinDelay}, {"max_delay", f.MaxDelay}, {"pause_every", f.PauseEvery},
		{"pause_minutes", f.PauseMinutes}, {"daily_cap", f.DailyCap}, {"max_failures", f.MaxFailures}} {
		n, err := num(fd.name, fd.v, 0)
		if err != nil {
			return nil, nil, err
		}
		vals[fd.name] = n
	}
	p.MinDelayMS, p.MaxDelayMS = int64(vals["min_delay"]*1000), int64(vals["max_delay"]*1000)
	p.PauseEvery, p.PauseMS = int(vals["pause_every"]), int64(vals["pause_minutes"]*60000)
	p.DailyCap, p.MaxFailures = int(vals["daily_cap"]), int(vals["max_failures"])
	p.QuietStart, p.QuietEnd = strings.TrimSpace(f.QuietStart), strings.TrimSpace(f.QuietEnd)
	if err := campaign.CheckPacingInput(p); err != nil {
		return nil, nil, err
	}
	p, err := campaign.NormalizePacing(p)
	if err != nil {
		return nil, nil, err
	}
	if !f.FrozenMessage {
		if _, err := s.campaigns.CheckTemplate(ctx, f.Template); err != nil {
			return nil, nil, err
		}
	}
	m := &models.Campaign{Name: f.Name, Template: f.Template, Pacing: p, SkipNotOnWhatsApp: f.SkipNotOnWhatsApp, MediaIDs: f.MediaIDs, CaptionMode: f.CaptionMode}
	for g := range f.GroupIDs {
		m.GroupIDs = append(m.GroupIDs, g)
	}
	for i, line := range strings.Split(f.Phones, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsRune(line, phone.MaskRune) {
			// A masked number the form showed a user who may not see
			// numbers: it stands for the contact of the campaign it masks.
			id, ok := f.maskedContacts[line]
			if !ok {
				return nil, nil, &models.ValidationError{Field: "contacts", Message: fmt.Sprintf("line %d: '%s' is hidden and is none of this campaign's contacts; type the whole number", i+1, line)}
			}
			m.ContactIDs = append(m.ContactIDs, id)
			continue
		}
		e164, err := phone.Normalize(line, s.cfg.DefaultRegion)
		if err != nil {
			return nil, nil, &models.ValidationError{Field: "contacts", Message: fmt.Sprintf("line %d: '%s' is not a valid number for region %s", i+1, line, s.cfg.DefaultRegion)}
		}
		ct, err := s.store.GetContactByPhone(ctx, e164)
		if err != nil {
			return nil, nil, &models.ValidationError{Field: "contacts", Message: fmt.Sprintf("line %d: %s is not one of your contacts; add it first", i+1, e164)}
		}
		m.ContactIDs = append(m.ContactIDs, ct.ID)
	}
	var at *time.Time
	if v := strings.TrimSpace(f.ScheduledAt); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, s.cfg.Location())
		if err != nil {
			return nil, nil, &models.ValidationError{Field: "scheduled_at", Message: fmt.Sprintf("%q is not a date and time", v)}
		}
		at = &t
	}
	return m, at, nil
}

// withTemplateError keeps a template mistake on the form, with the line it is on.
func (f *campaignForm) withTemplateError(err error) {
	var te *campaign.TemplateError
	if !errors.As(err, &te) {
		return
	}
	f.TemplateError = te
	lines := strings.Split(f.Template, "\n")
	if te.Line-1 < len(lines) {
		f.ErrorLine = lines[te.Line-1] + "\n" + strings.Repeat(" ", max(te.Col-1, 0)) + "^"
	}
}

func (s *Server) renderCampaignForm(c *gin.Context, status int, id string, f campaignForm, errMsg string) {
	groups, err := s.store.ListGroups(c.Request.Context())
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	labels, err := settings.LoadVarLabels(c.Request.Context(), s.store)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	files, library, err := s.formFiles(c.Request.Context(), f.MediaIDs)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	if f.CaptionMode == "" {
		f.CaptionMode = models.CaptionFirstFile
	}
	if errMsg != "" {
		flashNow(c, errMsg)
	}
	s.render(c, status, pageCampaignForm, "campaigns", campaignFormView{ID: id, Form: f, Groups: groups, Presets: campaign.Presets,
		TimeZone: s.cfg.Location().String(), VarNames: namedVars(labels), Files: files, Library: library, MaxFiles: models.MaxCampaignFiles})
}

// contactPhones returns the phones of the contacts chosen one by one,
// masked for a user who may not see numbers.
func (s *Server) contactPhones(c *gin.Context, ids []string) []string {
	var out []string
	for _, id := range ids {
		if ct, err := s.store.GetContact(c.Request.Context(), id); err == nil {
			if masksNumbers(c) {
				out = append(out, phone.Masked(ct.Phone))
			} else {
				out = append(out, ct.Phone)
			}
		}
	}
	return out
}

// keepMaskedContacts lets the masked numbers of a campaign's extra contacts
// stand for those contacts when the form comes back.
func (s *Server) keepMaskedContacts(c *gin.Context, f *campaignForm, ids []string) {
	if !masksNumbers(c) {
		return
	}
	f.maskedContacts = map[string]string{}
	for _, id := range ids {
		if ct, err := s.store.GetContact(c.Request.Context(), id); err == nil {
			f.maskedContacts[phone.Masked(ct.Phone)] = id
		}
	}
}
