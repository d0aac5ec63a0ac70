// Package logging configures logrus: the error log in the data directory with
// size-based rotation, mirrored to stderr, in the format of the original
// Sambad: `[2024-01-15T10:30:01.245Z] [INFO ] message {"field":"value"}`.
package logging

import (
	"fmt"
	"io"
	"os"

	"github.com/sirupsen/logrus"
	"gopkg.in/natefinch/lumberjack.v2"
)

// Options tells Setup where and how much to log.
type Options struct {
	Path       string // error.log
	Level      string // debug, info, warn, error
	MaxSizeMB  int    // rotate when the file passes this size
	MaxBackups int    // rotated files kept
	Stderr     io.Writer
}

// Setup points the standard logrus logger at the error log and stderr. The
// returned closer flushes and closes the file.
func Setup(o Options) (io.Closer, error) {
	level, err := logrus.ParseLevel(o.Level)
	if err != nil {
		return nil, fmt.Errorf("logging: %w", err)
	}
	f, err := os.OpenFile(o.Path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("logging: unable to open %s: %w", o.Path, err)
	}
	f.Close()
	file := &lumberjack.Logger{
		Filename:   o.Path,
		MaxSize:    o.MaxSizeMB,
		MaxBackups: o.MaxBackups,
		LocalTime:  false,
	}
	stderr := o.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	logrus.SetFormatter(&Formatter{})
	logrus.SetOutput(io.MultiWriter(file, stderr))
	logrus.SetLevel(level)
	return file, nil
}
