package browser

import (
	"context"
	"errors"
)

// File is one attachment to send: a file on disk, the name a recipient sees
// (documents), which attach-menu input takes it, and its caption.
type File struct {
	Path    string
	Name    string
	Kind    string // "photo", "video" or "document"
	Caption string
}

// SendFile sends one file with its caption to phone through the attach menu
// and the media editor, and waits for its message id and first tick. Its
// outcomes are those of SendText.
func (m *Manager) SendFile(ctx context.Context, phone string, f File) (SendResult, error) {
	return SendResult{Phone: phone, Ack: AckUnknown}, errors.New("browser: sending files is not built yet")
}
