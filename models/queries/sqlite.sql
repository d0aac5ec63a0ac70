-- Sambad's hand-written SQL for SQLite. Every query here has its Postgres
-- twin, under the same name, in postgres.sql; read them side by side.
-- Parameters: ? in order, or ?N where one value is used twice (the Postgres
-- twin then takes the same arguments as $N).

-- ---------------------------------------------------------------- recipients

-- name: claim-pending
-- Marks up to n pending recipients of a run "sending" and returns them. The
-- mark is committed before any message leaves (see ClaimPending), with the
-- account that holds them.
-- Args: sending, account, campaign, campaign, pending, run, n.
UPDATE campaign_recipients SET state = ?, account_id = ?
WHERE campaign_id = ? AND seq IN (
    SELECT seq FROM campaign_recipients
    WHERE campaign_id = ? AND state = ? AND run = ?
    ORDER BY seq LIMIT ?)
RETURNING seq, contact_id, phone, name, body

-- name: record-outcome
-- One send's outcome, only on a recipient still "sending".
-- Args: state, message id, error, sent_at (NULL unless sent), campaign, seq, sending.
UPDATE campaign_recipients SET state = ?, message_id = ?, error = ?, sent_at = ?
WHERE campaign_id = ? AND seq = ? AND state = ?

-- name: record-outcome-ledger
-- The send ledger's row for one handed-over message (sent, invalid, failed),
-- stamped with this install's id; it must run before record-outcome, while
-- the recipient is still "sending".
-- Args: ledger id, state, message id, error, at, campaign, seq, sending.
INSERT INTO campaign_sends (id, campaign_id, seq, run, phone, state, message_id, error, install_id, at)
SELECT ?, campaign_id, seq, run, phone, ?, ?, ?,
       COALESCE((SELECT value FROM sync_state WHERE key = 'install_id'), ''), ?
FROM campaign_recipients WHERE campaign_id = ? AND seq = ? AND state = ?

-- name: ack-delivered
-- A delivery ack moves only a sent message; returns its campaign.
-- Args: delivered, at, message id, sent.
UPDATE campaign_recipients SET state = ?, delivered_at = ?
WHERE message_id = ? AND state = ?
RETURNING campaign_id

-- name: ack-read
-- A read ack moves a sent or delivered message, and a read message was
-- delivered too (when its delivery ack never came).
-- Args: read, at, message id, sent, delivered.
UPDATE campaign_recipients SET state = ?1, read_at = ?2, delivered_at = COALESCE(delivered_at, ?2)
WHERE message_id = ?3 AND state IN (?4, ?5)
RETURNING campaign_id

-- name: message-campaign
-- The campaign a message id belongs to (an ack that moved nothing).
SELECT campaign_id FROM campaign_recipients WHERE message_id = ? LIMIT 1

-- name: count-states
SELECT state, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY state

-- name: count-states-by-account
-- A campaign's recipients per account that holds or sent them (account_id,
-- '' while none has claimed them) and state, every run: the monitor's and
-- the report's "By account" table, in the same states as count-states.
SELECT account_id, state, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY account_id, state

-- name: count-states-of-run
SELECT state, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND run = ? GROUP BY state

-- name: set-recipient-state
-- Moves one recipient from state `from` (reconciliation, a person's decision);
-- a recipient already sent keeps its first sent_at.
-- Args: state, message id, error, sent_at, campaign, seq, from.
UPDATE campaign_recipients SET state = ?, message_id = ?, error = ?, sent_at = COALESCE(sent_at, ?)
WHERE campaign_id = ? AND seq = ? AND state = ?

-- name: resolve-unknown-sent
-- Args: sent, now, campaign, unknown.
UPDATE campaign_recipients SET state = ?, sent_at = COALESCE(sent_at, ?), error = ''
WHERE campaign_id = ? AND state = ?

-- name: resolve-unknown-resend
-- Back to pending, in the campaign's current run. Args: pending, run, campaign, unknown.
UPDATE campaign_recipients SET state = ?, run = ?, error = ''
WHERE campaign_id = ? AND state = ?

-- name: sent-since
-- Messages sent by every campaign since a time (the daily cap).
SELECT COUNT(*) FROM campaign_recipients WHERE sent_at >= ?

-- name: sent-since-by-account
-- Messages sent since a time, by the account that holds the recipient
-- (account_id, when recorded) and the campaign's accounts (a JSON array:
-- [] is the first account, else its first id sends).
SELECT r.account_id, c.account_ids, COUNT(*)
FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
WHERE r.sent_at >= ?
GROUP BY r.account_id, c.account_ids

