-- Sambad's hand-written SQL for Postgres. Every query here has its SQLite
-- twin, under the same name, in sqlite.sql; read them side by side. Both
-- take the same arguments in the same order.

-- ---------------------------------------------------------------- recipients

-- name: claim-pending
-- Marks up to n pending recipients of a run "sending" and returns them.
-- = ANY(ARRAY(...)) keeps Postgres on the primary key instead of a hashed
-- semi-join over the whole campaign. The account that holds them is written
-- in the same statement.
-- Args: sending, account, campaign, campaign, pending, run, n.
UPDATE campaign_recipients SET state = $1, account_id = $2
WHERE campaign_id = $3 AND seq = ANY(ARRAY(
    SELECT seq FROM campaign_recipients
    WHERE campaign_id = $4 AND state = $5 AND run = $6
    ORDER BY seq LIMIT $7))
RETURNING seq, contact_id, phone, name, body

-- name: record-outcomes
-- A batch of outcomes in one statement (a round trip per row is what
-- Postgres makes expensive). recordOutcomesPostgres writes the VALUES list
-- where the values comment stands: one ($n::bigint, $n::text, $n::text,
-- $n::text, $n::timestamptz, $n::uuid, $n::timestamptz) tuple per outcome
-- (seq, state, message id, error, sent_at, ledger id, at), numbered from $3.
-- A VALUES list rather than unnest() over arrays: the arrays measured twice
-- as slow (interleaved, 40,000 outcomes in batches of 512, 3 Dec).
-- The ledger insert and the update see the same snapshot: both act on the
-- recipients still "sending". install_id keeps its default, ''.
-- Args: campaign, sending, then the tuples' values.
WITH v(seq, state, mid, err, sent_at, sid, at) AS (VALUES /*values*/),
ledger AS (
    INSERT INTO campaign_sends (id, campaign_id, seq, run, phone, state, message_id, error, at)
    SELECT v.sid, r.campaign_id, r.seq, r.run, r.phone, v.state, v.mid, v.err, v.at FROM v
    JOIN campaign_recipients r ON r.campaign_id = $1 AND r.seq = v.seq AND r.state = $2
    WHERE v.state IN ('sent', 'invalid_number', 'failed')
)
UPDATE campaign_recipients AS r SET state = v.state, message_id = v.mid, error = v.err, sent_at = v.sent_at
FROM v WHERE r.campaign_id = $1 AND r.seq = v.seq AND r.state = $2

-- name: ack-delivered
-- A delivery ack moves only a sent message; returns its campaign.
UPDATE campaign_recipients SET state = $1, delivered_at = $2
WHERE message_id = $3 AND state = $4
RETURNING campaign_id

-- name: ack-read
-- A read ack moves a sent or delivered message, and a read message was
-- delivered too (when its delivery ack never came).
UPDATE campaign_recipients SET state = $1, read_at = $2, delivered_at = COALESCE(delivered_at, $2)
WHERE message_id = $3 AND state IN ($4, $5)
RETURNING campaign_id

-- name: message-campaign
SELECT campaign_id FROM campaign_recipients WHERE message_id = $1 LIMIT 1

-- name: count-states
SELECT state, COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 GROUP BY state

-- name: count-states-by-account
-- A campaign's recipients per account that holds or sent them (account_id,
-- '' while none has claimed them) and state, every run: the monitor's and
-- the report's "By account" table, in the same states as count-states.
SELECT account_id, state, COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 GROUP BY account_id, state

-- name: count-states-of-run
SELECT state, COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND run = $2 GROUP BY state

-- name: set-recipient-state
UPDATE campaign_recipients SET state = $1, message_id = $2, error = $3, sent_at = COALESCE(sent_at, $4)
WHERE campaign_id = $5 AND seq = $6 AND state = $7

-- name: resolve-unknown-sent
UPDATE campaign_recipients SET state = $1, sent_at = COALESCE(sent_at, $2), error = ''
WHERE campaign_id = $3 AND state = $4

-- name: resolve-unknown-resend
UPDATE campaign_recipients SET state = $1, run = $2, error = ''
WHERE campaign_id = $3 AND state = $4

-- name: sent-since
SELECT COUNT(*) FROM campaign_recipients WHERE sent_at >= $1

