package importer

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/models"
)

// ExportStore is what an export reads.
type ExportStore interface {
	ContactAttributeKeys(ctx context.Context, q models.ContactQuery) ([]string, error)
	EachContact(ctx context.Context, q models.ContactQuery, fn func(c *models.Contact, groups []string) error) error
}

// Export writes the contacts q selects as CSV or XLSX: phone, name, v1..v10,
// groups, one column per attribute, then what the last number check found
// (on_whatsapp: true, false or empty for not known, and its date). It
// streams; the import reads the file back to the same contacts (it leaves
// the number check's columns alone: only a check sets them).
type Export struct {
	keys []string
	st   ExportStore
	q    models.ContactQuery
	// MaskPhone, when set, writes each number through it (phone.Masked for
	// a user who may not see numbers).
	MaskPhone func(string) string
	// MaskText, when set, masks numbers in every other cell (an attribute
	// or variable holding a second number).
	MaskText func(string) string
}

// NewExport prepares an export; errors here (an unknown group) come before
// anything is written, so a handler can still answer with a status.
func NewExport(ctx context.Context, st ExportStore, q models.ContactQuery) (*Export, error) {
	keys, err := st.ContactAttributeKeys(ctx, q)
	if err != nil {
		return nil, err
	}
	return &Export{keys: keys, st: st, q: q}, nil
}

func (e *Export) header() []string {
	h := []string{"phone", "name"}
	for i := 1; i <= models.VariableCount; i++ {
		h = append(h, fmt.Sprintf("v%d", i))
	}
	h = append(append(h, "groups"), e.keys...)
	return append(h, "on_whatsapp", "on_whatsapp_checked_at")
}

func (e *Export) row(c *models.Contact, groups []string, cell func(string) string) []string {
	r := make([]string, 0, 13+len(e.keys))
	// The phone is a validated E.164 number (+ and digits), data that cannot
	// carry a formula, so it is written as it is: CSV readers get the real
	// number, and Excel users should take the XLSX file, where it is text.
	num := c.Phone
	if e.MaskPhone != nil {
		num = e.MaskPhone(num)
	}
	if e.MaskText != nil {
		inner := cell
		cell = func(s string) string { return inner(e.MaskText(s)) }
	}
	r = append(r, num, cell(c.Name))
	for _, v := range c.Variables() {
		r = append(r, cell(v))
	}
	r = append(r, cell(JoinGroups(groups)))
	for _, k := range e.keys {
		r = append(r, cell(c.Attributes[k]))
	}
	on, at := "", ""
	if c.OnWhatsApp != nil {
		on = strconv.FormatBool(*c.OnWhatsApp)
	}
	if c.OnWhatsAppCheckedAt != nil {
		at = c.OnWhatsAppCheckedAt.UTC().Format(time.RFC3339)
	}
	return append(r, on, at)
}

// WriteCSV writes the export as CSV, each cell that a spreadsheet would run
// as a formula neutralised (see Neutralise).
func (e *Export) WriteCSV(ctx context.Context, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(e.header()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	err := e.st.EachContact(ctx, e.q, func(c *models.Contact, groups []string) error {
		return cw.Write(e.row(c, groups, Neutralise))
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// WriteXLSX writes the export as a workbook. Every cell is a text cell,
// which Excel never runs as a formula, so values are written unchanged.
func (e *Export) WriteXLSX(ctx context.Context, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	n := 0
	writeRow := func(cells []string) error {
		n++
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		name, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(name, vals)
	}
	if err := writeRow(e.header()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	err = e.st.EachContact(ctx, e.q, func(c *models.Contact, groups []string) error {
		return writeRow(e.row(c, groups, func(s string) string { return s }))
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f.SetSheetName("Sheet1", "Contacts")
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
