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
