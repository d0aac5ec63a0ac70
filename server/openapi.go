package server

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiOpenAPI answers GET /api/v1/openapi.json: the OpenAPI 3.1 description
// of /api/v1. It is built in Go (below) rather than kept as a file so the
// enums come from the code that defines them; TestOpenAPIDescribesEveryRoute
// keeps it in step with the router.
func (s *Server) apiOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openAPIJSON())
}

var openAPIJSON = sync.OnceValue(func() []byte {
	b, err := json.MarshalIndent(OpenAPI(), "", "  ")
	if err != nil {
		panic("server: the OpenAPI description does not encode: " + err.Error())
	}
	return b
})

type obj = map[string]any

func ref(name string) obj     { return obj{"$ref": "#/components/schemas/" + name} }
func str() obj                { return obj{"type": "string"} }
func strEnum(v ...string) obj { return obj{"type": "string", "enum": v} }
func strFmt(f string) obj     { return obj{"type": "string", "format": f} }
func integer() obj            { return obj{"type": "integer"} }
func boolean() obj            { return obj{"type": "boolean"} }
func arr(items obj) obj       { return obj{"type": "array", "items": items} }
func nullable(t string) obj   { return obj{"type": []string{t, "null"}} }
func strMap() obj             { return obj{"type": "object", "additionalProperties": str()} }
func object(req []string, p obj) obj {
	o := obj{"type": "object", "properties": p}
	if len(req) > 0 {
		o["required"] = req
	}
	return o
}

// listPage is a list answer: {"items": [...], "total": n}.
func listPage(item string) obj {
	return object([]string{"items", "total"}, obj{"items": arr(ref(item)), "total": integer()})
}

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
}

func answer(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}

func fileAnswer(desc, mime string) obj {
	return obj{"description": desc, "content": obj{mime: obj{"schema": obj{"type": "string", "format": "binary"}}}}
}

func pathParam(name, desc string) obj {
	return obj{"name": name, "in": "path", "required": true, "description": desc, "schema": str()}
}

func queryParam(name, desc string, schema obj) obj {
	return obj{"name": name, "in": "query", "description": desc, "schema": schema}
}

var (
	idParam      = pathParam("id", "The UUID of the resource.")
	pageParams   = []obj{queryParam("page", "Page number, from 1.", integer()), queryParam("per_page", "Items per page (50 by default).", integer())}
	errorAnswers = obj{
		"400": obj{"$ref": "#/components/responses/Error"},
		"401": obj{"$ref": "#/components/responses/Error"},
		// Staff on an admin-only route.
		"403": obj{"$ref": "#/components/responses/Error"},
		"404": obj{"$ref": "#/components/responses/Error"},
		// The body is over the route's limit.
		"413": obj{"$ref": "#/components/responses/Error"},
		"422": obj{"$ref": "#/components/responses/Error"},
		// Too many wrong tokens from the caller's address.
		"429": obj{"$ref": "#/components/responses/Error"},
		"500": obj{"$ref": "#/components/responses/Error"},
		// The campaign engine or WhatsApp is not running, or the cloud
		// database cannot be reached.
		"503": obj{"$ref": "#/components/responses/Error"},
	}
)

// sessionStates are the session state names of /session and the accounts.
var sessionStates = []string{"stopped", "starting", "loading", "qr", "ready", "conflict", "phone_offline", "logged_out", "crashed", "restarting", "failed"}

// accountInputProps are the fields a person sets on an account.
func accountInputProps() obj {
	return obj{"name": obj{"type": "string", "description": "1 to 60 characters."},
		"daily_cap":   obj{"type": "integer", "description": "0 (no cap) to 100000; new accounts get the Settings page's default."},
		"quiet_start": obj{"type": "string", "description": "HH:MM; give with quiet_end, both empty for none."},
		"quiet_end":   obj{"type": "string", "description": "HH:MM."}}
}

