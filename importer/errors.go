package importer

import "fmt"

// FileError is a problem with the whole file (not one row) that a person can
// fix: the format, the encoding, the header, the size.
type FileError struct{ Message string }

func (e *FileError) Error() string { return e.Message }

func fileErrorf(format string, args ...any) error {
	return &FileError{Message: fmt.Sprintf(format, args...)}
}
