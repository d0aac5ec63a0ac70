package server

import (
	"encoding/base64"
	"html/template"

	"github.com/sirupsen/logrus"
	qrcode "github.com/skip2/go-qrcode"
)

// sessionView is what the WhatsApp page's live status fragment shows.
type sessionView struct {
	Enabled bool
	Status  SessionStatus
	QRImage template.URL // data: URI of the QR rendered from its payload
	Label   string
	Tone    string // pill colour: ok, warn, bad, brand
	Hint    string
	// Live marks the update sent over the event stream: the parts of the
	// page outside the status box come with it, swapped out of band.
	Live bool
}

var stateText = map[string]struct{ label, tone, hint string }{
	"stopped":       {"Stopped", "", "WhatsApp is not running. Start it to link or use your account."},
	"starting":      {"Starting", "brand", "Starting the browser…"},
	"loading":       {"Loading", "brand", "WhatsApp Web is loading…"},
	"qr":            {"Scan the QR code", "warn", "On your phone open WhatsApp → Settings → Linked devices → Link a device, and scan this code."},
	"ready":         {"Connected", "ok", "Your WhatsApp is linked and ready to send."},
	"conflict":      {"Open elsewhere", "warn", "WhatsApp is open in another window. Take over to use it here."},
	"phone_offline": {"Phone offline", "warn", "WhatsApp cannot reach your phone. Campaigns wait until it is back."},
	"logged_out":    {"Logged out", "bad", "The device was logged out. Start again and scan a new QR code."},
	"crashed":       {"Browser crashed", "bad", "The browser stopped unexpectedly; Sambad is restarting it."},
	"restarting":    {"Restarting", "warn", "Restarting the browser on the same profile…"},
	"failed":        {"Failed", "bad", "WhatsApp could not start. See the reason below, then start again."},
}

func newSessionView(enabled bool, st SessionStatus) sessionView {
	v := sessionView{Enabled: enabled, Status: st}
	t, ok := stateText[st.State]
	if !ok {
		t = stateText["stopped"]
	}
	v.Label, v.Tone, v.Hint = t.label, t.tone, t.hint
	if !enabled {
		v.Label, v.Tone, v.Hint = "Off", "bad", "The WhatsApp driver is not available."
	}
	if st.State == "qr" && st.QR != nil && *st.QR != "" {
		png, err := qrcode.Encode(*st.QR, qrcode.Medium, 264)
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render the QR code")
		} else {
			v.QRImage = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
	}
	return v
}