-- name: sent-since-by-account
-- Messages sent since a time, by the account that holds the recipient
-- (account_id, when recorded) and the campaign's accounts (a JSON array:
-- [] is the first account, else its first id sends).
SELECT r.account_id, c.account_ids, COUNT(*)
FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
WHERE r.sent_at >= $1
GROUP BY r.account_id, c.account_ids

-- ----------------------------------------------------------------- takeover

-- name: count-in-doubt
SELECT COUNT(*) FROM campaign_recipients
WHERE campaign_id = $1 AND run = $2 AND seq <= $3 AND state IN ($4, $5)

-- name: mark-in-doubt
UPDATE campaign_recipients SET state = $1
WHERE campaign_id = $2 AND run = $3 AND seq <= $4 AND state IN ($5, $6)

-- name: send-ledger
SELECT COALESCE(SUM(n), 0), COUNT(CASE WHEN n > 1 THEN 1 END) FROM (
    SELECT seq, part, COUNT(DISTINCT message_id) AS n FROM campaign_sends
    WHERE campaign_id = $1 AND state = $2 GROUP BY seq, part) t

-- ------------------------------------------------ messages of a recipient

-- name: start-message
INSERT INTO campaign_messages (campaign_id, seq, part, run, kind, media_id, body, state)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (campaign_id, seq, part) DO UPDATE SET run = excluded.run, kind = excluded.kind,
    media_id = excluded.media_id, body = excluded.body, state = excluded.state, error = ''
WHERE campaign_messages.state NOT IN ('sent', 'delivered', 'read')

-- name: record-message
UPDATE campaign_messages SET state = $1, message_id = $2, error = $3, sent_at = $4
WHERE campaign_id = $5 AND seq = $6 AND part = $7 AND state = $8

-- name: record-message-ledger
-- install_id keeps its default, ''.
INSERT INTO campaign_sends (id, campaign_id, seq, run, phone, state, message_id, error, at, part)
SELECT $1, m.campaign_id, m.seq, m.run, r.phone, $2, $3, $4, $5, m.part
FROM campaign_messages m JOIN campaign_recipients r ON r.campaign_id = m.campaign_id AND r.seq = m.seq
WHERE m.campaign_id = $6 AND m.seq = $7 AND m.part = $8 AND m.state = $9

-- name: put-message
INSERT INTO campaign_messages (campaign_id, seq, part, run, kind, media_id, body, state, message_id, error, sent_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (campaign_id, seq, part) DO UPDATE SET state = excluded.state, message_id = excluded.message_id,
    error = excluded.error, sent_at = COALESCE(campaign_messages.sent_at, excluded.sent_at)
WHERE campaign_messages.state NOT IN ('sent', 'delivered', 'read')

-- name: ack-message-delivered
UPDATE campaign_messages SET state = $1, delivered_at = $2
WHERE message_id = $3 AND state = $4
RETURNING campaign_id, seq

-- name: ack-message-read
UPDATE campaign_messages SET state = $1, read_at = $2, delivered_at = COALESCE(delivered_at, $2)
WHERE message_id = $3 AND state IN ($4, $5)
RETURNING campaign_id, seq

-- name: ack-recipient-delivered
UPDATE campaign_recipients SET state = $1, delivered_at = $2
WHERE campaign_id = $3 AND seq = $4 AND state = $5
  AND NOT EXISTS (SELECT 1 FROM campaign_messages m
                  WHERE m.campaign_id = $3 AND m.seq = $4 AND m.state NOT IN ($1, $6))

-- name: ack-recipient-read
UPDATE campaign_recipients SET state = $1, read_at = $2, delivered_at = COALESCE(delivered_at, $2)
WHERE campaign_id = $3 AND seq = $4 AND state IN ($5, $6)
  AND NOT EXISTS (SELECT 1 FROM campaign_messages m
                  WHERE m.campaign_id = $3 AND m.seq = $4 AND m.state <> $1)

-- name: message-part-campaign
SELECT campaign_id FROM campaign_messages WHERE message_id = $1 LIMIT 1

-- -------------------------------------------------------- audience and plan
-- A campaign's audience: members of its groups and the contacts chosen one
-- by one, each once. $1 is the campaign id.

-- name: audience-counts
SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.opted_out THEN 1 ELSE 0 END), 0)
FROM contacts c
WHERE c.id IN (SELECT gm.contact_id FROM group_members gm
               JOIN campaign_groups cg ON cg.group_id = gm.group_id WHERE cg.campaign_id = $1)
   OR c.id IN (SELECT cc.contact_id FROM campaign_contacts cc WHERE cc.campaign_id = $1)

