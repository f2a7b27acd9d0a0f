package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"
)

// SMTPConfig is how to reach the mail server.
type SMTPConfig struct {
	// Addr is host:port. Port 465 speaks TLS from the start; any other port upgrades
	// with STARTTLS when the server offers it.
	Addr string
	// From is the sender, e.g. "Aduan Mamuju <aduan@mamujukab.go.id>".
	From string
	// User and Password authenticate with AUTH PLAIN (only over TLS, or to localhost).
	User     string
	Password string
	// Timeout bounds one delivery when the context has no deadline (30 s when zero).
	Timeout time.Duration
}

// SMTPSender delivers e-mail notifications: plain-text UTF-8 mail whose Message-ID is
// derived from the notification's dedupe key, so a receiver can drop a duplicate when a
// retried activity sends a notification again (its delivery was not recorded).
type SMTPSender struct {
	Config SMTPConfig
}

// Send delivers n to its address.
func (s *SMTPSender) Send(ctx context.Context, n Notification) error {
	to, err := mail.ParseAddress(n.Address)
	if err != nil || strings.ContainsAny(n.Address, "\r\n") {
		return Permanent(errors.New("invalid e-mail address"))
	}
	from, err := mail.ParseAddress(s.Config.From)
	if err != nil {
		return fmt.Errorf("SMTP sender (From) %q: %w", s.Config.From, err)
	}
	msg, err := buildMessage(n, from, to, time.Now())
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(s.Config.Addr)
	if err != nil {
		return fmt.Errorf("SMTP server address %q: %w", s.Config.Addr, err)
	}

	timeout := s.Config.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	deadline, ok := ctx.Deadline()
	if !ok || time.Until(deadline) > timeout {
		deadline = time.Now().Add(timeout)
	}
	dialer := net.Dialer{Deadline: deadline}
	conn, err := dialer.DialContext(ctx, "tcp", s.Config.Addr)
	if err != nil {
		return fmt.Errorf("smtp dial: %w", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if port == "465" {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("smtp tls: %w", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if h, err := os.Hostname(); err == nil && h != "" {
		if err := c.Hello(h); err != nil {
			return fmt.Errorf("smtp hello: %w", err)
		}
	}
	if ok, _ := c.Extension("STARTTLS"); ok && port != "465" {
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.Config.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Config.User, s.Config.Password, host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 {
			return Permanent(fmt.Errorf("smtp RCPT TO rejected: %w", err))
		}
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	_ = c.Quit() // the message is accepted; a failed QUIT does not undo that
	return nil
}

// MessageID is the Message-ID of a notification's e-mail: the same for every attempt.
func MessageID(n Notification, from *mail.Address) string {
	sum := sha256.Sum256([]byte(n.DedupeKey))
	domain := "aduan.invalid"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 && at+1 < len(from.Address) {
		domain = from.Address[at+1:]
	}
	return "<" + hex.EncodeToString(sum[:20]) + "@" + domain + ">"
}

// buildMessage writes the mail: headers, then the text as quoted-printable UTF-8.
func buildMessage(n Notification, from, to *mail.Address, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", (&mail.Address{Address: to.Address}).String())
	header("Subject", mime.BEncoding.Encode("UTF-8", Subject(n)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", MessageID(n, from))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := n.Text + "\n\n-- \nPesan ini dikirim otomatis oleh sistem pengaduan Aduan.\n"
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
