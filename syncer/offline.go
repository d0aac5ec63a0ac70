package syncer

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// isOffline reports whether err means the cloud cannot be reached (refused,
// reset, timed out, a paused project) rather than that it refused the work.
func isOffline(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed), errors.As(err, &ne), errors.As(err, &ce), pgconn.Timeout(err):
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, cannot_connect_now, too_many_connections: the server is there but not serving.
		return pe.Code == "57P01" || pe.Code == "57P03" || pe.Code == "53300"
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "timeout", "unexpected EOF", "conn closed", "bad connection", "no such host", "server closed the connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