-- name: audience-sample
SELECT c.id, c.phone, c.name, c.v1, c.v2, c.v3, c.v4, c.v5, c.v6, c.v7, c.v8, c.v9, c.v10, c.attributes, c.opted_out,
    c.on_whatsapp, c.on_whatsapp_checked_at
FROM contacts c
WHERE c.id IN (SELECT gm.contact_id FROM group_members gm
               JOIN campaign_groups cg ON cg.group_id = gm.group_id WHERE cg.campaign_id = $1)
   OR c.id IN (SELECT cc.contact_id FROM campaign_contacts cc WHERE cc.campaign_id = $1)
ORDER BY c.name, c.id LIMIT $2

-- name: audience
-- The whole audience in id order, streamed into COPY while the plan is written.
SELECT c.id, c.phone, c.name, c.v1, c.v2, c.v3, c.v4, c.v5, c.v6, c.v7, c.v8, c.v9, c.v10, c.attributes, c.opted_out,
    c.on_whatsapp, c.on_whatsapp_checked_at
FROM contacts c
WHERE c.id IN (SELECT gm.contact_id FROM group_members gm
               JOIN campaign_groups cg ON cg.group_id = gm.group_id WHERE cg.campaign_id = $1)
   OR c.id IN (SELECT cc.contact_id FROM campaign_contacts cc WHERE cc.campaign_id = $1)
ORDER BY c.id

-- name: plan-claim
-- The plan's first write: a second start of the same campaign waits on it,
-- then finds the campaign no longer startable. The states a start may begin
-- from come from models' campaign rules, as a text array.
UPDATE campaigns SET updated_at = $1 WHERE id = $2 AND state = ANY($3::text[])

-- name: plan-skip-option
-- Whether the campaign skips numbers known not to be on WhatsApp, read in
-- the plan's transaction. Args: campaign.
SELECT skip_not_on_whatsapp FROM campaigns WHERE id = $1

-- name: plan-start
UPDATE campaigns SET state = $1, run = 1, planned = $2, opted_out = $3, started_at = $4,
    pause_reason = '', last_error = '', updated_at = $4
WHERE id = $5

-- name: plan-add-run
INSERT INTO campaign_runs (campaign_id, run, kind, recipients, started_at) VALUES ($1, 1, 'full', $2, $3)

-- name: retry-start
UPDATE campaigns SET state = $1, run = $2, finished_at = NULL, pause_reason = '', last_error = '', updated_at = $3
WHERE id = $4 AND state = $5

-- name: retry-recipients
UPDATE campaign_recipients SET state = $1, run = $2, error = ''
WHERE campaign_id = $3 AND state = $4

-- name: retry-add-run
INSERT INTO campaign_runs (campaign_id, run, kind, recipients, started_at) VALUES ($1, $2, 'retry', $3, $4)

-- ------------------------------------------------------------------ contacts

-- name: attribute-keys
SELECT DISTINCT jsonb_object_keys(attributes) FROM contacts

