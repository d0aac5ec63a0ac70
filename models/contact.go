package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// VariableCount is how many per-contact variables (v1..v10) there are.
const VariableCount = 10

// Attributes are a contact's free extra fields (city, company, ...), stored as JSON.
type Attributes map[string]string

// Value implements driver.Valuer.
func (a Attributes) Value() (driver.Value, error) {
	if a == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(a))
	return string(b), err
}

// Scan implements sql.Scanner.
func (a *Attributes) Scan(v any) error {
	m := map[string]string{}
	if err := scanJSON(v, &m, "attributes"); err != nil {
		return err
	}
	*a = m
	return nil
}

// Contact is a person Sambad can message.
type Contact struct {
	ID         string     `gorm:"primaryKey" json:"id"`
	Phone      string     `json:"phone"`
	Name       string     `json:"name"`
	V1         string     `gorm:"column:v1" json:"-"`
	V2         string     `gorm:"column:v2" json:"-"`
	V3         string     `gorm:"column:v3" json:"-"`
	V4         string     `gorm:"column:v4" json:"-"`
	V5         string     `gorm:"column:v5" json:"-"`
	V6         string     `gorm:"column:v6" json:"-"`
	V7         string     `gorm:"column:v7" json:"-"`
	V8         string     `gorm:"column:v8" json:"-"`
	V9         string     `gorm:"column:v9" json:"-"`
	V10        string     `gorm:"column:v10" json:"-"`
	Attributes Attributes `gorm:"type:text" json:"attributes"`
	OptedOut   bool       `json:"opted_out"`
	SearchText string     `json:"-"`
	// OnWhatsApp is what the last number check found; nil is not known.
	OnWhatsApp *bool `gorm:"column:on_whatsapp" json:"on_whatsapp"`
	// OnWhatsAppCheckedAt is when it was found; nil when never checked.
	OnWhatsAppCheckedAt *time.Time `gorm:"column:on_whatsapp_checked_at" json:"on_whatsapp_checked_at"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
}

// Variables returns v1..v10 as a slice, index 0 being v1.
func (c *Contact) Variables() []string {
	return []string{c.V1, c.V2, c.V3, c.V4, c.V5, c.V6, c.V7, c.V8, c.V9, c.V10}
}

// Variable returns vN (1-based); "" when out of range.
func (c *Contact) Variable(n int) string {
	if n < 1 || n > VariableCount {
		return ""
	}
	return c.Variables()[n-1]
}

// SetVariable sets vN (1-based).
func (c *Contact) SetVariable(n int, v string) {
	ptrs := []*string{&c.V1, &c.V2, &c.V3, &c.V4, &c.V5, &c.V6, &c.V7, &c.V8, &c.V9, &c.V10}
	if n >= 1 && n <= VariableCount {
		*ptrs[n-1] = v
	}
}

// VariableMap returns the non-empty variables keyed v1..v10.
func (c *Contact) VariableMap() map[string]string {
	m := map[string]string{}
	for i, v := range c.Variables() {
		if v != "" {
			m[fmt.Sprintf("v%d", i+1)] = v
		}
	}
	return m
}

// MarshalJSON adds the variables as an object, the API's shape.
func (c Contact) MarshalJSON() ([]byte, error) {
	type plain Contact
	attrs := c.Attributes
	if attrs == nil {
		attrs = Attributes{}
	}
	c.Attributes = attrs
	return json.Marshal(struct {
		plain
		Variables map[string]string `json:"variables"`
	}{plain(c), c.VariableMap()})
}

// refreshSearch recomputes the lower-cased text the list search matches.
// It is the lower-cased join of name, phone and v1..v10 with \x1f, built
// in one buffer (an import computes it for every row).
func (c *Contact) refreshSearch() {
	parts := [...]string{c.Name, c.Phone, c.V1, c.V2, c.V3, c.V4, c.V5, c.V6, c.V7, c.V8, c.V9, c.V10}
	n := len(parts) - 1
	for _, p := range parts {
		n += len(p)
	}
	var sb strings.Builder
	sb.Grow(n)
	for i, p := range parts {
		if i > 0 {
			sb.WriteByte('\x1f')
		}
		sb.WriteString(p)
	}
	c.SearchText = strings.ToLower(sb.String())
}

// BeforeSave keeps SearchText in step with the fields it is made of.
func (c *Contact) BeforeSave(*gorm.DB) error {
	c.refreshSearch()
	return nil
}

// WhatsApp is what the last number check found: "yes", "no", or "" when
// not known.
func (c Contact) WhatsApp() string {
	switch {
	case c.OnWhatsApp == nil:
		return ""
	case *c.OnWhatsApp:
		return "yes"
	}
	return "no"
}
