package server

import (
	"fmt"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
)

// addToGroups reads the preview's "add every contact to these groups":
// ticked existing groups and new names separated by commas.
func addToGroups(ticked []string, typed string) ([]string, error) {
	var out []string
	for _, name := range append(ticked, importer.SplitGroups(typed)...) {
		n, err := models.ValidateGroupName(name)
		if err != nil {
			return nil, fmt.Errorf("group %q: %s. Nothing was imported.", name, userMessage(err))
		}
		out = append(out, n)
	}
	return out, nil
}