-- name: contact-attribute-keys
-- $1: a LIKE pattern over search_text, '' for every contact;
-- $2: a group id, '' for every group.
SELECT DISTINCT j.key FROM contacts c CROSS JOIN jsonb_object_keys(c.attributes) AS j(key)
WHERE ($1 = '' OR c.search_text LIKE $1 ESCAPE '\')
  AND ($2 = '' OR c.id IN (SELECT contact_id FROM group_members WHERE group_id = NULLIF($2, '')::uuid))

-- ------------------------------------------------------------------- imports

-- name: import-group-id
SELECT id FROM contact_groups WHERE lower(name) = lower($1)

-- name: import-group-insert
INSERT INTO contact_groups (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)

-- ------------------------------------------------------- held by an account

-- name: claim-pending-pinned
-- claim-pending for a rotation of a campaign with files: a pending
-- recipient some of whose messages already went out is claimed only
-- through the account that sent them (its account_id), since its chat holds
-- them; '' (released by a person) is free for any account.
-- Args: sending, account, campaign, campaign, pending, run, account, n.
UPDATE campaign_recipients SET state = $1, account_id = $2
WHERE campaign_id = $3 AND seq = ANY(ARRAY(
    SELECT r.seq FROM campaign_recipients r
    WHERE r.campaign_id = $4 AND r.state = $5 AND r.run = $6
      AND (r.account_id = $7 OR r.account_id = '' OR NOT EXISTS (
          SELECT 1 FROM campaign_messages m
          WHERE m.campaign_id = r.campaign_id AND m.seq = r.seq AND m.state IN ('sent', 'delivered', 'read')))
    ORDER BY r.seq LIMIT $8))
RETURNING seq, contact_id, phone, name, body

-- name: release-held-messages
-- The message in flight of each recipient an account holds ("sending"),
-- released by a person: "unknown", with the reason. Run before release-held.
UPDATE campaign_messages SET state = $1, error = $2
WHERE campaign_id = $3 AND state = $4 AND seq IN (
    SELECT seq FROM campaign_recipients
    WHERE campaign_id = $5 AND run = $6 AND state = $7 AND account_id = $8)

-- name: release-held
-- A person releases the recipients account holds in a run: those it left
-- "sending", and the pending ones pinned to it (some of their messages went
-- out through it). They become "unknown" with the reason, and free for any
-- account (account_id '') once the person decides.
UPDATE campaign_recipients SET state = $1, error = $2, account_id = ''
WHERE campaign_id = $3 AND run = $4 AND account_id = $5 AND (state = $6 OR (state = $7 AND EXISTS (
    SELECT 1 FROM campaign_messages m
    WHERE m.campaign_id = campaign_recipients.campaign_id AND m.seq = campaign_recipients.seq
      AND m.state IN ('sent', 'delivered', 'read'))))

-- name: held-by-account
-- How many recipients of a run each account holds ("sending").
SELECT account_id, COUNT(*) FROM campaign_recipients
WHERE campaign_id = $1 AND run = $2 AND state = $3 AND account_id <> ''
GROUP BY account_id

-- name: campaigns-held-by-account
-- The campaigns (and how many recipients) an account holds: left
-- "sending", or pending but pinned to it (some of their messages went out
-- through it).
-- Args: account, sending, pending.
SELECT c.name, COUNT(*) FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
WHERE r.account_id = $1 AND (r.state = $2 OR (r.state = $3 AND EXISTS (
    SELECT 1 FROM campaign_messages m
    WHERE m.campaign_id = r.campaign_id AND m.seq = r.seq AND m.state IN ('sent', 'delivered', 'read'))))
GROUP BY c.name ORDER BY c.name
-- ================================================================
-- Statements moved out of the Go files (issue 13, point 3): everything
-- hand-written in models/ other than migrations, simple GORM CRUD and the
-- campaign send path above. Fields: storeQueries, queries_store.go.
-- Where a statement is assembled from optional filters, it is assembled
-- only from the named pieces below: {slot} marks where another named
-- piece (or a list of bind marks) goes, never text from a request.
-- Pieces, statements that hold a slot, and media-used-by bind with ? in
-- both files: the store renumbers the assembled statement for Postgres
-- (rebind), or GORM binds it (a list it expands, rows it repeats). The
-- rest are the same text in both files, ? renumbered $n, except a few
-- whose SQL differs by dialect (see TestStoreQueriesSameInBothDialects).
-- ================================================================

-- ---------------------------------------------- dashboard (dashboard.go)

-- name: count-contacts
-- The home page's headline counts.
SELECT COUNT(*) FROM contacts

-- name: count-groups
SELECT COUNT(*) FROM contact_groups

-- name: count-campaigns-by-state
SELECT state, COUNT(*) FROM campaigns GROUP BY state

-- name: activity-sent
-- A day's messages, each count a range over its own index (migration 00011).
-- Args: from, to.
SELECT COUNT(*) FROM campaign_recipients WHERE sent_at >= $1 AND sent_at < $2

-- name: activity-delivered
-- Args: from, to.
SELECT COUNT(*) FROM campaign_recipients WHERE delivered_at >= $1 AND delivered_at < $2

-- name: activity-read
-- Args: from, to.
SELECT COUNT(*) FROM campaign_recipients WHERE read_at >= $1 AND read_at < $2

-- name: activity-failed
-- Sends that failed, from the send ledger. Args: from, to.
SELECT COUNT(*) FROM campaign_sends WHERE at >= $1 AND at < $2 AND state = 'failed'

-- ------------------------------------------------ settings (settings.go)

-- name: settings
SELECT key, value FROM settings

-- name: settings-delete
-- An empty value removes the setting: its default applies again.
DELETE FROM settings WHERE key = $1

-- name: settings-put
-- Args: key, value, updated_at.
INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at

-- ---------------------------------------------------- events (events.go)

-- name: event-insert
-- The activity feed. Args: at, kind, subject_id, subject, state, prev_state, detail.
INSERT INTO events (at, kind, subject_id, subject, state, prev_state, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7)

-- name: events-recent
-- Newest first. Args: limit.
SELECT id, at, kind, subject_id, subject, state, prev_state, detail
FROM events ORDER BY id DESC LIMIT $1

-- ------------------------------------------- webhooks (webhook_store.go)

-- name: webhook-create
-- A new endpoint starts after the newest event in the outbox: it gets what
-- happens from now on. Args: id, url, events, secret, enabled, created_at, updated_at.
INSERT INTO webhook_endpoints
(id, url, events, secret, enabled, last_event_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(id), 0) FROM webhook_events), $6, $7)

