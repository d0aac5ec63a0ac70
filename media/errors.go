package media

import (
	"errors"
	"fmt"
)

// TooLargeError refuses a file over its kind's limit. Reading stopped one
// byte past the limit; nothing was kept.
type TooLargeError struct {
	Name    string
	Kind    string
	Limit   int64  // bytes
	Setting string // the variable that sets the limit, "" for WhatsApp's own
}

func (e *TooLargeError) Error() string {
	mb := e.Limit >> 20
	if e.Setting != "" {
		return fmt.Sprintf("%q is larger than %d MB, the most a %s may be (%s): upload a smaller file or raise the limit", e.Name, mb, e.Kind, e.Setting)
	}
	return fmt.Sprintf("%q is a %s larger than %d MB, WhatsApp's limit for photos and videos: upload a smaller file", e.Name, e.Kind, mb)
}

// InvalidError refuses a file whose content is not what it must be (an
// image that cannot be decoded, an empty file).
type InvalidError struct {
	Name string
	Msg  string
}

func (e *InvalidError) Error() string {
	if e.Name == "" {
		return e.Msg
	}
	return fmt.Sprintf("%q: %s", e.Name, e.Msg)
}

// IncompleteError reports an upload whose sender stopped before the end of
// the file (a closed tab, a lost connection, a malformed body).
type IncompleteError struct {
	Name string
	Err  error
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("the upload of %q stopped before the end of the file (%v): try again", e.Name, e.Err)
}

func (e *IncompleteError) Unwrap() error { return e.Err }

// ErrNotHere reports a file whose row is here but whose bytes are not yet:
// in hybrid mode they arrive as chunks with the pull.
var ErrNotHere = errors.New("media: the file's content has not reached this install yet")

// ErrNoThumbnail reports a file that has no thumbnail (videos, documents).
var ErrNoThumbnail = errors.New("media: only photos have thumbnails")
