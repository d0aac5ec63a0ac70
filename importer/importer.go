// Package importer reads contact files (CSV and XLSX) into the store, with a
// dry run that reports what an import would do, and writes contact exports.
package importer

import (
	"context"
	"runtime"
	"strings"
	"sync"

	"github.com/sambad/sambad/models"
)

// MaxListed caps the invalid, duplicate and existing rows a report lists;
// the totals count them all.
const MaxListed = 1000

// batchRows rows are validated together by one worker.
const batchRows = 512

// Store is what an import needs from the database.
type Store interface {
	StoredContacts(ctx context.Context, phones []string) (map[string]*models.Contact, error)
	ImportContacts(ctx context.Context, mode models.ImportMode, fields models.ImportFields, next func() ([]models.ImportRecord, error)) (models.ImportResult, error)
	ListGroups(ctx context.Context) ([]models.Group, error)
}

// Options control one run over a file.
type Options struct {
	Mode   models.ImportMode
	DryRun bool
	Region string // for numbers without a country code
	// Progress, when set, is called now and then with the data rows read.
	Progress func(rows int)
	// AddToGroups puts every contact the file imports into these groups too
	// (created when missing), besides any its groups column names.
	AddToGroups []string
	// MaxBytes is the import limit (SAMBAD_IMPORT_MAX_MB in bytes; 0:
	// DefaultMaxBytes): an XLSX workbook may unpack to no more than this.
	MaxBytes int64
	// TmpDir holds the temp files a large workbook's sheet unpacks to
	// ("": the system's temp directory).
	TmpDir string
}

// Problem is a row that cannot be imported.
type Problem struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Duplicate is a row whose phone an earlier row of the file already has; the
// earlier row wins.
type Duplicate struct {
	Line        int    `json:"line"`
	DuplicateOf int    `json:"duplicate_of"`
	Phone       string `json:"phone"`
}

// Existing is a row whose phone is already stored (listed by dry runs).
type Existing struct {
	Line   int    `json:"line"`
	Phone  string `json:"phone"`
	Action string `json:"action"` // "will update" or "will skip"
	// Changes are the fields a "will update" row changes (none: the stored
	// contact already reads as the row does).
	Changes []models.FieldChange `json:"changes,omitempty"`
}

// Report says what an import did, or on a dry run what it would do.
type Report struct {
	Mode            models.ImportMode `json:"mode"`
	DryRun          bool              `json:"dry_run"`
	Rows            int               `json:"rows"`     // data rows, empty ones not counted
	Valid           int               `json:"valid"`    // imported + updated + skipped
	Imported        int               `json:"imported"` // new contacts
	Updated         int               `json:"updated"`  // stored contacts changed
	Skipped         int               `json:"skipped"`  // stored contacts left alone
	Invalid         []Problem         `json:"invalid"`
	InvalidTotal    int               `json:"invalid_total"`
	Duplicates      []Duplicate       `json:"duplicates"`
	DuplicatesTotal int               `json:"duplicates_total"`
	Existing        []Existing        `json:"existing,omitempty"`
	GroupsCreated   []string          `json:"groups_created"`
	Notes           []string          `json:"notes"`
}

// Run reads the file at path. On a dry run nothing is written; otherwise
// the valid rows are written in one transaction. A *FileError means the
// file as a whole cannot be imported.
func Run(ctx context.Context, st Store, path string, o Options) (*Report, error) {
	limit := o.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	src, err := openSource(path, limit, o.TmpDir)
	if err != nil {
		return nil, err
	}
	lay, err := readHeader(src)
	if err != nil {
		src.Close()
		return nil, err
	}
	_, lay.neutralised = src.(*csvSource)
	defer relaxGC()()
	ctx, cancel := context.WithCancel(ctx)
	p := startPipeline(ctx, src, lay, o.Region)
	defer func() {
		cancel()
		p.wait()
		src.Close()
	}()
	rep := &Report{Mode: o.Mode, DryRun: o.DryRun, Invalid: []Problem{}, Duplicates: []Duplicate{}, GroupsCreated: []string{}, Notes: lay.notes}
	if rep.Notes == nil {
		rep.Notes = []string{}
	}
	c := &collector{p: p, rep: rep, seen: map[string]int{}, progress: o.Progress, extra: o.AddToGroups}
	if o.DryRun {
		return rep, dryRun(ctx, st, c, o.Mode, lay.fields)
	}
	res, err := st.ImportContacts(ctx, o.Mode, lay.fields, c.next)
	if err != nil {
		return nil, err
	}
	rep.Imported, rep.Updated, rep.Skipped = res.Created, res.Updated, res.Skipped
	rep.Valid = res.Created + res.Updated + res.Skipped
	if res.GroupsCreated != nil {
		rep.GroupsCreated = res.GroupsCreated
	}
	return rep, nil
}

func readHeader(src source) (*layout, error) {
	for {
		line, fields, err := src.next()
		if err != nil {
			return nil, err
		}
		if fields == nil {
			return nil, fileErrorf("the file has no header row: the first row should name the columns (phone, name, …)")
		}
		if !allEmpty(fields) {
			return parseHeader(line, fields)
		}
	}
}