-- name: webhook
-- The columns scanWebhook reads, in its order.
SELECT id, url, events, secret, enabled, last_event_id, failures, next_attempt_at, disabled_reason, created_at, updated_at FROM webhook_endpoints WHERE id = $1

-- name: webhooks
SELECT id, url, events, secret, enabled, last_event_id, failures, next_attempt_at, disabled_reason, created_at, updated_at FROM webhook_endpoints ORDER BY created_at, id

-- name: webhooks-enabled-count
SELECT COUNT(*) FROM webhook_endpoints WHERE enabled

-- name: webhooks-due
-- Switched-on endpoints whose backoff has run out. Args: now.
SELECT id, url, events, secret, enabled, last_event_id, failures, next_attempt_at, disabled_reason, created_at, updated_at FROM webhook_endpoints
WHERE enabled AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY created_at, id

-- name: webhook-update
-- Args: url, events, secret, enabled, failures, disabled_reason, next_attempt_at, updated_at, id.
UPDATE webhook_endpoints SET url = $1, events = $2, secret = $3,
enabled = $4, failures = $5, disabled_reason = $6, next_attempt_at = $7, updated_at = $8 WHERE id = $9

-- name: webhook-delete-deliveries
DELETE FROM webhook_deliveries WHERE endpoint_id = $1

-- name: webhook-delete
DELETE FROM webhook_endpoints WHERE id = $1

-- name: webhook-events-after
-- Oldest first. Args: after, limit.
SELECT id, type, at, payload FROM webhook_events
WHERE id > $1 ORDER BY id LIMIT $2

-- name: webhook-event
SELECT id, type, at, payload FROM webhook_events WHERE id = $1

-- name: webhook-advance
-- Moves an endpoint past an event, never back (two deliverers racing).
-- Args: event id, endpoint, event id.
UPDATE webhook_endpoints SET last_event_id = $1, failures = 0, next_attempt_at = NULL
WHERE id = $2 AND last_event_id < $3

-- name: webhook-fail
-- Args: next attempt, endpoint.
UPDATE webhook_endpoints SET failures = failures + 1, next_attempt_at = $1 WHERE id = $2

-- name: webhook-switch-off
-- Switches an endpoint off once it failed maxFailures times in a row.
-- Args: false, reason, updated_at, endpoint, maxFailures.
UPDATE webhook_endpoints SET enabled = $1, disabled_reason = $2, updated_at = $3
WHERE id = $4 AND failures >= $5

-- name: webhook-delivery-insert
-- RETURNING the id, so an answer carrying the delivery names the logged row
-- (POST /webhooks/{id}/test, then .../deliveries/{delivery}/again).
INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, at, source, ok, status, latency_ms, error, response)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id