-- ----------------------------------------------------------------- takeover

-- name: count-in-doubt
-- The recipients another install claimed (run, seq up to through) whose
-- result has not arrived here: still pending or sending.
-- Args: campaign, run, through, pending, sending.
SELECT COUNT(*) FROM campaign_recipients
WHERE campaign_id = ? AND run = ? AND seq <= ? AND state IN (?, ?)

-- name: mark-in-doubt
-- Marks those "sending", for the reconciler to settle from their chats.
-- Args: sending, campaign, run, through, pending, sending.
UPDATE campaign_recipients SET state = ?
WHERE campaign_id = ? AND run = ? AND seq <= ? AND state IN (?, ?)

-- name: send-ledger
-- Messages handed to WhatsApp, and messages (a recipient's text, or one of
-- its files: part) that went out more than once.
-- Args: campaign, sent.
SELECT COALESCE(SUM(n), 0), COUNT(CASE WHEN n > 1 THEN 1 END) FROM (
    SELECT seq, part, COUNT(DISTINCT message_id) AS n FROM campaign_sends
    WHERE campaign_id = ? AND state = ? GROUP BY seq, part) t

-- ------------------------------------------------ messages of a recipient
-- A recipient of a campaign with files has one campaign_messages row per
-- message (its text, each file), written as each is about to be sent.

