package models

import (
	"bufio"
	"embed"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// queriesFS holds the store's hand-written SQL, one file per dialect, so the
// two can be read side by side. Each query starts with a "-- name: foo"
// line; the comment lines after it say what it does and why it is shaped
// so (they are not sent to the database).
//
//go:embed queries/*.sql
var queriesFS embed.FS

// queries is the store's hand-written SQL by name. A field tagged
// query:"name" must be in both dialect files, query:"name,sqlite" or
// query:"name,postgres" only in that one: the store refuses to open when one
// is missing (or a file names a query no field takes), never at the first
// call. SQLite queries bind with ?, Postgres ones with $n.
type queries struct {
	// Recipients (campaign_recipients.go).
	ClaimPending         string `query:"claim-pending"`
	RecordOutcome        string `query:"record-outcome,sqlite"`
	RecordOutcomeLedger  string `query:"record-outcome-ledger,sqlite"`
	RecordOutcomes       string `query:"record-outcomes,postgres"`
	AckDelivered         string `query:"ack-delivered"`
	AckRead              string `query:"ack-read"`
	MessageCampaign      string `query:"message-campaign"`
	CountStates          string `query:"count-states"`
	CountStatesOfRun     string `query:"count-states-of-run"`
	CountStatesByAccount string `query:"count-states-by-account"`
	SetRecipientState    string `query:"set-recipient-state"`
	ResolveUnknownSent   string `query:"resolve-unknown-sent"`
	ResolveUnknownResend string `query:"resolve-unknown-resend"`
	SentSince            string `query:"sent-since"`
	// Recipients held by one account (campaign_held.go).
	ClaimPendingPinned     string `query:"claim-pending-pinned"`
	ReleaseHeldMessages    string `query:"release-held-messages"`
	ReleaseHeld            string `query:"release-held"`
	HeldByAccount          string `query:"held-by-account"`
	CampaignsHeldByAccount string `query:"campaigns-held-by-account"`
	// Accounts (whatsapp_account_store.go).
	SentSinceByAccount string `query:"sent-since-by-account"`

	// Messages of a recipient with files (campaign_messages.go).
	StartMessage          string `query:"start-message"`
	RecordMessage         string `query:"record-message"`
	RecordMessageLedger   string `query:"record-message-ledger"`
	PutMessage            string `query:"put-message"`
	AckMessageDelivered   string `query:"ack-message-delivered"`
	AckMessageRead        string `query:"ack-message-read"`
	AckRecipientDelivered string `query:"ack-recipient-delivered"`
	AckRecipientRead      string `query:"ack-recipient-read"`
	MessagePartCampaign   string `query:"message-part-campaign"`

	// Takeover between installs (campaign_takeover.go).
	CountInDoubt string `query:"count-in-doubt"`
	MarkInDoubt  string `query:"mark-in-doubt"`
	SendLedger   string `query:"send-ledger"`

	// Audience and planning (campaign_plan.go, campaign_plan_pg.go).
	AudienceCounts    string `query:"audience-counts"`
	AudienceSample    string `query:"audience-sample"`
	Audience          string `query:"audience"`
	PlanClaim         string `query:"plan-claim"`
	PlanInsertHead    string `query:"plan-insert-head,sqlite"`
	PlanStart         string `query:"plan-start"`
	PlanSkipOption    string `query:"plan-skip-option"`
	PlanAddRun        string `query:"plan-add-run"`
	RetryStart        string `query:"retry-start"`
	RetryRecipients   string `query:"retry-recipients"`
	RetryAddRun       string `query:"retry-add-run"`
	AttributeKeys     string `query:"attribute-keys"`
	ContactAttributes string `query:"contact-attribute-keys"`

	// Imports (contact_import.go).
	ImportGroupID     string `query:"import-group-id"`
	ImportGroupInsert string `query:"import-group-insert"`

	// The rest of the store (queries_store.go).
	storeQueries
}

// loadQueries reads the dialect's file into a queries.
func loadQueries(dialect string) (*queries, error) {
	src, err := queriesFS.ReadFile("queries/" + dialect + ".sql")
	if err != nil {
		return nil, fmt.Errorf("store: no queries for dialect %s: %w", dialect, err)
	}
	byName, err := parseQueries(string(src))
	if err != nil {
		return nil, fmt.Errorf("store: queries/%s.sql: %w", dialect, err)
	}
	q := &queries{}
	if err := fillQueries(q, byName, dialect); err != nil {
		return nil, fmt.Errorf("store: queries/%s.sql: %w", dialect, err)
	}
	return q, nil
}

// parseQueries splits a file at its "-- name: foo" lines; comment lines are
// dropped from the query text.
func parseQueries(src string) (map[string]string, error) {
	out := map[string]string{}
	var name string
	var body strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		text := strings.TrimSpace(body.String())
		if text == "" {
			return fmt.Errorf("query %q is empty", name)
		}
		out[name] = text
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if n, ok := strings.CutPrefix(l, "-- name:"); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			name = strings.TrimSpace(n)
			if _, dup := out[name]; dup || name == "" {
				return nil, fmt.Errorf("line %d: query name %q is empty or used twice", line, name)
			}
			continue
		}
		if l == "" || strings.HasPrefix(l, "--") {
			continue
		}
		if name == "" {
			return nil, fmt.Errorf("line %d: SQL before the first -- name: line", line)
		}
		body.WriteString(sc.Text())
		body.WriteByte('\n')
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, sc.Err()
}

// fillQueries sets each field of q from byName, checking that the file has
// exactly the queries the dialect needs.
func fillQueries(q *queries, byName map[string]string, dialect string) error {
	used := map[string]bool{}
	if err := fillFields(reflect.ValueOf(q).Elem(), byName, dialect, used); err != nil {
		return err
	}
	for name := range byName {
		if !used[name] {
			return fmt.Errorf("query %q is not used by the store (for this dialect)", name)
		}
	}
	return nil
}

// fillFields sets the tagged string fields of v, and those of the structs
// it embeds (storeQueries).
func fillFields(v reflect.Value, byName map[string]string, dialect string, used map[string]bool) error {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := fillFields(v.Field(i), byName, dialect, used); err != nil {
				return err
			}
			continue
		}
		name, only, _ := strings.Cut(f.Tag.Get("query"), ",")
		if only != "" && only != dialect {
			continue
		}
		text, ok := byName[name]
		if !ok {
			return fmt.Errorf("query %q is missing", name)
		}
		v.Field(i).SetString(text)
		used[name] = true
	}
	return nil
}

// jsonArray writes strings as a JSON array, the way a SQLite query takes a
// list in one parameter (json_each).
func jsonArray(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// bindVar is a statement's n-th parameter (from 1): ?n for SQLite, $n for
// Postgres. The one place the two dialects' binding differs, for the
// statements whose row count varies (multi-row INSERTs) and so cannot be
// named queries.
func bindVar(dialect string, n int) string {
	if dialect == DialectPostgres {
		return "$" + strconv.Itoa(n)
	}
	return "?" + strconv.Itoa(n)
}

// valuesList is the VALUES list of rows tuples of cols parameters each
// (plain ? on SQLite: the statements stay as they were measured).
func valuesList(dialect string, rows, cols int) string {
	var sb strings.Builder
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				sb.WriteByte(',')
			}
			if dialect == DialectPostgres {
				sb.WriteString(bindVar(dialect, n))
			} else {
				sb.WriteByte('?')
			}
			n++
		}
		sb.WriteByte(')')
	}
	return sb.String()
}