-- name: webhook-deliveries
-- Newest first. Args: endpoint, limit.
SELECT id, endpoint_id, event_id, event_type, at, source, ok, status,
latency_ms, error, response FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2

-- name: webhook-delivery
-- Args: endpoint, id.
SELECT id, endpoint_id, event_id, event_type, at, source, ok, status,
latency_ms, error, response FROM webhook_deliveries WHERE endpoint_id = $1 AND id = $2

-- name: webhook-prune-events
-- Drops outbox events older than the cut that every switched-on endpoint is
-- past. An endpoint switched off still owns the events after its cursor: it
-- catches up when switched on again. Args: cut.
DELETE FROM webhook_events WHERE at < $1
AND id <= (SELECT COALESCE(MIN(last_event_id), (SELECT MAX(id) FROM webhook_events)) FROM webhook_endpoints WHERE enabled)

-- name: webhook-log-oldest-kept
-- The oldest of an endpoint's newest rows kept. Args: endpoint, kept-1.
SELECT id FROM webhook_deliveries WHERE endpoint_id = $1
ORDER BY id DESC LIMIT 1 OFFSET $2

-- name: webhook-log-trim
-- Args: endpoint, oldest kept.
DELETE FROM webhook_deliveries WHERE endpoint_id = $1 AND id < $2

-- ------------------------------------------ run reports (run_reports.go)

-- name: run-reports
-- The reports page's runs (few), newest start first; their counts come after,
-- per campaign. {where} is empty or WHERE and the run-report-* pieces joined
-- with AND. Args: the pieces' values, limit.
SELECT r.campaign_id, c.name, c.state, r.kind, r.run, r.recipients, r.started_at, r.finished_at, c.updated_at
FROM campaign_runs r JOIN campaigns c ON c.id = r.campaign_id{where}
ORDER BY r.started_at DESC, r.campaign_id, r.run DESC LIMIT ?

-- name: run-report-from
r.started_at >= ?

-- name: run-report-to
r.started_at < ?

-- name: run-report-state
c.state = ?

-- name: run-report-name
-- A LIKE pattern, escaped (likePattern).
LOWER(c.name) LIKE ? ESCAPE '\'

-- name: count-states-by-run
-- From the recipients' (campaign_id, state, seq) index. Args: campaign.
SELECT run, state, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = $1 GROUP BY run, state

-- ------------------------------------------------- users (user_store.go)

-- name: lock-users
-- Serialises changes that count users or admins (first-run setup, the last
-- admin); readers ignore it. SQLite needs none: its transactions are already
-- exclusive (_txlock=immediate).
LOCK TABLE auth_users IN SHARE ROW EXCLUSIVE MODE

-- ------------------------------------- bulk edits (contact_bulk_edit.go)

-- name: bulk-edits-clear
-- Only the last bulk edit can be undone.
DELETE FROM contact_bulk_edits

-- name: bulk-undo-insert
-- Args: edit, contact, previous value.
INSERT INTO contact_bulk_undo (edit_id, contact_id, previous) VALUES ($1, $2, $3)

-- name: bulk-set-field
-- {column} is bulkField.column: name, opted_out, v1..v10 or attributes,
-- never text from the request. Args: value, search_text, updated_at, contact.
UPDATE contacts SET {column} = $1, search_text = $2, updated_at = $3 WHERE id = $4

-- name: bulk-undo-rows
SELECT contact_id, previous FROM contact_bulk_undo WHERE edit_id = $1

-- name: bulk-edit-delete
DELETE FROM contact_bulk_edits WHERE id = $1

--  campaigns (campaign_store.go, campaign_duplicate.go, campaign_state_store.go)

-- name: campaign-groups-clear
-- Saving a campaign replaces its chosen groups and contacts.
DELETE FROM campaign_groups WHERE campaign_id = $1

-- name: campaign-contacts-clear
DELETE FROM campaign_contacts WHERE campaign_id = $1

-- name: campaign-group-add
INSERT INTO campaign_groups (campaign_id, group_id) VALUES ($1, $2)

