// Package campaign is Sambad's campaign engine: message templates, planning,
// pacing, the runner that sends at-most-once and the reconciler that settles
// sends a crash interrupted. It declares the small interfaces it needs (Store,
// Sender) so it can run against a null sender in tests and the WhatsApp
// driver in production.
package campaign

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/sambad/sambad/models"
)

// TemplateError is a mistake in a template, with where it is.
type TemplateError struct {
	Offset int // byte offset
	Line   int // 1-based
	Col    int // 1-based, in characters
	Msg    string
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("template: line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

type nodeKind uint8

const (
	textNode nodeKind = iota
	varNode
	spinNode
)

type node struct {
	kind   nodeKind
	text   string   // textNode: the text; varNode: the default
	name   string   // varNode: the variable, lower-cased for built-ins
	hasDef bool     // varNode: a default was given ({{v1|friend}})
	opts   [][]node // spinNode: the choices
	pos    int
}

// Template is a parsed message template:
//
//	{{name}} {{phone}} {{v1}}..{{v10}} {{city}}   variables (city: any extra attribute)
//	{{v1|friend}}                                  a default when the value is empty
//	{Hi|Hello|Hey}                                 spintax: one choice per recipient
//	\{ \} \| \\                                    literal characters
type Template struct {
	src   string
	nodes []node
	vars  []node // every variable, in order, for checking
}

// ParseTemplate parses src; an unbalanced brace or a malformed variable is a
// *TemplateError naming its line and column.
func ParseTemplate(src string) (*Template, error) {
	p := &parser{src: src}
	nodes, err := p.parseSeq(0)
	if err != nil {
		return nil, err
	}
	return &Template{src: src, nodes: nodes, vars: p.vars}, nil
}

type parser struct {
	src  string
	i    int
	vars []node
}

func (p *parser) errAt(off int, format string, args ...any) *TemplateError {
	line, col := 1, 1
	for _, r := range p.src[:min(off, len(p.src))] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &TemplateError{Offset: off, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// parseSeq reads nodes until the end, or, inside spintax (depth > 0), until
// the "|" or "}" that ends the current choice.
func (p *parser) parseSeq(depth int) ([]node, error) {
	var nodes []node
	var text strings.Builder
	flushText := func() {
		if text.Len() > 0 {
			nodes = append(nodes, node{kind: textNode, text: text.String()})
			text.Reset()
		}
	}
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.src) && strings.IndexByte(`{}|\`, p.src[p.i+1]) >= 0:
			text.WriteByte(p.src[p.i+1])
			p.i += 2
		case strings.HasPrefix(p.src[p.i:], "{{"):
			flushText()
			n, err := p.parseVar()
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		case c == '{':
			flushText()
			n, err := p.parseSpin(depth)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		case c == '}' || c == '|':
			if depth > 0 {
				flushText()
				return nodes, nil
			}
			if c == '|' {
				text.WriteByte(c)
				p.i++
				continue
			}
			return nil, p.errAt(p.i, "this } closes nothing (write \\} for a literal brace)")
		default:
			text.WriteByte(c)
			p.i++
		}
	}
	flushText()
	return nodes, nil
}

const maxSpinDepth = 10

func (p *parser) parseSpin(depth int) (node, error) {
	start := p.i
	if depth >= maxSpinDepth {
		return node{}, p.errAt(start, "spintax is nested more than %d deep", maxSpinDepth)
	}
	p.i++ // {
	n := node{kind: spinNode, pos: start}
	for {
		opt, err := p.parseSeq(depth + 1)
		if err != nil {
			return node{}, err
		}
		n.opts = append(n.opts, opt)
		if p.i >= len(p.src) {
			return node{}, p.errAt(start, "this { is never closed (write \\{ for a literal brace)")
		}
		c := p.src[p.i]
		p.i++
		if c == '}' {
			break
		}
	}
	if len(n.opts) == 1 && len(n.opts[0]) == 0 {
		return node{}, p.errAt(start, "{} is empty: give choices like {Hi|Hello}")
	}
	return n, nil
}

func (p *parser) parseVar() (node, error) {
	start := p.i
	end := strings.Index(p.src[p.i+2:], "}}")
	if end < 0 {
		return node{}, p.errAt(start, "this {{ is never closed with }}")
	}
	inner := p.src[p.i+2 : p.i+2+end]
	if j := strings.IndexAny(inner, "{\n"); j >= 0 {
		return node{}, p.errAt(start, "this {{ is not closed before %q", inner[j:j+1])
	}
	p.i += 2 + end + 2
	name, def, hasDef := strings.Cut(inner, "|")
	name = strings.TrimSpace(name)
	if !validVarName(name) {
		if name == "" {
			return node{}, p.errAt(start, "{{}} names no variable")
		}
		return node{}, p.errAt(start, "%q is not a variable name (letters, digits and _, starting with a letter)", name)
	}
	if builtin(strings.ToLower(name)) {
		name = strings.ToLower(name)
	}
	n := node{kind: varNode, name: name, text: def, hasDef: hasDef, pos: start}
	p.vars = append(p.vars, n)
	return n, nil
}

func validVarName(s string) bool {
	if s == "" || len(s) > models.MaxAttributeKey {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func builtin(name string) bool {
	return name == "name" || name == "phone" || models.VariableIndex(name) != 0
}

// Check reports the first variable that is neither built in (name, phone,
// v1..v10) nor one of the extra attribute names given.
func (t *Template) Check(attributes []string) error {
	known := make(map[string]bool, len(attributes))
	for _, a := range attributes {
		known[a] = true
	}
	for _, v := range t.vars {
		if builtin(v.name) || known[v.name] {
			continue
		}
		p := &parser{src: t.src}
		hint := "name, phone, v1 to v10"
		if len(attributes) > 0 {
			hint += " or an attribute (" + strings.Join(attributes, ", ") + ")"
		}
		return p.errAt(v.pos, "unknown variable {{%s}}: use %s", v.name, hint)
	}
	return nil
}

// Variables returns the names of the variables the template uses.
func (t *Template) Variables() []string {
	out := make([]string, 0, len(t.vars))
	for _, v := range t.vars {
		out = append(out, v.name)
	}
	return out
}

// Seed returns the spintax seed for one recipient: the same campaign and
// contact always give the same choices, so a retry shows the same text.
func Seed(campaignID, contactID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(campaignID))
	h.Write([]byte{0})
	h.Write([]byte(contactID))
	return h.Sum64()
}

// Render fills the template for one contact with the spintax choices that
// seed selects.
func (t *Template) Render(c *models.Contact, seed uint64) string {
	var b strings.Builder
	b.Grow(len(t.src) + 32)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	renderNodes(&b, t.nodes, c, rng)
	return b.String()
}

func renderNodes(b *strings.Builder, nodes []node, c *models.Contact, rng *rand.Rand) {
	for i := range nodes {
		n := &nodes[i]
		switch n.kind {
		case textNode:
			b.WriteString(n.text)
		case varNode:
			v := lookup(c, n.name)
			if v == "" && n.hasDef {
				v = n.text
			}
			b.WriteString(v)
		case spinNode:
			renderNodes(b, n.opts[rng.IntN(len(n.opts))], c, rng)
		}
	}
}

func lookup(c *models.Contact, name string) string {
	switch name {
	case "name":
		return c.Name
	case "phone":
		return c.Phone
	}
	if i := models.VariableIndex(name); i != 0 {
		return c.Variable(i)
	}
	return c.Attributes[name]
}

// Length is the template's length in characters.
func (t *Template) Length() int { return utf8.RuneCountInString(t.src) }
