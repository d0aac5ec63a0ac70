package server

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
)

// contactFormView is what contact_form.html shows.
type contactFormView struct {
	ID             string
	Region         string
	Input          models.ContactInput
	VarFields      []varField
	AttributesText string
	GroupChoices   []groupChoice
	NewGroup       string
	// HideNumber shows the stored number masked and read-only: the user may
	// not see numbers (a new number typed in replaces it).
	HideNumber bool
}

// varField is one of v1..v10 on the form; Label is its name or "vN".
type varField struct{ Key, Label, Value string }

// namedVars lists the variables that have a name, in order.
func namedVars(labels settings.VarLabels) []varField {
	var out []varField
	for i, l := range labels {
		if l != "" {
			out = append(out, varField{Key: fmt.Sprintf("v%d", i+1), Label: l})
		}
	}
	return out
}

// groupChoice is one group of the form's group picker.
type groupChoice struct {
	ID, Name string
	Ticked   bool
}

// withGroups lists every group for the picker, ticking those m names.
func (v *contactFormView) withGroups(all []models.Group, m models.Memberships) {
	ticked := map[string]bool{}
	for _, id := range m.GroupIDs {
		ticked[id] = true
	}
	for _, g := range all {
		v.GroupChoices = append(v.GroupChoices, groupChoice{ID: g.ID, Name: g.Name, Ticked: ticked[g.ID]})
	}
	v.NewGroup = m.NewGroup
}

func newContactFormView(id, region string, in models.ContactInput, labels settings.VarLabels) contactFormView {
	v := contactFormView{ID: id, Region: region, Input: in}
	for i := 1; i <= models.VariableCount; i++ {
		k := fmt.Sprintf("v%d", i)
		v.VarFields = append(v.VarFields, varField{Key: k, Label: labels.Of(i), Value: in.Variables[k]})
	}
	keys := make([]string, 0, len(in.Attributes))
	for k := range in.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, in.Attributes[k])
	}
	v.AttributesText = b.String()
	return v
}

// membershipsFromForm reads the group picker of the add/edit form.
func membershipsFromForm(c *gin.Context) models.Memberships {
	return models.Memberships{GroupIDs: c.PostFormArray("group_ids"), NewGroup: strings.TrimSpace(c.PostForm("new_group"))}
}

// contactInputFromForm reads the add/edit form. A malformed attributes line
// is reported as a validation error.
func contactInputFromForm(c *gin.Context) (models.ContactInput, error) {
	in := models.ContactInput{
		Phone:      c.PostForm("phone"),
		Name:       c.PostForm("name"),
		Variables:  map[string]string{},
		Attributes: map[string]string{},
		OptedOut:   c.PostForm("opted_out") != "",
	}
	for i := 1; i <= models.VariableCount; i++ {
		k := fmt.Sprintf("v%d", i)
		if v := strings.TrimSpace(c.PostForm(k)); v != "" {
			in.Variables[k] = v
		}
	}
	for n, line := range strings.Split(c.PostForm("attributes"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return in, &models.ValidationError{Field: "attributes", Message: fmt.Sprintf("line %d: write name=value", n+1)}
		}
		in.Attributes[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return in, nil
}