-- name: campaign-contacts-add
-- {rows} is one (?, ?) per contact of a chunk (campaign, contact each).
INSERT INTO campaign_contacts (campaign_id, contact_id) VALUES {rows}

-- name: campaign-group-ids
SELECT group_id FROM campaign_groups WHERE campaign_id = $1 ORDER BY group_id

-- name: campaign-contact-ids
SELECT contact_id FROM campaign_contacts WHERE campaign_id = $1 ORDER BY contact_id

-- name: campaign-media-ids
SELECT media_id FROM campaign_media WHERE campaign_id = $1 ORDER BY position, media_id

-- name: campaign-delete
-- Its recipients, runs and audience go with it (ON DELETE CASCADE).
DELETE FROM campaigns WHERE id = $1

-- name: duplicate-groups
-- A copy's audience and files as chosen; rows whose group, contact or file
-- was deleted went with it, so every row copied still points at something.
-- Args: copy, original.
INSERT INTO campaign_groups (campaign_id, group_id) SELECT $1, group_id FROM campaign_groups WHERE campaign_id = $2

-- name: duplicate-contacts
-- Args: copy, original.
INSERT INTO campaign_contacts (campaign_id, contact_id) SELECT $1, contact_id FROM campaign_contacts WHERE campaign_id = $2

-- name: duplicate-media
-- Args: copy, original.
INSERT INTO campaign_media (campaign_id, media_id, position) SELECT $1, media_id, position FROM campaign_media WHERE campaign_id = $2

-- name: finish-run
-- Args: finished_at, campaign, run.
UPDATE campaign_runs SET finished_at = $1 WHERE campaign_id = $2 AND run = $3 AND finished_at IS NULL

-- ------------------------------------------------ files (media_store.go)

-- name: media-used-by
-- The unfinished campaigns that use a file (it cannot be deleted then). GORM
-- expands the list of states. Args: file, states.
SELECT c.name FROM campaign_media cm JOIN campaigns c ON c.id = cm.campaign_id
WHERE cm.media_id = ? AND c.state IN ? ORDER BY c.name

-- name: media-unlink
DELETE FROM campaign_media WHERE media_id = $1

-- name: media-chunks-delete
DELETE FROM media_chunks WHERE sha256 = $1

-- name: media-chunks-put
-- {rows} is one (?, ?, ?) per chunk (sha256, idx, base64 data); chunks
-- already stored are left as they are.
INSERT INTO media_chunks (sha256, idx, data) VALUES {rows} ON CONFLICT (sha256, idx) DO NOTHING

-- name: media-chunk
-- Args: sha256, idx.
SELECT data FROM media_chunks WHERE sha256 = $1 AND idx = $2

-- name: media-without-chunks
-- Files whose chunks are not all stored (uploaded before this install synced,
-- or cut short by a crash). Args: chunk size - 1, chunk size.
SELECT * FROM media m
WHERE (SELECT COUNT(*) FROM media_chunks c WHERE c.sha256 = m.sha256) < (m.size + $1) / $2
ORDER BY m.created_at

-- ------------------------------------------- backups (backup_restore.go)

-- name: park-running
-- A restored campaign that was running waits for a person to resume it.
-- Args: paused, pause reason, running.
UPDATE campaigns SET state = $1, pause_reason = $2 WHERE state = $3

-- name: count-running
SELECT COUNT(*) FROM campaigns WHERE state = $1

--  contact filters (contact_store.go, contact_list_sqlite.go, contact_bulk_edit.go)

-- name: contact-search
-- The pieces a contact list or bulk edit is filtered with, each optional,
-- joined with AND. A search: a LIKE pattern, escaped (likePattern).
search_text LIKE ? ESCAPE '\'

