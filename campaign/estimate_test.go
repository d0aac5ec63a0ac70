package campaign_test

import (
	"context"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// slowSender takes a while per message, as the real driver does (opening
// the chat, typing), time the pacing alone does not know about.
type slowSender struct {
	*nullSender
	took time.Duration
}

func (s *slowSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	time.Sleep(s.took)
	return s.nullSender.SendText(ctx, phone, text)
}

// TestTimeLeftIsMeasured: with 60 ms per send and 40 ms between messages,
// each message takes at least 100 ms. The pacing alone said 40 ms a message
// (and an average of the send time that starts from nothing still says
// less); once a few messages are out the estimate rests on the measured
// time, so it is never under 100 ms a message.
func TestTimeLeftIsMeasured(t *testing.T) {
	s := testdb.SQLite(t)
	snd := &slowSender{nullSender: newNullSender(), took: 60 * time.Millisecond}
	e := runEngine(t, s, snd, nil)
	g, _ := seedContacts(t, s, 12, "71")
	p := models.Pacing{Preset: "custom", MinDelayMS: 40, MaxDelayMS: 40}
	c := newCampaign(t, s, "Hi {{name}}", g.ID, p)
	if left, measured := campaign.EstimateLeft(c.Pacing, 12, e.Live(c.ID)); measured || left != 12*40*time.Millisecond {
		t.Fatalf("before sending: %v (measured %v), want the pacing's 480ms", left, measured)
	}
	if _, err := e.Start(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "four messages", func() bool { return len(snd.messages()) >= 4 })
	l := e.Live(c.ID)
	if l.Measured < 2 || l.PerMessage < 100*time.Millisecond {
		t.Fatalf("after 4 messages: %v a message over %d gaps, want at least 100ms over 2 or more", l.PerMessage, l.Measured)
	}
	left, measured := campaign.EstimateLeft(c.Pacing, 8, l)
	if !measured || left < 8*100*time.Millisecond {
		t.Fatalf("8 left: %v (measured %v), want at least 800ms from the measured time", left, measured)
	}
	if old := campaign.ETA(c.Pacing, 8, l.PerSend); old >= left {
		t.Fatalf("the pacing-only estimate %v is not below the measured %v: the test shows nothing", old, left)
	}
}

// SendFile sends a file as its caption, for tests that do not look at files.
func (s *slowSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