func dryRun(ctx context.Context, st Store, c *collector, mode models.ImportMode, fields models.ImportFields) error {
	groups, err := st.ListGroups(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, g := range groups {
		known[strings.ToLower(g.Name)] = true
	}
	action := "will update"
	if mode == models.ImportSkip {
		action = "will skip"
	}
	for {
		batch, err := c.next()
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		phones := make([]string, len(batch))
		for i := range batch {
			phones[i] = batch[i].Contact.Phone
		}
		stored, err := st.StoredContacts(ctx, phones)
		if err != nil {
			return err
		}
		for i := range batch {
			r := &batch[i]
			for _, g := range r.Groups {
				if k := strings.ToLower(g); !known[k] {
					known[k] = true
					c.rep.GroupsCreated = append(c.rep.GroupsCreated, g)
				}
			}
			c.rep.Valid++
			ex, ok := stored[r.Contact.Phone]
			if !ok {
				c.rep.Imported++
				continue
			}
			if mode == models.ImportSkip {
				c.rep.Skipped++
			} else {
				c.rep.Updated++
			}
			if len(c.rep.Existing) < MaxListed {
				e := Existing{Line: r.Line, Phone: r.Contact.Phone, Action: action}
				if mode != models.ImportSkip {
					merged := models.MergeImport(ex, &r.Contact, fields)
					e.Changes = models.ContactChanges(ex, &merged)
				}
				c.rep.Existing = append(c.rep.Existing, e)
			}
		}
	}
}

// collector turns the pipeline's checked rows into batches of records,
// counting invalid rows and dropping phones seen earlier in the file.
type collector struct {
	p        *pipeline
	rep      *Report
	seen     map[string]int // phone → line of its first row
	progress func(int)
	extra    []string // Options.AddToGroups
}

func (c *collector) next() ([]models.ImportRecord, error) {
	for {
		rows, err := c.p.next()
		if err != nil || rows == nil {
			return nil, err
		}
		recs := make([]models.ImportRecord, 0, len(rows))
		for i := range rows {
			r := &rows[i]
			switch {
			case r.empty:
				continue
			case r.problem != "":
				c.rep.Rows++
				c.rep.InvalidTotal++
				if len(c.rep.Invalid) < MaxListed {
					c.rep.Invalid = append(c.rep.Invalid, Problem{Line: r.line, Reason: r.problem})
				}
				continue
			}
			c.rep.Rows++
			phone := r.rec.Contact.Phone
			if first, ok := c.seen[phone]; ok {
				c.rep.DuplicatesTotal++
				if len(c.rep.Duplicates) < MaxListed {
					c.rep.Duplicates = append(c.rep.Duplicates, Duplicate{Line: r.line, DuplicateOf: first, Phone: phone})
				}
				continue
			}
			c.seen[phone] = r.line
			recs = append(recs, withGroups(r.rec, c.extra))
		}
		if c.progress != nil {
			c.progress(c.rep.Rows)
		}
		if len(recs) > 0 {
			return recs, nil
		}
	}
}

// pipeline reads the file in one goroutine and validates batches of rows on
// every core (phone validation is the costly part), handing them back in
// file order.
type pipeline struct {
	ordered chan *job
	wg      sync.WaitGroup
}

type job struct {
	rows []rawRow
	err  error
	done chan []checkedRow
}

func startPipeline(ctx context.Context, src source, lay *layout, region string) *pipeline {
	p := &pipeline{ordered: make(chan *job, 4)}
	work := make(chan *job, 4)
	workers := runtime.GOMAXPROCS(0)
	p.wg.Add(1 + workers)
	go func() {
		defer p.wg.Done()
		defer close(p.ordered)
		defer close(work)
		for {
			j := &job{done: make(chan []checkedRow, 1)}
			for len(j.rows) < batchRows {
				line, fields, err := src.next()
				if err != nil {
					j.err = err
					break
				}
				if fields == nil {
					break
				}
				j.rows = append(j.rows, rawRow{line: line, fields: fields})
			}
			if j.err == nil && len(j.rows) == 0 {
				return
			}
			if j.err == nil {
				select {
				case work <- j:
				case <-ctx.Done():
					return
				}
			}
			select {
			case p.ordered <- j:
			case <-ctx.Done():
				return
			}
			if j.err != nil || len(j.rows) < batchRows {
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			defer p.wg.Done()
			for j := range work {
				out := make([]checkedRow, len(j.rows))
				for i, r := range j.rows {
					out[i] = lay.check(r, region)
					// Let the database writer in: when it comes back from
					// SQLite it would otherwise wait a whole time slice for
					// a core these CPU-bound workers hold.
					runtime.Gosched()
				}
				j.done <- out
			}
		}()
	}
	return p
}

// next returns the next batch in file order, or nil at the end.
func (p *pipeline) next() ([]checkedRow, error) {
	j, ok := <-p.ordered
	if !ok {
		return nil, nil
	}
	if j.err != nil {
		return nil, j.err
	}
	return <-j.done, nil
}

// wait returns once every goroutine of the pipeline has stopped; the
// context must be done or the file read to its end.
func (p *pipeline) wait() {
	for range p.ordered {
	}
	p.wg.Wait()
}

func allEmpty(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// withGroups adds groups to a record's own, once each whatever the case.
func withGroups(r models.ImportRecord, extra []string) models.ImportRecord {
	if len(extra) == 0 {
		return r
	}
	groups := make([]string, 0, len(r.Groups)+len(extra))
	seen := make(map[string]bool, len(r.Groups)+len(extra))
	for _, g := range append(append([]string(nil), r.Groups...), extra...) {
		if k := strings.ToLower(g); !seen[k] {
			seen[k] = true
			groups = append(groups, g)
		}
	}
	r.Groups = groups
	return r
}