-- name: contact-search-number-hidden
-- A search by staff, who do not see numbers: a term matches a number only
-- whole. Args: pattern, pattern, the term as a number.
((search_text LIKE ? ESCAPE '\' AND phone NOT LIKE ? ESCAPE '\') OR phone = ?)

-- name: contact-in-group
-- Args: group.
id IN (SELECT contact_id FROM group_members WHERE group_id = ?)

-- name: contact-on-whatsapp
on_whatsapp = TRUE

-- name: contact-not-on-whatsapp
on_whatsapp = FALSE

-- name: contact-on-whatsapp-unknown
-- Never checked.
on_whatsapp IS NULL

-- name: contacts-by-phone
-- The stored contacts among a chunk of numbers (an import). {phones} is the
-- chunk's bind marks in parentheses (valuesList).
SELECT id, phone, name, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, attributes, opted_out, created_at
FROM contacts WHERE phone IN {phones}

-- name: group-names-of
-- The groups of the contacts on a page. {ids} is one ? per contact; the
-- store renumbers them for Postgres.
SELECT gm.contact_id, g.name FROM group_members gm JOIN contact_groups g ON g.id = gm.group_id
WHERE gm.contact_id IN ({ids}) ORDER BY g.name

-- -------------------------------- audience preview (audience_preview.go)

-- name: audience-preview-groups
-- The audience of a campaign not saved yet: members of the groups and the
-- contacts chosen one by one, each once; the two pieces joined with OR make
-- {audience}. {ids} is one ? per id; the store renumbers the statement for
-- Postgres.
c.id IN (SELECT gm.contact_id FROM group_members gm WHERE gm.group_id IN ({ids}))

-- name: audience-preview-contacts
c.id IN ({ids})

-- name: audience-preview-count
-- Its size, and how many of it opted out.
SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.opted_out THEN 1 ELSE 0 END), 0) FROM contacts c WHERE {audience}

-- name: audience-preview-first
-- Its first contact not opted out; the columns scanContact reads.
SELECT c.id, c.phone, c.name, c.v1, c.v2, c.v3, c.v4, c.v5, c.v6, c.v7, c.v8, c.v9, c.v10, c.attributes, c.opted_out, c.on_whatsapp, c.on_whatsapp_checked_at
FROM contacts c WHERE {audience} AND NOT c.opted_out ORDER BY c.name, c.id LIMIT 1

-- ------------------------------------------- imports (contact_import.go)

-- name: import-members-add
-- An import's group members, a chunk at a time. {rows} is valuesList's
-- (group, contact, created_at) per member, already in the dialect's marks.
INSERT INTO group_members (group_id, contact_id, created_at) VALUES {rows} ON CONFLICT DO NOTHING

-- ------------------------------------ files, by dialect (media_store.go)

-- name: media-for-delete
-- The file about to be deleted. On Postgres FOR UPDATE conflicts with the
-- key-share lock that linking the file to a campaign takes, so a link cannot
-- slip in after the in-use check; a SQLite transaction is already exclusive
-- (_txlock=immediate). Args: id.
SELECT * FROM media WHERE id = $1 LIMIT 1 FOR UPDATE

-- -------------------------------- backups, by dialect (backup_tables.go)

-- name: backup-tables
-- The tables, read from the database's own catalog so a table added by a
-- later migration is backed up without a change in the code.
SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'

-- name: backup-columns
-- A table's columns, in order. Args: table.
SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position

-- name: backup-parents
-- The tables a table's foreign keys point at (restored first). Args: table.
SELECT DISTINCT ccu.relname FROM pg_constraint c JOIN pg_class rel ON rel.oid = c.conrelid
JOIN pg_class ccu ON ccu.oid = c.confrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
WHERE c.contype = 'f' AND rel.relname = $1 AND ns.nspname = current_schema()

-- name: import-upsert
-- An import's contacts, a chunk at a time, when stored numbers are left as
-- they are. {rows} is one tuple per contact, built by upsertQuery in the
-- dialect's marks: a file's absent columns are '' there, and the times are
-- one shared parameter.
INSERT INTO contacts (id, phone, name, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, attributes, opted_out, search_text, created_at, updated_at) VALUES {rows} ON CONFLICT (phone) DO NOTHING

-- name: import-upsert-update
-- The same when an import updates stored numbers. {columns} is
-- "col = excluded.col, " for each of name, v1..v10 the file holds (column
-- names from contactColumns, never from the file).
INSERT INTO contacts (id, phone, name, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, attributes, opted_out, search_text, created_at, updated_at) VALUES {rows} ON CONFLICT (phone) DO UPDATE SET {columns}attributes = excluded.attributes, search_text = excluded.search_text, updated_at = excluded.updated_at

-- ---- SQLite only (contact_import.go, backup_dump.go, backup_restore.go)
