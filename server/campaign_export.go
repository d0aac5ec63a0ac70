package server

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// exportHeader names the columns of a campaign's result export.
// The last column, account, is the WhatsApp account that sent (its name,
// else its id; "" before a send was attempted).
var exportHeader = []string{"#", "name", "phone", "state", "run", "message_id", "error", "sent_at", "delivered_at", "read_at", "text", "account"}

// failureStates are the states "failures only" exports.
var failureStates = []string{models.RecipientFailed, models.RecipientInvalid, models.RecipientUnknown}

// exportStates reads ?only=failed.
func exportStates(c *gin.Context) ([]string, string) {
	if c.Query("only") == "failed" {
		return failureStates, "failures"
	}
	return nil, "results"
}

// exportRow is one recipient as exported; masked hides the number (and
// numbers in the message and error) from a user who may not see them.
func exportRow(r *models.Recipient, masked bool) []string {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	row := []string{strconv.FormatInt(r.Seq, 10), r.Name, r.Phone, r.State, strconv.Itoa(r.Run), r.MessageID, r.Error,
		ts(r.SentAt), ts(r.DeliveredAt), ts(r.ReadAt), r.Body}
	if masked {
		row[1], row[2], row[6], row[10] = phone.MaskText(row[1]), phone.Masked(row[2]), phone.MaskText(row[6]), phone.MaskText(row[10])
	}
	for i := range row {
		// The phone (column 2) is a validated E.164 number, "+" and digits,
		// which cannot carry a formula; like the contacts export, it stays as
		// it is so other programs read it.
		if i != 2 {
			row[i] = neutralizeCell(row[i])
		}
	}
	return row
}

// neutralizeCell stops a spreadsheet from reading a cell as a formula:
// text starting with = + - @ (or a tab or carriage return) gets a leading '.
func neutralizeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func exportName(cp *models.Campaign, kind, ext string) string {
	safe := make([]rune, 0, len(cp.Name))
	for _, r := range cp.Name {
		if r < 128 && (r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			safe = append(safe, r)
		} else if len(safe) > 0 && safe[len(safe)-1] != '-' {
			safe = append(safe, '-')
		}
	}
	name := string(safe)
	if name == "" || name == "-" {
		name = "campaign"
	}
	return name + "-" + kind + "." + ext
}
