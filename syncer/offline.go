package syncer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// isOffline reports whether err means the cloud cannot be reached (refused,
// reset, timed out, a paused project) rather than that it refused the work
// or the settings are wrong (a certificate that does not verify, a wrong
// password), which are errors a person must fix.
func isOffline(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, cannot_connect_now, too_many_connections: the server
		// is there but not serving. Supabase's pooler answers "Tenant or user
		// not found" (XX000) for a paused project.
		// Deadlocks and serialisation failures are transient: retried like an outage.
		return pe.Code == "57P01" || pe.Code == "57P03" || pe.Code == "53300" ||
			pe.Code == "40P01" || pe.Code == "40001" || pe.Code == "55P03" ||
			(pe.Code == "XX000" && strings.Contains(pe.Message, "Tenant or user not found"))
	}
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var badCert x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &badHost) || errors.As(err, &badCert) || errors.As(err, &verify) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"certificate", "refused TLS", "tls:", "password authentication failed", "does not exist"} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed), errors.As(err, &ne), errors.As(err, &ce), pgconn.Timeout(err):
		return true
	}
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "timeout", "unexpected EOF", "conn closed", "bad connection", "no such host", "server closed the connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// IsUnreachable reports whether err is a Postgres connection that could not
// be made or was lost (for pages in cloud mode). SQLite errors never are.
func IsUnreachable(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	if err == nil || !(errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, pgconn.ErrConnClosed)) {
		return false
	}
	return isOffline(err)
}