// with2 merges answer maps.
func with2(a, b obj) obj {
	out := obj{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// op is one operation: summary, parameters, body (nil: none) and answers by
// status; the error answers are added to each.
func op(summary string, params []obj, body obj, answers obj) obj {
	o := obj{"summary": summary, "responses": obj{}}
	for k, v := range errorAnswers {
		o["responses"].(obj)[k] = v
	}
	for k, v := range answers {
		o["responses"].(obj)[k] = v
	}
	if len(params) > 0 {
		o["parameters"] = params
	}
	if body != nil {
		o["requestBody"] = body
	}
	return o
}

func with(ps ...[]obj) []obj {
	var out []obj
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

func one(p ...obj) []obj { return p }

// OpenAPI returns the description of /api/v1 as a JSON-ready value.
func OpenAPI() obj {
	ok := func(desc, schema string) obj { return obj{"200": answer(desc, ref(schema))} }
	created := func(schema string) obj { return obj{"201": answer("Created.", ref(schema))} }
	noContent := obj{"204": obj{"description": "Done; no body."}}
	multipart := func(props obj, req ...string) obj {
		return obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": object(req, props)}}}
	}
	paths := obj{
		"/openapi.json": obj{"get": op("This description", nil, nil, obj{"200": answer("The OpenAPI 3.1 description.", obj{"type": "object"})})},

		"/contacts": obj{
			"get": op("List contacts", with(pageParams, one(queryParam("q", "Search name, phone and variables.", str()),
				queryParam("group_id", "Only members of this group.", str()),
				queryParam("on_whatsapp", "Only contacts a number check found on WhatsApp (true), not on it (false), or never checked (unknown).", strEnum(models.OnWhatsAppFilters...)))),
				nil, ok("A page of contacts.", "ContactPage")),
			"post": op("Create a contact", nil, jsonBody(ref("ContactInput")), created("Contact")),
		},
		"/contacts/{id}": obj{
			"get":    op("Get a contact", one(idParam), nil, ok("The contact.", "Contact")),
			"patch":  op("Change a contact (absent fields stay)", one(idParam), jsonBody(ref("ContactPatch")), ok("The contact.", "Contact")),
			"delete": op("Delete a contact", one(idParam), nil, noContent),
		},
		"/contacts/import": obj{"post": op("Import contacts from CSV or XLSX", one(
			queryParam("mode", "What to do with phones already stored.", strEnum("update", "skip")),
			queryParam("dry_run", "Check only; store nothing.", boolean())),
			multipart(obj{"file": strFmt("binary"), "mode": strEnum("update", "skip"), "dry_run": boolean(),
				"add_to_groups": obj{"type": "string", "description": "Group names, comma-separated; missing ones are created."}}, "file"),
			ok("The import report.", "ImportReport"))},
		"/contacts/export.csv": obj{"get": op("Export contacts as CSV (with on_whatsapp and on_whatsapp_checked_at last)", one(queryParam("q", "Search.", str()), queryParam("group_id", "Only this group.", str()),
			queryParam("on_whatsapp", "Only contacts with this number check result.", strEnum(models.OnWhatsAppFilters...))), nil,
			obj{"200": fileAnswer("The contacts.", "text/csv")})},

		"/numbers/check": obj{"post": op("Check up to 1,000 numbers or contacts on WhatsApp: starts a paced job; follow it with GET",
			nil, jsonBody(ref("NumberCheckInput")), obj{"202": answer("The job, queued.", ref("NumberCheck"))})},
		"/numbers/check/{id}": obj{"get": op("A number check job: state, progress and each number's result so far", one(idParam), nil,
			obj{"200": answer("The job and its results.", object([]string{"check", "done", "results"}, obj{
				"check": ref("NumberCheck"), "done": integer(), "results": arr(ref("NumberCheckResult"))}))})},
		"/numbers/check/{id}/cancel": obj{"post": op("Cancel a number check job; the results found so far are kept", one(idParam), nil,
			obj{"200": answer("The job, cancelled.", ref("NumberCheck")), "409": obj{"$ref": "#/components/responses/Error"}})},

		"/groups": obj{
			"get":  op("List groups", nil, nil, ok("Every group.", "GroupPage")),
			"post": op("Create a group", nil, jsonBody(ref("GroupInput")), created("Group")),
		},
		"/groups/{id}": obj{
			"get":    op("Get a group", one(idParam), nil, ok("The group.", "Group")),
			"patch":  op("Rename a group", one(idParam), jsonBody(ref("GroupInput")), ok("The group.", "Group")),
			"delete": op("Delete a group (its contacts stay)", one(idParam), nil, noContent),
		},
		"/groups/{id}/members": obj{
			"post":   op("Add contacts to a group", one(idParam), jsonBody(ref("ContactIDs")), obj{"200": answer("How many were added.", object([]string{"added"}, obj{"added": integer()}))}),
			"delete": op("Remove contacts from a group", one(idParam), jsonBody(ref("ContactIDs")), obj{"200": answer("How many were removed.", object([]string{"removed"}, obj{"removed": integer()}))}),
		},

		"/campaigns": obj{
			"get":  op("List campaigns", nil, nil, obj{"200": answer("Every campaign.", object([]string{"items"}, obj{"items": arr(ref("Campaign"))}))}),
			"post": op("Create a campaign (a draft, or scheduled with scheduled_at)", nil, jsonBody(ref("CampaignInput")), created("Campaign")),
		},
		"/campaigns/{id}": obj{
			"get": op("Get a campaign with its counts", one(idParam), nil, ok("The campaign.", "Campaign")),
			"patch": op("Change a draft's or scheduled campaign's name, message, files, caption mode, audience or pacing (a paused one's name and pacing); fields left out keep their values",
				one(idParam), jsonBody(ref("CampaignPatch")),
				obj{"200": answer("The campaign as changed.", ref("Campaign")), "409": obj{"$ref": "#/components/responses/Error"}, "422": obj{"$ref": "#/components/responses/Error"}}),
		},
		"/campaigns/{id}/duplicate": obj{"post": op("Copy a campaign into a new draft (run again): same message, files, audience and pacing",
			one(idParam), nil, created("Campaign"))},
		"/campaigns/{id}/release-held": obj{"post": op("Release the recipients a WhatsApp account holds in the current run (left sending by a send it could not finish, or part-sent files pinned to it) when that account will not come back: they become unknown, with a reason naming the account, for you to decide (mark sent or resend through any account of the campaign). Admins only",
			one(idParam), jsonBody(object([]string{"account_id"}, obj{"account_id": obj{"type": "string", "description": "The account whose held recipients to release."}})),
			obj{"200": answer("How many were released.", object([]string{"released"}, obj{"released": integer()})),
				"404": obj{"$ref": "#/components/responses/Error"},
				"409": obj{"$ref": "#/components/responses/Error"}})},
		"/campaigns/{id}/{action}": obj{"post": op("Start, pause, resume, stop a campaign or retry its failed recipients",
			one(idParam, obj{"name": "action", "in": "path", "required": true, "schema": strEnum("start", "pause", "resume", "stop", "retry-failed")}), nil,
			obj{"200": answer("The campaign in its new state.", ref("Campaign")), "409": obj{"$ref": "#/components/responses/Error"}})},
		"/campaigns/{id}/recipients": obj{"get": op("List a campaign's recipients", with(one(idParam), pageParams,
			one(queryParam("state", "Only recipients in this state.", strEnum(models.RecipientStates...)), queryParam("run", "Only this run.", integer()),
				queryParam("messages", "1: each recipient lists its messages (the text and each file) in \"messages\".", strEnum("1")))), nil,
			ok("A page of recipients.", "RecipientPage"))},
		"/campaigns/{id}/report.csv": obj{"get": op("A campaign's report as CSV", with(one(idParam),
			one(queryParam("messages", "1: one row per message (the text and each file) instead of one per recipient.", strEnum("1")))), nil,
			obj{"200": fileAnswer("One row per recipient, or per message.", "text/csv")})},
		"/campaigns/{id}/report.pdf": obj{"get": op("A campaign's report as PDF: totals, the delivery chart, the runs and the recipients (the first 5,000; the CSV has all)",
			with(one(idParam), one(queryParam("only", "failed: only the failed, not-on-WhatsApp and unknown recipients.", strEnum("failed")))), nil,
			obj{"200": fileAnswer("The PDF, printed by a headless Chromium of its own (WhatsApp need not be linked).", "application/pdf"),
				"503": obj{"$ref": "#/components/responses/Error"}})},

		"/media": obj{
			"get": op("List media files", pageParams, nil, ok("A page of files.", "MediaPage")),
			"post": op("Upload files (photo, video, document)", nil, multipart(obj{"file": arr(strFmt("binary"))}, "file"),
				obj{"201": answer("The stored files (200 when every file was already stored).", object([]string{"items"}, obj{"items": arr(ref("UploadedMedia"))})),
					"200": answer("Every file was already stored.", object([]string{"items"}, obj{"items": arr(ref("UploadedMedia"))})),
					"413": obj{"$ref": "#/components/responses/Error"}}),
		},
		"/media/{id}": obj{
			"get":    op("Get a media file's details", one(idParam), nil, ok("The file.", "Media")),
			"delete": op("Delete a media file", one(idParam), nil, noContent),
		},
		"/media/{id}/content":   obj{"get": op("Download a media file", one(idParam), nil, obj{"200": fileAnswer("The bytes.", "application/octet-stream")})},
		"/media/{id}/thumbnail": obj{"get": op("A photo's or video's thumbnail", one(idParam), nil, obj{"200": fileAnswer("A JPEG.", "image/jpeg")})},

		"/accounts": obj{
			"get": op("List the WhatsApp accounts, first one first, with their session state and today's sends", nil, nil,
				obj{"200": answer("Every account.", object([]string{"items", "total", "max"}, obj{"items": arr(ref("Account")), "total": integer(),
					"max": obj{"type": "integer", "description": "SAMBAD_MAX_ACCOUNTS."}}))}),
			"post": op("Add a WhatsApp account; its browser starts so it can be linked (the QR comes in session.qr)", nil,
				jsonBody(object([]string{"name"}, accountInputProps())), with2(created("Account"), obj{"409": obj{"$ref": "#/components/responses/Error"}})),
		},
		"/accounts/{id}": obj{
			"get":   op("Get a WhatsApp account", one(idParam), nil, ok("The account.", "Account")),
			"patch": op("Rename an account or change its daily cap and quiet hours", one(idParam), jsonBody(object(nil, accountInputProps())), ok("The account.", "Account")),
			"delete": op("Remove an account: its browser stops and its profile directory (the session on this computer) is deleted; the last account cannot be removed",
				one(idParam), nil, with2(noContent, obj{"409": obj{"$ref": "#/components/responses/Error"}})),
		},
		"/accounts/{id}/session/{action}": obj{"post": op("Start, stop or log out an account's session, take it over, ask for a new QR code, or for a pairing code (link-code with {\"phone\"})",
			one(idParam, obj{"name": "action", "in": "path", "required": true, "schema": strEnum("start", "stop", "logout", "takeover", "reload-qr", "link-code")}),
			obj{"required": false, "content": obj{"application/json": obj{"schema": object(nil, obj{"phone": obj{"type": "string", "description": "link-code only: the account's own number."}})}}},
			obj{"200": answer("The account (link-code: {\"link_code\", \"account\"}).", obj{"oneOf": []obj{ref("Account"),
				object([]string{"link_code", "account"}, obj{"link_code": str(), "account": ref("Account")})}}),
				"409": obj{"$ref": "#/components/responses/Error"}, "503": obj{"$ref": "#/components/responses/Error"}})},
		"/session": obj{"get": op("The first WhatsApp account's session state", nil, nil, ok("The session.", "Session"))},
		"/session/{action}": obj{"post": op("Start, stop or log out the WhatsApp session, take it over from another tab, or ask for a new QR code",
			one(obj{"name": "action", "in": "path", "required": true, "schema": strEnum("start", "stop", "logout", "takeover", "reload-qr")}), nil,
			obj{"200": answer("The session.", ref("Session")), "409": obj{"$ref": "#/components/responses/Error"}, "503": obj{"$ref": "#/components/responses/Error"}})},
		"/messages": obj{"post": op("Send one message now: a text, or files from the media library (media_ids, up to 10, one message each, the text as the first file's caption)",
			nil, jsonBody(object([]string{"phone"}, obj{"phone": str(), "text": str(), "media_ids": arr(str()),
				"account_id": obj{"type": "string", "description": "The account to send through; absent: the first account."}})),
			obj{"200": answer("Sent (with files: status and one entry per file in messages).", ref("SendResult")), "422": obj{"$ref": "#/components/responses/Error"},
				"502": obj{"$ref": "#/components/responses/Error"}, "503": obj{"$ref": "#/components/responses/Error"}})},
		"/backup": obj{"get": op("Download a backup (zip)", nil, nil, obj{"200": fileAnswer("The backup.", "application/zip")})},

		"/webhooks": obj{
			"get":  op("List webhooks (secrets masked)", nil, nil, obj{"200": answer("Every webhook.", object([]string{"webhooks"}, obj{"webhooks": arr(ref("Webhook"))}))}),
			"post": op("Register a webhook; the answer shows its secret, the only time it is shown", nil, jsonBody(ref("WebhookInput")), created("Webhook")),
		},
		"/webhooks/{id}": obj{
			"get":    op("Get a webhook (secret masked)", one(idParam), nil, ok("The webhook.", "Webhook")),
			"patch":  op("Change a webhook; switching it on again resumes with the events it missed", one(idParam), jsonBody(ref("WebhookInput")), ok("The webhook.", "Webhook")),
			"delete": op("Delete a webhook and its delivery log", one(idParam), nil, noContent),
		},
		"/webhooks/{id}/deliveries": obj{"get": op("A webhook's delivery log, newest first", one(idParam, queryParam("limit", "At most this many (100; up to 500).", integer())), nil,
			obj{"200": answer("The deliveries.", object([]string{"deliveries"}, obj{"deliveries": arr(ref("WebhookDelivery"))}))})},
		"/webhooks/{id}/test": obj{"post": op("Send a webhook.test event now", one(idParam), nil, ok("How the delivery went.", "WebhookDelivery"))},
		"/webhooks/{id}/deliveries/{delivery}/again": obj{"post": op("Send a logged event again (same id and body)",
			one(idParam, obj{"name": "delivery", "in": "path", "required": true, "schema": integer()}), nil, ok("How the delivery went.", "WebhookDelivery"))},
		"/users": obj{
			"get":  op("List users (admins only)", nil, nil, obj{"200": answer("Every user.", object([]string{"users"}, obj{"users": arr(ref("User"))}))}),
			"post": op("Add a user (admins only); role is admin or staff (default staff)", nil, jsonBody(ref("UserInput")), created("User")),
		},
		"/users/{id}": obj{
			"patch": op("Change a user (admins only): name, role, see_numbers, or a new password (their sessions end). Demoting the last admin is 409",
				one(idParam), jsonBody(ref("UserPatch")), with2(ok("The user.", "User"), obj{"409": obj{"$ref": "#/components/responses/Error"}})),
			"delete": op("Delete a user with their sessions and tokens (admins only); deleting the last admin is 409", one(idParam), nil,
				with2(noContent, obj{"409": obj{"$ref": "#/components/responses/Error"}})),
		},
		"/tokens": obj{
			"get": op("List your API tokens; an admin sees everyone's (user_id= for one user's)",
				one(queryParam("user_id", "Only this user's tokens (admins).", str())), nil,
				obj{"200": answer("The tokens (never the tokens themselves).", object([]string{"tokens"}, obj{"tokens": arr(ref("APIToken"))}))}),
			"post": op("Make a personal API token for yourself (an admin may give user_id); the answer carries token, the only time it is shown",
				nil, jsonBody(object([]string{"name"}, obj{"name": str(), "user_id": str()})), created("NewAPIToken")),
		},
		"/tokens/{id}": obj{"delete": op("Revoke a token: your own, or anyone's for an admin", one(idParam), nil, noContent)},
		"/audit": obj{"get": op("The audit log, newest first (admins only)",
			one(queryParam("user", "Only this user's entries.", str()), queryParam("action", "An action (campaign.start) or a family ending in a dot (campaign.).", str()),
				queryParam("page", "From 1.", integer()), queryParam("per_page", "Entries a page (50; up to 500).", integer())), nil,
			obj{"200": answer("A page of entries.", object([]string{"entries", "total", "page", "per_page"},
				obj{"entries": arr(ref("AuditEntry")), "total": integer(), "page": integer(), "per_page": integer()}))})},
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Sambad API", "version": "1",
			"description": "Sambad's JSON API. Send `Authorization: Bearer <token>`: a personal token (made on the Account page or POST /tokens; it acts as its user, with their role and masked numbers for staff who may not see them) or SAMBAD_API_TOKEN (an admin). Staff get 403 on admin routes. Errors are `{\"error\": \"...\"}` with a message a person can act on. Webhook deliveries are described in the README (events, signature)."},
		"servers":  []obj{{"url": "/api/v1"}},
		"security": []obj{{"bearerAuth": []string{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"bearerAuth": obj{"type": "http", "scheme": "bearer", "description": "A personal token (sbd_…) or the value of SAMBAD_API_TOKEN."}},
			"responses":       obj{"Error": answer("The request failed; error says why.", ref("Error"))},
			"schemas":         openAPISchemas(),
		},
	}
}

func openAPISchemas() obj {
	ts := strFmt("date-time")
	return obj{
		"Error": object([]string{"error"}, obj{"error": str(),
			"line":     obj{"type": "integer", "description": "A template error: the line of the template (from 1)."},
			"column":   obj{"type": "integer", "description": "A template error: the column (from 1)."},
			"status":   obj{"type": "string", "enum": []string{"invalid_number", "failed"}, "description": "POST /messages: how the send ended."},
			"messages": obj{"type": "array", "items": ref("SentMessage"), "description": "POST /messages with media_ids: each file sent or tried, the last one the one that did not go."},
			"items":    obj{"type": "array", "items": ref("UploadedMedia"), "description": "POST /media: the files stored before the one refused."}}),
		"User": object([]string{"id", "name", "role", "see_numbers", "created_at", "updated_at"}, obj{
			"id": str(), "name": str(), "role": obj{"type": "string", "enum": []string{"admin", "staff"}},
			"see_numbers": obj{"type": "boolean", "description": "Staff see phone numbers whole only with this; admins always do."},
			"created_at":  ts, "updated_at": ts}),
		"UserInput": object([]string{"name", "password"}, obj{"name": str(), "password": obj{"type": "string", "description": "8 characters to 72 bytes."},
			"role": obj{"type": "string", "enum": []string{"admin", "staff"}}, "see_numbers": boolean()}),
		"UserPatch": object(nil, obj{"name": str(), "password": str(), "role": obj{"type": "string", "enum": []string{"admin", "staff"}}, "see_numbers": boolean()}),
		"APIToken": object([]string{"id", "user_id", "user_name", "name", "prefix", "created_at", "last_used_at"}, obj{
			"id": str(), "user_id": str(), "user_name": str(), "name": str(), "prefix": obj{"type": "string", "description": "The token's first characters."},
			"created_at": ts, "last_used_at": nullable("string")}),
		"NewAPIToken": object([]string{"id", "name", "user_id", "prefix", "created_at", "token"}, obj{
			"id": str(), "name": str(), "user_id": str(), "user_name": str(), "prefix": str(), "created_at": ts,
			"token": obj{"type": "string", "description": "Send as Authorization: Bearer <token>. Shown only in this answer; Sambad keeps its SHA-256."}}),
		"AuditEntry": object([]string{"id", "at", "user", "action", "detail", "ip", "user_agent"}, obj{
			"id": str(), "at": ts, "user_id": str(), "user": str(), "action": str(), "detail": str(), "ip": str(), "user_agent": str()}),
		"Contact": object([]string{"id", "phone", "name", "variables", "attributes", "opted_out", "created_at", "updated_at"}, obj{
			"id": str(), "phone": obj{"type": "string", "description": "E.164, such as +919876543210."}, "name": str(),
			"variables": strMap(), "attributes": strMap(), "opted_out": boolean(), "created_at": ts, "updated_at": ts,
			"on_whatsapp":            obj{"type": []string{"boolean", "null"}, "description": "What the last number check found; null: not known."},
			"on_whatsapp_checked_at": obj{"type": []string{"string", "null"}, "format": "date-time", "description": "When; null: never checked."}}),
		"NumberCheckInput": object(nil, obj{
			"numbers":     obj{"type": "array", "items": str(), "description": "Phone numbers (E.164, or national in the default region); a number that is a contact's updates that contact."},
			"contact_ids": obj{"type": "array", "items": str(), "description": "Contacts whose numbers to check. Numbers and contacts together: at most 1,000."},
			"account_id":  obj{"type": "string", "description": "The WhatsApp account to check through; absent or \"default\": the first (today the only) account."},
			"pacing":      ref("Pacing")}),
		"NumberCheck": object([]string{"id", "state", "total", "counts", "created_at"}, obj{
			"id": str(), "state": strEnum(models.NumberCheckQueued, models.NumberCheckRunning, models.NumberCheckWaiting, models.NumberCheckDone, models.NumberCheckCancelled),
			"account_id": str(), "pacing": ref("Pacing"), "total": integer(),
			"detail":     obj{"type": "string", "description": "Why the job waits (WhatsApp not ready), or its outcome."},
			"counts":     object(nil, obj{"pending": integer(), "on_whatsapp": integer(), "not_on_whatsapp": integer(), "error": integer()}),
			"created_at": ts, "started_at": ts, "finished_at": ts, "updated_at": ts}),
		"NumberCheckResult": object([]string{"seq", "phone", "result"}, obj{"seq": integer(), "contact_id": str(), "phone": str(),
			"result": strEnum(models.NumberPending, models.NumberOnWhatsApp, models.NumberNotOnWA, models.NumberCheckFailed), "error": str(), "checked_at": ts}),
		"ContactInput": object([]string{"phone"}, obj{"phone": str(), "name": str(), "variables": strMap(), "attributes": strMap(), "opted_out": boolean()}),
		"ContactPatch": object(nil, obj{"phone": str(), "name": str(), "variables": strMap(), "attributes": strMap(), "opted_out": boolean()}),
		"ContactPage":  listPage("Contact"),
		"ContactIDs":   object([]string{"contact_ids"}, obj{"contact_ids": arr(str())}),
		"Group": object([]string{"id", "name", "member_count", "created_at", "updated_at"}, obj{
			"id": str(), "name": str(), "member_count": integer(), "created_at": ts, "updated_at": ts}),
		"GroupInput": object([]string{"name"}, obj{"name": str()}),
		"GroupPage":  listPage("Group"),
		"ImportReport": object([]string{"mode", "dry_run", "rows", "valid", "imported", "updated", "skipped", "invalid_total", "duplicates_total"}, obj{
			"mode": str(), "dry_run": boolean(), "rows": integer(), "valid": integer(), "imported": integer(), "updated": integer(), "skipped": integer(),
			"invalid": nullable("array"), "invalid_total": integer(), "duplicates": nullable("array"), "duplicates_total": integer(),
			"existing": nullable("array"), "groups_created": nullable("array"), "notes": nullable("array")}),
		"Pacing": object(nil, obj{"preset": str(), "min_delay_ms": integer(), "max_delay_ms": integer(), "pause_every": integer(), "pause_ms": integer(),
			"daily_cap": integer(), "quiet_start": str(), "quiet_end": str(), "max_failures": integer()}),
		"CampaignInput": object([]string{"name", "template"}, obj{"name": str(), "template": obj{"type": "string", "description": "Text with {{name}}, {{v1}}…, {{attribute|fallback}} and {a|b} spin."},
			"group_ids": arr(str()), "contact_ids": arr(str()), "pacing": ref("Pacing"), "scheduled_at": nullable("string"),
			"skip_not_on_whatsapp": obj{"type": "boolean", "description": "Leave out contacts a number check found not on WhatsApp: they count as skipped, not failed."},
			"account_ids":          obj{"type": "array", "items": str(), "description": "The WhatsApp accounts to send through: absent or empty is the first account, one id that account, several a rotation (each message goes to the next account that is ready, outside its quiet hours and under its daily cap; each account keeps its own pacing clock; an account that drops stops receiving work and the recipient it held is settled on it when it is back). An unknown id is refused (422)."},
			"media_ids":            obj{"type": "array", "items": str(), "maxItems": models.MaxCampaignFiles, "description": "Files of the media library, sent in this order (the template may then be empty)."},
			"caption_mode":         obj{"type": "string", "enum": []string{models.CaptionFirstFile, models.CaptionSeparate}, "description": "first_file (default): the message is the first file's caption; separate: a text of its own before the files."}}),
		"CampaignPatch": object(nil, obj{"name": str(), "template": str(), "group_ids": arr(str()), "contact_ids": arr(str()), "pacing": ref("Pacing"),
			"media_ids": obj{"type": "array", "items": str(), "maxItems": models.MaxCampaignFiles}, "caption_mode": strEnum(models.CaptionFirstFile, models.CaptionSeparate)}),
		"Campaign": object([]string{"id", "name", "template", "state", "pacing", "run", "planned", "counts", "total", "created_at", "updated_at"}, obj{
			"id": str(), "name": str(), "template": str(), "state": strEnum(models.CampaignDraft, models.CampaignScheduled, models.CampaignRunning,
				models.CampaignPaused, models.CampaignCompleted, models.CampaignStopped, models.CampaignFailed),
			"pause_reason": str(), "last_error": str(), "pacing": ref("Pacing"), "scheduled_at": ts, "run": integer(), "planned": integer(),
			"opted_out": integer(), "skip_not_on_whatsapp": boolean(), "started_at": ts, "finished_at": ts, "created_at": ts, "updated_at": ts,
			"group_ids": nullable("array"), "contact_ids": nullable("array"), "account_ids": arr(str()), "media_ids": nullable("array"),
			"caption_mode": strEnum(models.CaptionFirstFile, models.CaptionSeparate),
			"counts":       obj{"type": "object", "additionalProperties": integer(), "description": "Recipients per state."},
			"total":        integer(), "status": obj{"type": "string", "description": "What the sender is doing now."},
			"lease": object(nil, obj{"holder": str(), "until": nullable("string"), "this_install": boolean()})}),
		"Recipient": object([]string{"seq", "contact_id", "phone", "name", "text", "state", "run"}, obj{
			"seq": integer(), "contact_id": str(), "phone": str(), "name": str(), "text": str(), "state": strEnum(models.RecipientStates...),
			"run": integer(), "message_id": str(), "error": str(), "sent_at": ts, "delivered_at": ts, "read_at": ts,
			"account_id": obj{"type": "string", "description": "The WhatsApp account that claimed the recipient for sending (absent before)."},
			"messages":   obj{"type": "array", "items": ref("Message"), "description": "With ?messages=1: the text and each file, in the order sent."}}),
		"Message": object([]string{"seq", "part", "kind", "state"}, obj{
			"seq": integer(), "part": integer(), "run": integer(), "kind": strEnum(models.MessageText, models.MediaPhoto, models.MediaVideo, models.MediaDocument),
			"media_id": str(), "file_name": str(), "text": obj{"type": "string", "description": "The text, or the file's caption."},
			"state": strEnum(models.RecipientStates...), "message_id": str(), "error": str(), "sent_at": ts, "delivered_at": ts, "read_at": ts}),
		"RecipientPage": listPage("Recipient"),
		"Media":         object([]string{"id", "sha256", "kind", "mime_type", "size", "name", "created_at", "updated_at"}, mediaProps()),
		"MediaPage":     listPage("Media"),
		"UploadedMedia": object([]string{"id", "sha256", "kind", "mime_type", "size", "name", "created_at", "updated_at", "duplicate"},
			with2(mediaProps(), obj{"duplicate": obj{"type": "boolean", "description": "The same bytes were already stored: this is that file, under its first name."}})),
		"Session": object([]string{"state"}, obj{"state": strEnum(sessionStates...), "percent": integer(), "qr": nullable("string"), "qr_rotation": integer(),
			"qr_expired": boolean(), "link_code": str(), "since": ts, "error": str(),
			"phone":  obj{"type": "string", "description": "The linked account's own number, read from the page."},
			"asleep": obj{"type": "boolean", "description": "The browser stopped for want of work (SAMBAD_ACCOUNT_IDLE); it starts when needed."}}),
		"Account": object([]string{"id", "name", "phone", "daily_cap", "quiet_start", "quiet_end", "position", "here", "state", "session", "sent_today", "created_at", "updated_at"}, obj{
			"id": str(), "name": str(), "phone": obj{"type": "string", "description": "The linked number once read from the page; empty before."},
			"daily_cap":   obj{"type": "integer", "description": "Messages a day through this account; 0: no cap."},
			"quiet_start": str(), "quiet_end": str(), "holder_install_id": obj{"type": "string", "description": "Hybrid mode: the install holding the profile."},
			"position": integer(), "here": obj{"type": "boolean", "description": "This install holds the account's profile and drives it."},
			"state": strEnum(sessionStates...), "session": ref("Session"), "sent_today": integer(), "created_at": ts, "updated_at": ts}),
		"SendResult": object([]string{"status"}, obj{"status": strEnum("sent", "invalid_number", "failed"), "message_id": str(), "reason": str(),
			"messages": obj{"type": "array", "description": "With media_ids: each file's outcome.", "items": ref("SentMessage")}}),
		"SentMessage": object([]string{"kind", "status"},
			obj{"kind": str(), "media_id": str(), "status": strEnum("sent", "invalid_number", "failed"), "message_id": str(), "reason": str()}),
		"WebhookInput": object(nil, obj{"url": obj{"type": "string", "description": "http or https; private addresses need SAMBAD_WEBHOOK_ALLOW_PRIVATE=true."},
			"events": obj{"type": "array", "items": strEnum(models.WebhookEventTypes...), "description": "Empty or absent: every event."},
			"secret": obj{"type": "string", "description": "At least 16 characters; empty makes one."}, "enabled": boolean()}),
		"Webhook": object([]string{"id", "url", "events", "secret", "enabled", "failures", "disabled_reason", "created_at", "updated_at"}, obj{
			"id": str(), "url": str(), "events": arr(str()), "secret": obj{"type": "string", "description": "In full only in the answer to POST; masked elsewhere."},
			"enabled": boolean(), "last_event_id": integer(), "failures": integer(), "next_attempt_at": nullable("string"),
			"disabled_reason": str(), "created_at": ts, "updated_at": ts}),
		"WebhookDelivery": object([]string{"id", "endpoint_id", "event_id", "event_type", "at", "ok", "status", "latency_ms"}, obj{
			"id": obj{"type": "integer", "minimum": 1, "description": "The log entry: .../deliveries/{delivery}/again sends it again."}, "endpoint_id": str(), "event_id": integer(), "event_type": str(), "at": ts,
			"source": strEnum("", "again", "test"), "ok": boolean(), "status": integer(), "latency_ms": integer(), "error": str(), "response": str()}),
		"WebhookEvent": object([]string{"id", "type", "time", "payload"}, obj{
			"id": str(), "type": strEnum(append([]string{"webhook.test"}, models.WebhookEventTypes...)...), "time": ts, "payload": obj{"type": "object",
				"description": "The event's data, by type (README, Webhooks). message.*: campaign_id, recipient, contact_id, name, phone, message_id, state, error, account_id and account_name (the WhatsApp account that sent; \"\" when none)."}}),
	}
}

// mediaProps are the fields of a media file.
func mediaProps() obj {
	return obj{"id": str(), "sha256": str(), "kind": strEnum("photo", "video", "document"), "mime_type": str(), "size": integer(), "name": str(),
		"width": integer(), "height": integer(), "created_at": strFmt("date-time"), "updated_at": strFmt("date-time")}
}
