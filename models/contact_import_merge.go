package models

import (
	"fmt"
	"sort"
)

// FieldChange is one field an import changes on a stored contact; an empty
// Old or New is an empty field.
type FieldChange struct {
	Field string `json:"field"` // "name", "v1".."v10" or an attribute's name
	Old   string `json:"old"`
	New   string `json:"new"`
}

// MergeImport returns the stored contact ex as an import row in changes it:
// only the fields the file has columns for change, and an empty cell clears
// its field. The import and its preview both use it, so the preview shows
// what the import will write.
func MergeImport(ex, in *Contact, fields ImportFields) Contact {
	c := *ex
	if fields.Name {
		c.Name = in.Name
	}
	for i, present := range fields.Variables {
		if present {
			c.SetVariable(i+1, in.Variable(i+1))
		}
	}
	attrs := Attributes{}
	for k, v := range ex.Attributes {
		attrs[k] = v
	}
	for _, k := range fields.Attributes {
		if v, ok := in.Attributes[k]; ok && v != "" {
			attrs[k] = v
		} else {
			delete(attrs, k)
		}
	}
	c.Attributes = attrs
	return c
}

// ContactChanges lists the fields that differ from old to merged: the name,
// then v1..v10, then attributes by name.
func ContactChanges(old, merged *Contact) []FieldChange {
	var out []FieldChange
	if old.Name != merged.Name {
		out = append(out, FieldChange{"name", old.Name, merged.Name})
	}
	for i := 1; i <= VariableCount; i++ {
		if a, b := old.Variable(i), merged.Variable(i); a != b {
			out = append(out, FieldChange{fmt.Sprintf("v%d", i), a, b})
		}
	}
	keys := map[string]bool{}
	for k := range old.Attributes {
		keys[k] = true
	}
	for k := range merged.Attributes {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if a, b := old.Attributes[k], merged.Attributes[k]; a != b {
			out = append(out, FieldChange{k, a, b})
		}
	}
	return out
}
