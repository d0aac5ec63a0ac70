package models

import (
	"context"
	"fmt"
	"strings"
)

// maxPreviewIDs bounds the groups and contacts of an audience preview.
const maxPreviewIDs = 1000

// AudiencePreview counts the audience of groups and contacts not saved yet
// (the campaign form while it is edited), as AudienceCounts does for a
// saved campaign, and returns its first contact who is not opted out (nil
// when there is none).
// audienceColumns are the contact columns scanContact reads.
const audienceColumns = "c.id, c.phone, c.name, c.v1, c.v2, c.v3, c.v4, c.v5, c.v6, c.v7, c.v8, c.v9, c.v10, c.attributes, c.opted_out, c.on_whatsapp, c.on_whatsapp_checked_at"

func (s *Store) AudiencePreview(ctx context.Context, groupIDs, contactIDs []string) (total, optedOut int64, first *Contact, err error) {
	if len(groupIDs)+len(contactIDs) == 0 {
		return 0, 0, nil, nil
	}
	if len(groupIDs) > maxPreviewIDs || len(contactIDs) > maxPreviewIDs {
		return 0, 0, nil, &ValidationError{Message: fmt.Sprintf("too many groups or contacts to preview (at most %d of each)", maxPreviewIDs)}
	}
	marks := func(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }
	// Members of the groups and the contacts chosen one by one, each once.
	// Ids that are not ids (a tampered form) match nothing.
	var parts []string
	var args []any
	valid := func(list []string) []any {
		var out []any
		for _, id := range list {
			if ValidID(id) {
				out = append(out, id)
			}
		}
		return out
	}
	if g := valid(groupIDs); len(g) > 0 {
		parts = append(parts, "c.id IN (SELECT gm.contact_id FROM group_members gm WHERE gm.group_id IN ("+marks(len(g))+"))")
		args = append(args, g...)
	}
	if c := valid(contactIDs); len(c) > 0 {
		parts = append(parts, "c.id IN ("+marks(len(c))+")")
		args = append(args, c...)
	}
	if len(parts) == 0 {
		return 0, 0, nil, nil
	}
	where := "(" + strings.Join(parts, " OR ") + ")"
	q := s.rebind("SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.opted_out THEN 1 ELSE 0 END), 0) FROM contacts c WHERE " + where)
	if err := s.sqlDB().QueryRowContext(ctx, q, args...).Scan(&total, &optedOut); err != nil {
		return 0, 0, nil, fmt.Errorf("store: unable to count the audience: %w", err)
	}
	rows, err := s.sqlDB().QueryContext(ctx, s.rebind("SELECT "+audienceColumns+" FROM contacts c WHERE "+where+" AND NOT c.opted_out ORDER BY c.name, c.id LIMIT 1"), args...)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("store: unable to read the audience: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		first = &Contact{}
		if err := scanContact(rows, first); err != nil {
			return 0, 0, nil, fmt.Errorf("store: unable to read the audience: %w", err)
		}
	}
	return total, optedOut, first, rows.Err()
}
