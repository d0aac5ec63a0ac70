package models

import (
	"encoding/json"
	"fmt"
)

// scanJSON decodes a JSON column (TEXT in SQLite, JSONB in Postgres) into
// dst; NULL and empty leave dst as the caller reset it.
func scanJSON(v any, dst any, what string) error {
	var b []byte
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(t)
	case []byte:
		b = t
	default:
		return fmt.Errorf("%s: unexpected type %T", what, v)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