-- name: start-message
-- Marks one message "sending" before it leaves (committed first, as a
-- recipient's claim); a message already sent is never marked again.
-- Args: campaign, seq, part, run, kind, media id, body, sending.
INSERT INTO campaign_messages (campaign_id, seq, part, run, kind, media_id, body, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (campaign_id, seq, part) DO UPDATE SET run = excluded.run, kind = excluded.kind,
    media_id = excluded.media_id, body = excluded.body, state = excluded.state, error = ''
WHERE campaign_messages.state NOT IN ('sent', 'delivered', 'read')

-- name: record-message
-- One message's outcome, only while it is "sending".
-- Args: state, message id, error, sent_at (NULL unless sent), campaign, seq, part, sending.
UPDATE campaign_messages SET state = ?, message_id = ?, error = ?, sent_at = ?
WHERE campaign_id = ? AND seq = ? AND part = ? AND state = ?

-- name: record-message-ledger
-- The send ledger's row for one message, before record-message, while it
-- is still "sending". Args: ledger id, state, message id, error, at,
-- campaign, seq, part, sending.
INSERT INTO campaign_sends (id, campaign_id, seq, run, phone, state, message_id, error, install_id, at, part)
SELECT ?, m.campaign_id, m.seq, m.run, r.phone, ?, ?, ?,
       COALESCE((SELECT value FROM sync_state WHERE key = 'install_id'), ''), ?, m.part
FROM campaign_messages m JOIN campaign_recipients r ON r.campaign_id = m.campaign_id AND r.seq = m.seq
WHERE m.campaign_id = ? AND m.seq = ? AND m.part = ? AND m.state = ?

-- name: put-message
-- What reconciling a chat (or a person) settled for one message; a message
-- already sent keeps its result. Args: campaign, seq, part, run, kind,
-- media id, body, state, message id, error, sent_at.
INSERT INTO campaign_messages (campaign_id, seq, part, run, kind, media_id, body, state, message_id, error, sent_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
ON CONFLICT (campaign_id, seq, part) DO UPDATE SET state = excluded.state, message_id = excluded.message_id,
    error = excluded.error, sent_at = COALESCE(campaign_messages.sent_at, excluded.sent_at)
WHERE campaign_messages.state NOT IN ('sent', 'delivered', 'read')

-- name: ack-message-delivered
-- Args: delivered, at, message id, sent.
UPDATE campaign_messages SET state = ?, delivered_at = ?
WHERE message_id = ? AND state = ?
RETURNING campaign_id, seq

-- name: ack-message-read
-- Args: read, at, message id, sent, delivered.
UPDATE campaign_messages SET state = ?1, read_at = ?2, delivered_at = COALESCE(delivered_at, ?2)
WHERE message_id = ?3 AND state IN (?4, ?5)
RETURNING campaign_id, seq

-- name: ack-recipient-delivered
-- A recipient with several messages is delivered once all of them are.
-- Args: delivered, at, campaign, seq, sent, read.
UPDATE campaign_recipients SET state = ?1, delivered_at = ?2
WHERE campaign_id = ?3 AND seq = ?4 AND state = ?5
  AND NOT EXISTS (SELECT 1 FROM campaign_messages m
                  WHERE m.campaign_id = ?3 AND m.seq = ?4 AND m.state NOT IN (?1, ?6))

-- name: ack-recipient-read
-- ... and read once all of them are. Args: read, at, campaign, seq, sent, delivered.
UPDATE campaign_recipients SET state = ?1, read_at = ?2, delivered_at = COALESCE(delivered_at, ?2)
WHERE campaign_id = ?3 AND seq = ?4 AND state IN (?5, ?6)
  AND NOT EXISTS (SELECT 1 FROM campaign_messages m
                  WHERE m.campaign_id = ?3 AND m.seq = ?4 AND m.state <> ?1)

-- name: message-part-campaign
-- The campaign a message id of a recipient with several belongs to.
SELECT campaign_id FROM campaign_messages WHERE message_id = ? LIMIT 1

-- -------------------------------------------------------- audience and plan
-- A campaign's audience: members of its groups and the contacts chosen one
-- by one, each once. ?1 is the campaign id.

-- name: audience-counts
SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.opted_out THEN 1 ELSE 0 END), 0)
FROM contacts c
WHERE c.id IN (SELECT gm.contact_id FROM group_members gm
               JOIN campaign_groups cg ON cg.group_id = gm.group_id WHERE cg.campaign_id = ?1)
   OR c.id IN (SELECT cc.contact_id FROM campaign_contacts cc WHERE cc.campaign_id = ?1)

-- name: audience-sample
-- Args: campaign, limit.
SELECT c.id, c.phone, c.name, c.v1, c.v2, c.v3, c.v4, c.v5, c.v6, c.v7, c.v8, c.v9, c.v10, c.attributes, c.opted_out,
    c.on_whatsapp, c.on_whatsapp_checked_at
FROM contacts c
WHERE c.id IN (SELECT gm.contact_id FROM group_members gm
               JOIN campaign_groups cg ON cg.group_id = gm.group_id WHERE cg.campaign_id = ?1)
   OR c.id IN (SELECT cc.contact_id FROM campaign_contacts cc WHERE cc.campaign_id = ?1)
ORDER BY c.name, c.id LIMIT ?2

-- name: audience
-- The whole audience in id order, streamed while the plan is written.
SELECT c.id, c.phone, c.name, c.v1, c.v2, c.v3, c.v4, c.v5, c.v6, c.v7, c.v8, c.v9, c.v10, c.attributes, c.opted_out,
    c.on_whatsapp, c.on_whatsapp_checked_at
FROM contacts c
WHERE c.id IN (SELECT gm.contact_id FROM group_members gm
               JOIN campaign_groups cg ON cg.group_id = gm.group_id WHERE cg.campaign_id = ?1)
   OR c.id IN (SELECT cc.contact_id FROM campaign_contacts cc WHERE cc.campaign_id = ?1)
ORDER BY c.id

-- name: plan-claim
-- The plan's first write: a second start of the same campaign waits on it,
-- then finds the campaign no longer startable. The states a start may begin
-- from come from models' campaign rules, as a JSON array.
-- Args: now, campaign, states.
UPDATE campaigns SET updated_at = ?
WHERE id = ? AND state IN (SELECT value FROM json_each(?))

-- name: plan-insert-head
-- Followed by one (?, ?, ?, ?, ?, ?, ?, ?, ?) per recipient, planBatch at most.
INSERT INTO campaign_recipients (campaign_id, seq, contact_id, phone, name, body, run, state, error) VALUES

-- name: plan-skip-option
-- Whether the campaign skips numbers known not to be on WhatsApp, read in
-- the plan's transaction. Args: campaign.
SELECT skip_not_on_whatsapp FROM campaigns WHERE id = ?

-- name: plan-start
-- Args: running, planned, opted out, now, campaign.
UPDATE campaigns SET state = ?1, run = 1, planned = ?2, opted_out = ?3, started_at = ?4,
    pause_reason = '', last_error = '', updated_at = ?4
WHERE id = ?5

-- name: plan-add-run
-- Args: campaign, recipients, now.
INSERT INTO campaign_runs (campaign_id, run, kind, recipients, started_at) VALUES (?, 1, 'full', ?, ?)

-- name: retry-start
-- A new run, only if the campaign is still in the finished state it was read in.
-- Args: running, run, now, campaign, state read.
UPDATE campaigns SET state = ?, run = ?, finished_at = NULL, pause_reason = '', last_error = '', updated_at = ?
WHERE id = ? AND state = ?

-- name: retry-recipients
-- Args: pending, run, campaign, failed.
UPDATE campaign_recipients SET state = ?, run = ?, error = ''
WHERE campaign_id = ? AND state = ?

-- name: retry-add-run
-- Args: campaign, run, recipients, now.
INSERT INTO campaign_runs (campaign_id, run, kind, recipients, started_at) VALUES (?, ?, 'retry', ?, ?)

-- ------------------------------------------------------------------ contacts

-- name: attribute-keys
-- Every extra attribute name some contact has (a template's variables are
-- checked against them).
SELECT DISTINCT j.key FROM contacts, json_each(contacts.attributes) AS j

-- name: contact-attribute-keys
-- The attribute names the contacts an export selects use.
-- ?1: a LIKE pattern over search_text, '' for every contact;
-- ?2: a group id, '' for every group.
SELECT DISTINCT j.key FROM contacts c, json_each(c.attributes) AS j
WHERE (?1 = '' OR c.search_text LIKE ?1 ESCAPE '\')
  AND (?2 = '' OR c.id IN (SELECT contact_id FROM group_members WHERE group_id = ?2))

-- ------------------------------------------------------------------- imports

-- name: import-group-id
-- A group an import names, found by name whatever its case.
SELECT id FROM contact_groups WHERE lower(name) = lower(?)

-- name: import-group-insert
-- Args: id, name, created_at, updated_at.
INSERT INTO contact_groups (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)

-- ------------------------------------------------------- held by an account

-- name: claim-pending-pinned
-- claim-pending for a rotation of a campaign with files: a pending
-- recipient some of whose messages already went out is claimed only
-- through the account that sent them (its account_id), since its chat holds
-- them; '' (released by a person) is free for any account.
-- Args: sending, account, campaign, campaign, pending, run, account, n.
UPDATE campaign_recipients SET state = ?, account_id = ?
WHERE campaign_id = ? AND seq IN (
    SELECT r.seq FROM campaign_recipients r
    WHERE r.campaign_id = ? AND r.state = ? AND r.run = ?
      AND (r.account_id = ? OR r.account_id = '' OR NOT EXISTS (
          SELECT 1 FROM campaign_messages m
          WHERE m.campaign_id = r.campaign_id AND m.seq = r.seq AND m.state IN ('sent', 'delivered', 'read')))
    ORDER BY r.seq LIMIT ?)
RETURNING seq, contact_id, phone, name, body

-- name: release-held-messages
-- The message in flight of each recipient an account holds ("sending"),
-- released by a person: "unknown", with the reason. Run before release-held.
-- Args: unknown, reason, campaign, sending, campaign, run, sending, account.
UPDATE campaign_messages SET state = ?, error = ?
WHERE campaign_id = ? AND state = ? AND seq IN (
    SELECT seq FROM campaign_recipients
    WHERE campaign_id = ? AND run = ? AND state = ? AND account_id = ?)

-- name: release-held
-- A person releases the recipients account holds in a run: those it left
-- "sending", and the pending ones pinned to it (some of their messages went
-- out through it). They become "unknown" with the reason, and free for any
-- account (account_id '') once the person decides.
-- Args: unknown, reason, campaign, run, account, sending, pending.
UPDATE campaign_recipients SET state = ?1, error = ?2, account_id = ''
WHERE campaign_id = ?3 AND run = ?4 AND account_id = ?5 AND (state = ?6 OR (state = ?7 AND EXISTS (
    SELECT 1 FROM campaign_messages m
    WHERE m.campaign_id = campaign_recipients.campaign_id AND m.seq = campaign_recipients.seq
      AND m.state IN ('sent', 'delivered', 'read'))))

-- name: held-by-account
-- How many recipients of a run each account holds ("sending").
-- Args: campaign, run, sending.
SELECT account_id, COUNT(*) FROM campaign_recipients
WHERE campaign_id = ? AND run = ? AND state = ? AND account_id <> ''
GROUP BY account_id

-- name: campaigns-held-by-account
-- The campaigns (and how many recipients) an account holds: left
-- "sending", or pending but pinned to it (some of their messages went out
-- through it).
-- Args: account, sending, pending.
SELECT c.name, COUNT(*) FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id
WHERE r.account_id = ?1 AND (r.state = ?2 OR (r.state = ?3 AND EXISTS (
    SELECT 1 FROM campaign_messages m
    WHERE m.campaign_id = r.campaign_id AND m.seq = r.seq AND m.state IN ('sent', 'delivered', 'read'))))
GROUP BY c.name ORDER BY c.name
