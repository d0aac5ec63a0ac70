package importer

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/sambad/sambad/models"
)

type columnKind int

const (
	colIgnored columnKind = iota
	colPhone
	colName
	colVariable
	colGroups
	colAttribute
)

type column struct {
	kind columnKind
	n    int    // variable number for colVariable
	attr string // attribute name for colAttribute
}

// layout maps a file's columns to contact fields.
type layout struct {
	cols   []column
	fields models.ImportFields
	notes  []string // shown in the preview: columns renamed or ignored
	// neutralised is true for CSV files, whose formula-like cells an
	// export prefixed with an apostrophe (XLSX text cells need no prefix).
	neutralised bool
}

var (
	validAttribute = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	notAttribute   = regexp.MustCompile(`[^A-Za-z0-9_]+`)
)

// headerKey folds a header cell for matching the known column names.
func headerKey(h string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(h)))
}

// parseHeader reads the header row. Known columns are matched ignoring case
// and spaces; any other column becomes an extra attribute, its name made
// usable in message templates (letters, digits and _) when it is not.
func parseHeader(line int, cells []string) (*layout, error) {
	if len(cells) > MaxColumns {
		// The sources stop such a row first; checked again before building.
		return nil, tooManyCells(line)
	}
	l := &layout{cols: make([]column, len(cells))}
	var ns notes
	seen := map[string]int{} // field → 1-based column
	var names []string
	lastNamed := 0
	for i, h := range cells {
		if strings.TrimSpace(h) != "" {
			lastNamed = i + 1
			names = append(names, strings.TrimSpace(h))
		}
	}
	claim := func(field string, i int, h string) error {
		if prev, ok := seen[field]; ok {
			return fileErrorf("row %d: columns %d (%q) and %d (%q) both give the %s: keep one", line, prev, echo(strings.TrimSpace(cells[prev-1])), i+1, echo(h), field)
		}
		seen[field] = i + 1
		return nil
	}
	attrs := 0
	for i, raw := range cells {
		h := strings.TrimSpace(raw)
		key := headerKey(h)
		var col column
		var err error
		switch {
		case h == "":
			if i+1 < lastNamed {
				ns.add("column %d has no name in the header: its cells are ignored", i+1)
			}
		case key == "phone" || key == "number" || key == "mobile" || key == "phonenumber" || key == "mobilenumber":
			col, err = column{kind: colPhone}, claim("phone", i, h)
		case key == "name" || key == "fullname":
			col, err = column{kind: colName}, claim("name", i, h)
			l.fields.Name = true
		case models.VariableIndex(h) > 0:
			n := models.VariableIndex(h)
			col, err = column{kind: colVariable, n: n}, claim(fmt.Sprintf("variable v%d", n), i, h)
			l.fields.Variables[n-1] = true
		case key == "groups" || key == "group":
			col, err = column{kind: colGroups}, claim("groups", i, h)
		case key == "id":
			ns.add("column %q is ignored: Sambad gives each contact its own id", h)
		case key == "onwhatsapp" || key == "onwhatsappcheckedat":
			ns.add("column %q is ignored: only a number check sets whether a contact is on WhatsApp", h)
		default:
			name, ok := attributeName(h)
			if !ok {
				ns.add("column %q is ignored: an attribute name needs at least one letter or digit (A-Z, 0-9)", echo(h))
				break
			}
			if name != h {
				ns.add("column %q is stored as the attribute %s (names hold only letters, digits and _)", echo(h), name)
			}
			col, err = column{kind: colAttribute, attr: name}, claim("attribute "+name, i, h)
			l.fields.Attributes = append(l.fields.Attributes, name)
			attrs++
		}
		if err != nil {
			return nil, err
		}
		l.cols[i] = col
	}
	if _, ok := seen["phone"]; !ok {
		found := "no named columns"
		if len(names) > 10 {
			found = "the columns " + strings.Join(quoteAll(names[:10]), ", ") + fmt.Sprintf(" and %d more", len(names)-10)
		} else if len(names) > 0 {
			found = "the columns " + strings.Join(quoteAll(names), ", ")
		}
		return nil, fileErrorf("row %d (the header) has no phone column: it has %s. Name the column with the numbers phone, number or mobile", line, found)
	}
	if attrs > models.MaxAttributes {
		return nil, fileErrorf("row %d (the header) has %d extra columns; at most %d can become contact attributes: remove some", line, attrs, models.MaxAttributes)
	}
	l.notes = ns.done()
	return l, nil
}

// attributeName makes a header usable as an attribute name: letters,
// digits and _, not starting with a digit, at most models.MaxAttributeKey
// long, and not a name Sambad uses itself.
func attributeName(h string) (string, bool) {
	if validAttribute.MatchString(h) && len(h) <= models.MaxAttributeKey && !reserved(h) {
		return h, true
	}
	n := strings.Trim(notAttribute.ReplaceAllString(h, "_"), "_")
	if n == "" {
		return "", false
	}
	if n[0] >= '0' && n[0] <= '9' {
		n = "col_" + n
	}
	if len(n) > models.MaxAttributeKey {
		n = n[:models.MaxAttributeKey]
	}
	if reserved(n) {
		n = "extra_" + n
	}
	return n, true
}

func reserved(k string) bool {
	if models.VariableIndex(k) > 0 {
		return true
	}
	switch strings.ToLower(k) {
	case "id", "phone", "name", "number", "mobile", "fullname", "groups", "on_whatsapp", "on_whatsapp_checked_at":
		return true
	}
	return false
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", echo(s))
	}
	return out
}

// maxEcho caps how much of a person's input a message repeats.
const maxEcho = 64

// echo cuts s to maxEcho characters, marking the cut with "…", for
// messages that repeat what a file holds.
func echo(s string) string { return truncate(s, maxEcho) }
