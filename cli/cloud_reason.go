package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// describeOpenError says in a sentence why the cloud database did not open,
// and whether the database answered and refused (needsFix: trying again soon
// will not help until someone changes a setting) rather than being out of
// reach. The sentence never carries the URL or the password.
func describeOpenError(err error) (reason string, needsFix bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01":
			return "password authentication failed: the database refused the password in DATABASE_URL", true
		case "28000":
			return "the database refused this user (check the user name in DATABASE_URL; Supabase's pooler wants postgres.<project-ref>)", true
		case "3D000":
			return "the database named in DATABASE_URL does not exist", true
		case "53300":
			return "the database has too many connections open; it may free some soon", false
		case "57P03":
			return "the database is starting up or shutting down", false
		}
		return fmt.Sprintf("the database answered but refused Sambad: %s (SQLSTATE %s)", pe.Message, pe.Code), true
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	switch {
	case errors.As(err, &dnsErr):
		return "the host name could not be found (DNS); check the host in DATABASE_URL and this computer's network", false
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing accepts connections at that address (is the database running, or the Supabase project paused?)", false
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "no network route to the host (is this computer offline?)", false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return "the connection timed out (the network or a firewall may be dropping it)", false
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed before the database answered (a proxy, pooler or firewall in between?)", false
	case errors.As(err, &certErr), errors.As(err, &unknownAuth):
		return "the database's TLS certificate was not accepted (check sslmode in DATABASE_URL)", true
	}
	return "the database could not be opened (the details are in error.log)", false
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
