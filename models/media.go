package models

import "time"

// Media kinds: what WhatsApp sends a file as.
const (
	MediaPhoto    = "photo"
	MediaVideo    = "video"
	MediaDocument = "document"
)

// MediaChunkSize is the most bytes one media_chunks row holds (before
// base64). Small on purpose: the sync pushes and pulls up to 1000 rows per
// round trip, so the chunk size bounds what one round trip carries (16 MiB
// of file, ~21 MiB of JSON); 256 KiB chunks made a 100 MB file's push take
// ~950 MiB (see BENCHMARKS.md, "Media library").
const MediaChunkSize = 16 << 10

// Media is one file of the media library. Its bytes are stored by content
// (SHA256); Name is the uploader's file name, kept as data only.
type Media struct {
	ID        string    `gorm:"primaryKey" json:"id"`
	SHA256    string    `gorm:"column:sha256" json:"sha256"`
	Kind      string    `json:"kind"`
	MimeType  string    `json:"mime_type"`
	Size      int64     `json:"size"`
	Name      string    `json:"name"`
	Width     int       `json:"width,omitempty"`
	Height    int       `json:"height,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName is media, not GORM's "media" guess for a plural it cannot make.
func (Media) TableName() string { return "media" }

// MediaInUseError refuses to delete a file that a campaign not yet finished
// will send.
type MediaInUseError struct {
	Campaigns []string // names of the unfinished campaigns using it
}

func (e *MediaInUseError) Error() string {
	names := ""
	for i, n := range e.Campaigns {
		if i > 0 {
			names += ", "
		}
		names += "“" + n + "”"
	}
	return "the file is used by a campaign that has not finished (" + names + "): remove it from the campaign, or wait until the campaign ends"
}
