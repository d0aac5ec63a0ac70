package server

import (
	"context"
	"slices"
	"strings"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// waMessage is one message of a preview as WhatsApp shows it: a text, or a
// file (a photo's thumbnail; a video's or document's icon, name and size)
// with its caption.
type waMessage struct {
	Kind     string
	Text     string
	Media    *models.Media
	Thumb    bool
	Badge    string
	SizeText string
}

// previewMessages is what a contact whose rendered text is text gets.
func previewMessages(mode, text string, files []models.Media) []waMessage {
	planned := campaign.PlanMessages(mode, text, files)
	out := make([]waMessage, len(planned))
	for i, p := range planned {
		out[i] = waMessage{Kind: p.Kind, Text: p.Text, Media: p.Media}
		if p.Media != nil {
			out[i].Thumb = p.Media.Kind == models.MediaPhoto
			out[i].Badge, out[i].SizeText = mediaBadge(*p.Media), humanSize(p.Media.Size)
		}
	}
	return out
}

// formFile is a file of the campaign form's list.
type formFile struct {
	models.Media
	Badge string // the short type label shown in place of a thumbnail
}

// formFiles loads the chosen files in their order, leaving out ids no
// longer in the library, and the rest of the library to choose from.
func (s *Server) formFiles(ctx context.Context, ids []string) (chosen []formFile, rest []models.Media, err error) {
	all, _, err := s.store.ListMedia(ctx, models.MediaQuery{PerPage: 500})
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]models.Media{}
	for _, m := range all {
		byID[m.ID] = m
	}
	for _, id := range ids {
		if m, ok := byID[strings.ToLower(id)]; ok {
			chosen = append(chosen, formFile{Media: m, Badge: mediaBadge(m)})
			delete(byID, m.ID)
		}
	}
	for _, m := range all {
		if _, ok := byID[m.ID]; ok {
			rest = append(rest, m)
		}
	}
	return chosen, rest, nil
}

// applyFilesOp changes the form's files as one of the Files card's buttons
// asks: "add" (the file chosen in the list), "up:<id>", "down:<id>" or
// "remove:<id>". The form is then shown again, unsaved, so this works
// without JavaScript.
func (f *campaignForm) applyFilesOp(op, add string) {
	verb, id, _ := strings.Cut(op, ":")
	i := slices.Index(f.MediaIDs, id)
	switch {
	case verb == "add" && add != "" && !slices.Contains(f.MediaIDs, add):
		f.MediaIDs = append(f.MediaIDs, add)
	case verb == "remove" && i >= 0:
		f.MediaIDs = slices.Delete(f.MediaIDs, i, i+1)
	case verb == "up" && i > 0:
		f.MediaIDs[i-1], f.MediaIDs[i] = f.MediaIDs[i], f.MediaIDs[i-1]
	case verb == "down" && i >= 0 && i < len(f.MediaIDs)-1:
		f.MediaIDs[i+1], f.MediaIDs[i] = f.MediaIDs[i], f.MediaIDs[i+1]
	}
}
