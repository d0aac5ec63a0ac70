package browser

import (
	"context"
	"time"
)

// RecentOutgoing opens phone's chat (click-to-chat without text) and returns
// its last n outgoing messages, oldest first, with their acks. The campaign
// engine uses it after a crash to learn whether a send went out.
func (m *Manager) RecentOutgoing(ctx context.Context, phone string, n int) ([]OutgoingMessage, error) {
	digits, err := phoneDigits(phone)
	if err != nil {
		return nil, err
	}
	var out []OutgoingMessage
	err = m.withPage(ctx, "recent messages", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		if err := m.openChat(ctx, pd, digits, ""); err != nil {
			return err
		}
		// History renders after the chat opens, late on a busy account: wait
		// until rows stop arriving, and give a chat that shows no outgoing
		// row HistoryWait, so a slow history is not read as "never sent".
		var q okResult
		wait := map[string]any{"ms": 400, "emptyMs": m.opts.HistoryWait.Milliseconds(), "timeout": (m.opts.HistoryWait + 5*time.Second).Milliseconds()}
		if err := pd.run(ctx, "quiet", wait, &q); err != nil {
			return err
		}
		var r struct {
			Rows []rowResult    `json:"rows"`
			Hits map[string]int `json:"hits"`
		}
		if err := pd.run(ctx, "outgoing", nil, &r); err != nil {
			return err
		}
		rows := r.Rows
		if n > 0 && len(rows) > n {
			rows = rows[len(rows)-n:]
		}
		for _, row := range rows {
			out = append(out, OutgoingMessage{ID: row.ID, Text: row.Text, Ack: row.Ack, Media: row.Media, FileName: row.Name})
			m.noteAck(row.ID, row.Ack)
		}
		return nil
	})
	return out, err
}
