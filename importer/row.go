package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sambad/sambad/models"
)

// rawRow is one line of the file as read.
type rawRow struct {
	line   int
	fields []string
}

// variableKeys[n] is the ContactInput key of variable n.
var variableKeys = [...]string{"", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10"}

// checkedRow is a raw row after validation: a record, a problem, or empty.
type checkedRow struct {
	line    int
	rec     models.ImportRecord
	problem string
	empty   bool
}

// check turns a row into a validated contact with the same rules as the
// add-contact form (models.ContactInput.Apply).
func (l *layout) check(r rawRow, region string) checkedRow {
	out := checkedRow{line: r.line}
	in := models.ContactInput{Variables: make(map[string]string, l.variableCount()), Attributes: make(map[string]string, len(l.fields.Attributes))}
	var groups []string
	empty := true
	for i, v := range r.fields {
		v = strings.TrimSpace(v)
		if l.neutralised {
			v = Unneutralise(v)
		}
		if v == "" {
			continue
		}
		empty = false
		if i >= len(l.cols) {
			out.problem = fmt.Sprintf("has %d cells but the header has %d columns: remove the extra cells or give their column a name", len(r.fields), len(l.cols))
			return out
		}
		switch c := l.cols[i]; c.kind {
		case colPhone:
			in.Phone = v
		case colName:
			in.Name = v
		case colVariable:
			in.Variables[variableKeys[c.n]] = v
		case colAttribute:
			in.Attributes[c.attr] = v
		case colGroups:
			groups = SplitGroups(v)
		}
	}
	if empty {
		out.empty = true
		return out
	}
	if err := in.Apply(&out.rec.Contact, region); err != nil {
		out.problem = reason(err)
		return out
	}
	var seen map[string]bool
	if len(groups) > 1 {
		seen = make(map[string]bool, len(groups))
	}
	for _, g := range groups {
		name, err := models.ValidateGroupName(g)
		if err != nil {
			out.problem = fmt.Sprintf("group %q %s", truncate(g, 40), validationMessage(err))
			return out
		}
		if seen == nil {
			out.rec.Groups = append(out.rec.Groups, name)
			continue
		}
		if k := strings.ToLower(name); !seen[k] {
			seen[k] = true
			out.rec.Groups = append(out.rec.Groups, name)
		}
	}
	out.rec.Line = r.line
	return out
}

// variableCount is how many variable columns the file has.
func (l *layout) variableCount() int {
	n := 0
	for _, present := range l.fields.Variables {
		if present {
			n++
		}
	}
	return n
}

// reason words a validation error for a row: "phone '12ab' is not a valid
// number for region IN".
func reason(err error) string {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	switch ve.Field {
	case "", "attributes", "variables":
		return ve.Message
	}
	return ve.Field + " " + ve.Message
}

func validationMessage(err error) string {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return ve.Message
	}
	return err.Error()
}

func truncate(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
