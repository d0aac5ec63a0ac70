package backup_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// seed stores five contacts (one opted out, with attributes), two groups,
// and a completed campaign to the four others with sends, a read and a
// failure.
func seed(t testing.TB, s *models.Store, tag string) {
	t.Helper()
	ctx := context.Background()
	g1, err := s.CreateGroup(ctx, tag+" VIP")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateGroup(ctx, tag+" Empty"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < 5; i++ {
		var c models.Contact
		in := models.ContactInput{Phone: fmt.Sprintf("+1415555%04d", i), Name: fmt.Sprintf("%s Person %d “ü”", tag, i),
			Variables: map[string]string{"v1": "Pune"}, Attributes: map[string]string{"city": "Pune", "tier": fmt.Sprint(i)}}
		if err := in.Apply(&c, "US"); err != nil {
			t.Fatal(err)
		}
		c.OptedOut = i == 4
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	s.AddMembers(ctx, g1.ID, ids)
	cp := &models.Campaign{Name: tag + " campaign", Template: "Hi {{name}}", GroupIDs: []string{g1.ID},
		Pacing: models.Pacing{MinDelayMS: 1000, MaxDelayMS: 2000, DailyCap: 100, QuietStart: "22:00", QuietEnd: "08:00"}}
	if err := s.CreateCampaign(ctx, cp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PlanRecipients(ctx, cp.ID, func(c *models.Contact) (string, error) { return "Hi " + c.Name, nil }); err != nil {
		t.Fatal(err)
	}
	recs, _ := s.ClaimPending(ctx, cp.ID, 1, 10)
	now := time.Now().UTC().Truncate(time.Microsecond)
	var outs []models.Outcome
	for i, r := range recs {
		o := models.Outcome{Seq: r.Seq, State: models.RecipientSent, MessageID: fmt.Sprintf("%s-%d", cp.ID, i), At: now}
		if i == 2 {
			o.State, o.Error = models.RecipientFailed, "no send button"
		}
		outs = append(outs, o)
	}
	if err := s.RecordOutcomes(ctx, cp.ID, outs); err != nil {
		t.Fatal(err)
	}
	s.ApplyAck(ctx, cp.ID+"-0", models.RecipientRead, now.Add(time.Minute))
	if err := testdb.Gorm(s).Exec("UPDATE campaigns SET state = 'completed', finished_at = ? WHERE id = ?", now, cp.ID).Error; err != nil {
		t.Fatal(err)
	}
}

// snapshot is every business table's rows as sorted JSON lines, with JSON
// text normalised (Postgres's JSONB spaces it differently) and times to the
// microsecond.
type snapshot map[string][]string

type snapWriter struct {
	s    snapshot
	cur  string
	cols []string
}

func (w *snapWriter) Table(name string, cols []string) error {
	w.cur, w.cols = name, cols
	w.s[name] = []string{}
	return nil
}

// Row keeps a row as a JSON object keyed by column name, so a snapshot of
// an older schema compares with a newer one column by column.
func (w *snapWriter) Row(v []any) error {
	out := make(map[string]any, len(v))
	for i, x := range v {
		k := w.cols[i]
		switch y := x.(type) {
		case time.Time:
			// Postgres keeps microseconds; a few SQLite columns hold nanoseconds.
			out[k] = y.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
		case string:
			var js map[string]any
			if strings.HasPrefix(y, "{") && json.Unmarshal([]byte(y), &js) == nil {
				b, _ := json.Marshal(js)
				out[k] = string(b)
			} else {
				out[k] = y
			}
		default:
			out[k] = y
		}
	}
	b, _ := json.Marshal(out)
	w.s[w.cur] = append(w.s[w.cur], string(b))
	return nil
}

func snap(t testing.TB, s *models.Store) snapshot {
	t.Helper()
	w := &snapWriter{s: snapshot{}}
	if err := s.Dump(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	for _, rows := range w.s {
		sort.Strings(rows)
	}
	return w.s
}

func write(t testing.TB, s *models.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := backup.Write(context.Background(), &buf, s, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func toFile(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "backup.zip")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRestoreRoundTrip(t *testing.T) {
	kinds := map[string]func(testing.TB) *models.Store{"sqlite": testdb.SQLite, "postgres": testdb.Postgres}
	for _, from := range []string{"sqlite", "postgres"} {
		for _, to := range []string{"sqlite", "postgres"} {
			t.Run(from+"-to-"+to, func(t *testing.T) {
				src := kinds[from](t)
				seed(t, src, "Src")
				want := snap(t, src)
				if len(want["contacts"]) != 5 || len(want["campaign_recipients"]) != 4 || len(want["campaign_sends"]) != 4 {
					t.Fatalf("seed did not store what it should: %d contacts, %d recipients, %d sends",
						len(want["contacts"]), len(want["campaign_recipients"]), len(want["campaign_sends"]))
				}
				file := toFile(t, write(t, src))

				dst := kinds[to](t)
				seed(t, dst, "Old") // replaced, not merged
				res, err := backup.Restore(context.Background(), dst, nil, file, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				if res.Rows["contacts"] != 5 || res.Manifest.Dialect != from {
					t.Fatalf("result %+v", res)
				}
				got := snap(t, dst)
				if !reflect.DeepEqual(got, want) {
					for table := range want {
						if !reflect.DeepEqual(got[table], want[table]) {
							t.Errorf("%s after the restore:\n got %v\nwant %v", table, got[table], want[table])
						}
					}
				}
				// The restored data works: the contact list and a campaign read back.
				if n, _ := dst.CountContacts(context.Background()); n != 5 {
					t.Fatalf("%d contacts after the restore", n)
				}
			})
		}
	}
}

// TestRestoreRefusesBadFiles: a file that is not a whole Sambad backup is
// refused with a message, and the data is exactly as before.
func TestRestoreRefusesBadFiles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		seed(t, s, "Live")
		good := write(t, s)
		before := snap(t, s)
		cases := map[string]struct {
			data []byte
			says string
		}{
			"garbage":        {[]byte("PK\x03\x04 this is not really a zip at all"), "not a Sambad backup"},
			"empty":          {nil, "not a Sambad backup"},
			"truncated":      {good[:len(good)*2/3], "not a Sambad backup"},
			"other zip":      {zipOf(t, map[string]string{"hello.txt": "hi"}), "no manifest.json"},
			"other manifest": {zipOf(t, map[string]string{"manifest.json": `{"format":"something-else"}`}), "not Sambad's"},
			"newer schema":   {rewrite(t, good, func(m map[string]any, _ map[string]string) { m["schema_version"] = 9999 }), "newer Sambad"},
			"missing table":  {rewrite(t, good, func(_ map[string]any, f map[string]string) { delete(f, "tables/contacts.jsonl") }), "incomplete"},
			"row cut": {rewrite(t, good, func(_ map[string]any, f map[string]string) {
				f["tables/contacts.jsonl"] = firstLines(f["tables/contacts.jsonl"], 2)
			}), "manifest says 5"},
			"bad row":       {rewrite(t, good, func(_ map[string]any, f map[string]string) { f["tables/contacts.jsonl"] += "[1, 2\n" }), "row 6 of tables/contacts.jsonl is not valid"},
			"wrong columns": {rewrite(t, good, func(_ map[string]any, f map[string]string) { f["tables/contact_groups.jsonl"] += `["x"]` + "\n" }), "cannot be restored"},
			"dangling member": {rewrite(t, good, func(_ map[string]any, f map[string]string) {
				f["tables/group_members.jsonl"] = strings.Replace(f["tables/group_members.jsonl"], `"0`, `"f`, 1)
			}), "cannot be restored"},
		}
		for name, c := range cases {
			t.Run(name, func(t *testing.T) {
				_, err := backup.Restore(context.Background(), s, nil, toFile(t, c.data), t.TempDir())
				var be *backup.Error
				if !errors.As(err, &be) {
					t.Fatalf("restore = %v, want a refusal", err)
				}
				if !strings.Contains(be.Msg, c.says) || !strings.Contains(be.Msg, "Nothing was changed") {
					t.Errorf("message %q does not say %q and that nothing changed", be.Msg, c.says)
				}
				if after := snap(t, s); !reflect.DeepEqual(after, before) {
					t.Fatal("a refused restore changed the data")
				}
			})
		}
	})
}

func TestRestoreRefusesWhileACampaignRuns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		seed(t, s, "Live")
		file := toFile(t, write(t, s))
		testdb.Gorm(s).Exec("UPDATE campaigns SET state = 'running'")
		before := snap(t, s)
		_, err := backup.Restore(context.Background(), s, nil, file, t.TempDir())
		var be *backup.Error
		if !errors.As(err, &be) || !strings.Contains(be.Msg, "A campaign is running") {
			t.Fatalf("restore while running = %v", err)
		}
		if !reflect.DeepEqual(snap(t, s), before) {
			t.Fatal("a refused restore changed the data")
		}
	})
}

// TestRestoreParksRunningCampaigns: a backup made mid-campaign restores
// with the campaign paused, so it never sends by itself.
func TestRestoreParksRunningCampaigns(t *testing.T) {
	src := testdb.SQLite(t)
	seed(t, src, "Src")
	testdb.Gorm(src).Exec("UPDATE campaigns SET state = 'running'")
	dst := testdb.SQLite(t)
	res, err := backup.Restore(context.Background(), dst, nil, toFile(t, write(t, src)), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := dst.CampaignsInState(context.Background(), models.CampaignPaused)
	if res.Paused != 1 || len(cs) != 1 || cs[0].PauseReason != models.PauseUser {
		t.Fatalf("paused %d, campaigns %+v", res.Paused, cs)
	}
}

// TestRestoreMigratesAnOlderBackup restores an archive made at schema 8
// (before this build's later migrations) into a current database.
func TestRestoreMigratesAnOlderBackup(t *testing.T) {
	ctx := context.Background()
	old := seedAtSchema(t, 8, "Old")
	defer old.Close()
	data := write(t, old)
	m, zr, err := backup.Inspect(toFile(t, data))
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()
	latest, _ := models.LatestSchemaVersion()
	if m.SchemaVersion != 8 || latest <= 8 {
		t.Fatalf("archive at schema %d, build at %d: the test needs an older archive", m.SchemaVersion, latest)
	}
	for name, open := range map[string]func(testing.TB) *models.Store{"sqlite": testdb.SQLite, "postgres": testdb.Postgres} {
		t.Run(name, func(t *testing.T) {
			live := open(t)
			if _, err := backup.Restore(ctx, live, nil, toFile(t, data), t.TempDir()); err != nil {
				t.Fatal(err)
			}
			got, want := snap(t, live), snap(t, old)
			for table, rows := range got {
				if _, ok := want[table]; !ok && len(rows) > 0 {
					// A table added by a later migration starts empty.
					t.Errorf("%s, newer than the backup, holds %v", table, rows)
				}
			}
			for table, rows := range want {
				// Columns added by later migrations hold their defaults;
				// every column the backup had holds its value.
				if g := oldColumns(t, got[table], rows); !reflect.DeepEqual(g, rows) {
					t.Errorf("%s after the restore:\n got %v\nwant %v", table, g, rows)
				}
			}
		})
	}
}

// oldColumns keeps, of each restored row, the columns the backup's rows
// have, and fails the test when a column the backup lacked holds more than
// an empty default (NULL, false, 0 or "").
func oldColumns(t *testing.T, got, want []string) []string {
	t.Helper()
	if len(want) == 0 {
		return got
	}
	var keep map[string]any
	json.Unmarshal([]byte(want[0]), &keep)
	out := make([]string, 0, len(got))
	for _, r := range got {
		var row map[string]any
		json.Unmarshal([]byte(r), &row)
		for k, v := range row {
			if _, ok := keep[k]; ok {
				continue
			}
			if a, ok := v.([]any); ok && len(a) == 0 {
				v = nil // an empty list (campaigns.account_ids) is a default too
			}
			if d, ok := newColumnDefaults[k]; ok && v == d {
				v = nil
			}
			if v != nil && v != false && v != float64(0) && v != "" && v != "[]" {
				t.Errorf("column %s, newer than the backup, holds %v after the restore", k, v)
			}
			delete(row, k)
		}
		b, _ := json.Marshal(row)
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

// newColumnDefaults are the defaults, other than zero values, of columns
// later migrations added.
var newColumnDefaults = map[string]any{"caption_mode": "first_file"}

// seedAtSchema returns a store at an older schema version holding what
// seed writes, as an install of that version would have it: the data is
// seeded by today's store in today's schema and copied, column by column
// that the old schema has, into a database migrated only up to version.
// (Today's store cannot write into an old schema: it knows columns later
// migrations added, such as contacts.on_whatsapp in 17.)
func seedAtSchema(t *testing.T, version int64, tag string) *models.Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	cur, err := testdb.Open(ctx, models.OpenOptions{SQLitePath: filepath.Join(dir, "current.db")})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, cur, tag)
	cur.Close()
	old, err := testdb.Staging(ctx, filepath.Join(dir, "old.db"), version)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := testdb.DB(old).SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("PRAGMA foreign_keys = OFF")
	exec("ATTACH DATABASE ? AS cur", filepath.Join(dir, "current.db"))
	rows, err := conn.QueryContext(ctx, `SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, tb := range tables {
		// Only what both schemas have: a later migration may have dropped a
		// table or column (00015 dropped auth_password).
		crows, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_info(?) WHERE name IN (SELECT name FROM pragma_table_info(?, 'cur'))`, tb, tb)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for crows.Next() {
			var c string
			crows.Scan(&c)
			cols = append(cols, `"`+c+`"`)
		}
		crows.Close()
		if len(cols) == 0 {
			continue
		}
		list := strings.Join(cols, ", ")
		exec(fmt.Sprintf(`INSERT INTO main."%s" (%s) SELECT %s FROM cur."%s"`, tb, list, list, tb))
	}
	exec("DETACH DATABASE cur")
	exec("PRAGMA foreign_keys = ON")
	return old
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	zw.Close()
	return buf.Bytes()
}

// rewrite unpacks an archive, lets fn change its manifest and files, and packs it again.
func rewrite(t testing.TB, archive []byte, fn func(manifest map[string]any, files map[string]string)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		files[f.Name] = string(b)
	}
	var m map[string]any
	json.Unmarshal([]byte(files["manifest.json"]), &m)
	fn(m, files)
	mb, _ := json.Marshal(m)
	files["manifest.json"] = string(mb)
	return zipOf(t, files)
}

func firstLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[:n], "")
}
