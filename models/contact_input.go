package models

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sambad/sambad/phone"
)

// Field limits, shared by the pages, the API and the importer.
const (
	MaxNameLen      = 200
	MaxVariableLen  = 1000
	MaxAttributes   = 50
	MaxAttributeKey = 64
)

// ValidationError is an error a person caused and can fix: it names the field.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

var attributeKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ContactInput is what a person submits for one contact, before validation.
type ContactInput struct {
	Phone      string            `json:"phone"`
	Name       string            `json:"name"`
	Variables  map[string]string `json:"variables"`
	Attributes map[string]string `json:"attributes"`
	OptedOut   bool              `json:"opted_out"`
}

// Apply validates the input and writes it onto c. The phone is normalised to
// E.164, reading local numbers as numbers of region.
func (in ContactInput) Apply(c *Contact, region string) error {
	p, err := phone.Normalize(in.Phone, region)
	if err != nil {
		msg := fmt.Sprintf("'%s' is not a valid number for region %s", echoInput(strings.TrimSpace(in.Phone)), region)
		if strings.TrimSpace(in.Phone) == "" {
			msg = "is required"
		}
		return &ValidationError{Field: "phone", Message: msg}
	}
	name := strings.TrimSpace(in.Name)
	if utf8.RuneCountInString(name) > MaxNameLen {
		return &ValidationError{Field: "name", Message: fmt.Sprintf("is longer than %d characters", MaxNameLen)}
	}
	var vars [VariableCount]string
	for k, v := range in.Variables {
		n := VariableIndex(k)
		if n == 0 {
			return &ValidationError{Field: "variables", Message: fmt.Sprintf("unknown variable %q: use v1 to v10", echoInput(k))}
		}
		if utf8.RuneCountInString(v) > MaxVariableLen {
			return &ValidationError{Field: k, Message: fmt.Sprintf("is longer than %d characters", MaxVariableLen)}
		}
		vars[n-1] = strings.TrimSpace(v)
	}
	if len(in.Attributes) > MaxAttributes {
		return &ValidationError{Field: "attributes", Message: fmt.Sprintf("at most %d extra attributes", MaxAttributes)}
	}
	attrs := Attributes{}
	for k, v := range in.Attributes {
		k = strings.TrimSpace(k)
		if len(k) > MaxAttributeKey || !attributeKey.MatchString(k) {
			return &ValidationError{Field: "attributes", Message: fmt.Sprintf("attribute name %q must start with a letter and hold only letters, digits and _", echoInput(k))}
		}
		if VariableIndex(k) != 0 || reservedField(k) {
			return &ValidationError{Field: "attributes", Message: fmt.Sprintf("attribute name %q is reserved", k)}
		}
		if utf8.RuneCountInString(v) > MaxVariableLen {
			return &ValidationError{Field: k, Message: fmt.Sprintf("is longer than %d characters", MaxVariableLen)}
		}
		attrs[k] = v
	}
	c.Phone, c.Name, c.Attributes, c.OptedOut = p, name, attrs, in.OptedOut
	for i, v := range vars {
		c.SetVariable(i+1, v)
	}
	return nil
}

// InputFromContact is the inverse of Apply, for edit forms and PATCH.
func InputFromContact(c *Contact) ContactInput {
	attrs := map[string]string{}
	for k, v := range c.Attributes {
		attrs[k] = v
	}
	return ContactInput{Phone: c.Phone, Name: c.Name, Variables: c.VariableMap(), Attributes: attrs, OptedOut: c.OptedOut}
}

// VariableIndex returns N for "vN" or "varN" (1..10), else 0.
func VariableIndex(key string) int {
	k := strings.ToLower(strings.TrimSpace(key))
	switch {
	case strings.HasPrefix(k, "var"):
		k = k[3:]
	case strings.HasPrefix(k, "v"):
		k = k[1:]
	default:
		return 0
	}
	n := 0
	for _, r := range k {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
		if n > VariableCount {
			return 0
		}
	}
	if n < 1 || len(k) > 2 || k[0] == '0' {
		return 0
	}
	return n
}

func reservedField(k string) bool {
	switch strings.ToLower(k) {
	case "id", "phone", "name", "number", "mobile", "fullname", "groups", "on_whatsapp", "on_whatsapp_checked_at":
		return true
	}
	return false
}

// maxEcho caps how much of a person's input an error message repeats.
const maxEcho = 64

// echoInput cuts s to maxEcho characters, marking the cut with "…": a
// 900,000-digit phone was echoed back whole.
func echoInput(s string) string {
	n := 0
	for i := range s {
		if n == maxEcho {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
