package server

// groupMembersBody is the body of POST/DELETE /api/v1/groups/{id}/members.
type groupMembersBody struct {
	ContactIDs []string `json:"contact_ids"`
}

// groupBody is the body of POST /api/v1/groups and PATCH /api/v1/groups/{id}.
type groupBody struct {
	Name string `json:"name"`
}
