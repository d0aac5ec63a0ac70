package whatsapp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/whatsapp"
)

// The campaign port's SendFile and RecentOutgoing through the real driver
// and the simulator: a document arrives under its name with exact bytes
// and is read back as a document; a photo over 16 MB is a failed result
// (refused, nothing sent), not an unknown outcome.
func TestSenderSendFile(t *testing.T) {
	r := newRig(t)
	s := whatsapp.Sender{Manager: r.m}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("rate card "), 4000)...)
	sum := sha256.Sum256(data)
	path := filepath.Join(t.TempDir(), hex.EncodeToString(sum[:]))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	const phone = "+919871000001"
	res, err := s.SendFile(ctx, phone, campaign.File{Path: path, Name: "Rate card.pdf", Kind: "document", Caption: "Hello Ravi, our rates"})
	if err != nil || res.Status != campaign.StatusSent || res.MessageID == "" {
		t.Fatalf("SendFile = %+v, %v", res, err)
	}
	var got []string
	for _, e := range r.sim.Ledger() {
		if e.Phone == "919871000001" {
			got = append(got, e.Kind+"|"+e.FileName+"|"+e.Text+"|"+e.SHA256)
		}
	}
	if want := "document|Rate card.pdf|Hello Ravi, our rates|" + hex.EncodeToString(sum[:]); len(got) != 1 || got[0] != want {
		t.Fatalf("ledger %q, want [%q]", got, want)
	}
	recent, err := s.RecentOutgoing(ctx, phone, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 1 || recent[0].ID != res.MessageID || recent[0].Media != "document" || recent[0].FileName != "Rate card.pdf" || recent[0].Text != "Hello Ravi, our rates" {
		t.Fatalf("RecentOutgoing = %+v", recent)
	}

	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, append([]byte("\xff\xd8\xff\xe0"), make([]byte, 17<<20)...), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err = s.SendFile(ctx, phone, campaign.File{Path: big, Name: "big.jpg", Kind: "photo", Caption: "too big"})
	if err != nil || res.Status != campaign.StatusFailed || !strings.Contains(res.Reason, "16 MB") {
		t.Fatalf("SendFile of a 17 MB photo = %+v, %v; want failed with the 16 MB limit", res, err)
	}
	if n := len(r.sim.Ledger()); n != 1 {
		t.Fatalf("ledger has %d messages, want 1", n)
	}
}
