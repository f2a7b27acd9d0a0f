package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// Notifier is the Notify activity with what it needs.
type Notifier struct {
	DB      *store.DB
	Senders notify.Senders
	// BaseURL is ADUAN_PUBLIC_URL, the prefix of the links in the texts.
	BaseURL string
}

// recipient is one addressee of a notification.
type recipient struct {
	name     string // staff username or store.ComplainantRecipient
	audience notify.Audience
	channel  string
	address  string
	// code is another complaint whose complainant this is (a merged duplicate's), or "".
	code string
}

// Notify writes a notification to the outbox for every recipient of the occasion, then
// delivers every row of the occasion not delivered yet. Rows are keyed by req.Key and the
// recipient, so a retried activity writes nothing twice and sends nothing already sent.
// It fails when any delivery failed (other than permanently), and Temporal retries it.
//
// Nothing personal goes to the logs or into the error (which lands in workflow history):
// addresses and delivery errors are kept in PostgreSQL (notifications.last_error).
func (n *Notifier) Notify(ctx context.Context, req domain.NotifyRequest) error {
	if req.Key == "" || req.Code == "" {
		return temporal.NewNonRetryableApplicationError("notify request without key or code", "BadNotifyRequest", nil)
	}
	logger := loggerOf(ctx)
	recipients, err := n.recipients(ctx, req)
	if err != nil {
		return err
	}
	rows, err := n.render(ctx, req, recipients)
	if errors.Is(err, errAlreadyAnswered) {
		logger.Info("notification not needed", "key", req.Key, "reason", err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	if err := n.DB.EnqueueNotifications(ctx, rows); err != nil {
		return fmt.Errorf("enqueue notifications: %w", err)
	}
	return n.deliver(ctx, logger, req.Key)
}

// recipients finds who is told of req, by kind and status, with their channel.
func (n *Notifier) recipients(ctx context.Context, req domain.NotifyRequest) ([]recipient, error) {
	var staff []store.Staff
	complainant := false
	add := func(rows []store.Staff, err error) error {
		staff = append(staff, rows...)
		return err
	}
	// The first level goes to the supervisors who are not head of office (the head is the
	// second level); a head stands in when nobody else supervises.
	supervisors := func() error {
		rows, err := n.DB.StaffRecipients(ctx, domain.RoleSupervisor, "", "")
		var firstLevel []store.Staff
		for _, r := range rows {
			if !r.HeadOfOffice {
				firstLevel = append(firstLevel, r)
			}
		}
		if len(firstLevel) == 0 {
			firstLevel = rows
		}
		return add(firstLevel, err)
	}
	var err error
	switch req.Kind {
	case domain.NotifyReminder, domain.NotifyOverdueReminder:
		// Whoever has the ball is reminded (domain.TurnOf); while the complaint waits for
		// more information, that is the complainant.
		if req.Status == domain.StatusAwaitingInfo {
			complainant = true
			break
		}
		turn, ok := domain.TurnOf(req.Status, req.Pokja, req.Partner)
		if ok {
			err = add(n.DB.StaffRecipients(ctx, turn.Role, turn.Pokja, turn.Partner))
		} else if req.Status.BallWith() == "" {
			// Nobody has the ball (published, closed, rejected): nothing to remind of.
			return nil, nil
		}
		// A staff stage without its group (no pokja or partner in the request) finds
		// nobody: the supervisors are told below.
	case domain.NotifyEscalation:
		err = supervisors()
		if err == nil && req.Status == domain.StatusAtPartner && req.Pokja != "" {
			err = add(n.DB.StaffRecipients(ctx, domain.RolePokja, req.Pokja, ""))
		}
	case domain.NotifyEscalationHead:
		err = add(n.DB.HeadsOfOffice(ctx))
		if err == nil && len(staff) == 0 {
			err = supervisors() // no head of office flagged: the supervisors stand in
		}
	case domain.NotifyOverallReminder:
		err = supervisors()
	case domain.NotifyOverallEscalation:
		err = supervisors()
		if err == nil {
			err = add(n.DB.HeadsOfOffice(ctx))
		}
	case domain.NotifyNoReplyClosed:
		complainant = true
	case domain.NotifyAck, domain.NotifyQuestion, domain.NotifyAnswer, domain.NotifyAnswerPrivate, domain.NotifyDuplicate:
		// Closing the loop: the complainant alone, on the channel they used.
		complainant = true
	default:
		// A kind this worker does not know: perhaps a newer workflow. Let a retry find a
		// worker that does.
		return nil, fmt.Errorf("unknown notify kind %q", req.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("find recipients: %w", err)
	}
	if complainant {
		c, err := n.DB.ComplainantContact(ctx, req.Code)
		if err != nil {
			return nil, fmt.Errorf("complainant contact of %s: %w", req.Code, err)
		}
		ch, addr := notify.ComplainantRoute(contactOf(c))
		out := []recipient{{name: store.ComplainantRecipient, audience: notify.AudienceComplainant, channel: ch, address: addr}}
		if req.Kind == domain.NotifyAnswer {
			// Whoever reported the same failure, merged into this complaint, hears the answer too.
			dups, err := n.DB.DuplicatesOf(ctx, req.Code)
			if err != nil {
				return nil, fmt.Errorf("duplicates of %s: %w", req.Code, err)
			}
			for _, d := range dups {
				dc, err := n.DB.ComplainantContact(ctx, d)
				if err != nil {
					return nil, fmt.Errorf("complainant contact of %s: %w", d, err)
				}
				ch, addr := notify.ComplainantRoute(contactOf(dc))
				out = append(out, recipient{name: store.ComplainantRecipient, audience: notify.AudienceComplainant,
					channel: ch, address: addr, code: d})
			}
		}
		return out, nil
	}
	if len(staff) == 0 {
		// Nobody active holds the ball (an empty pokja, say): that itself needs a
		// supervisor's eye, so the notification goes to them rather than nowhere.
		loggerOf(ctx).Warn("notify: no active recipient; telling the supervisors", "key", req.Key, "code", req.Code,
			"kind", string(req.Kind), "status", string(req.Status))
		if err := supervisors(); err != nil {
			return nil, fmt.Errorf("find recipients: %w", err)
		}
	}
	out := make([]recipient, 0, len(staff))
	seen := map[string]bool{}
	for _, s := range staff {
		if seen[s.Username] {
			continue // a head of office is a supervisor too
		}
		seen[s.Username] = true
		ch, addr := notify.StaffRoute(s.Email.String)
		out = append(out, recipient{name: s.Username, audience: notify.AudienceStaff, channel: ch, address: addr})
	}
	return out, nil
}

// contactOf is a complainant's contact as notify routes it.
func contactOf(c store.ComplainantContact) notify.Contact {
	return notify.Contact{Channel: c.Channel, Phone: c.Phone, Email: c.Email}
}

// outgoing is an outbox row as the senders take it.
func outgoing(row store.Notification) notify.Notification {
	return notify.Notification{
		ID: row.ID, DedupeKey: row.DedupeKey, Code: row.Code, Kind: row.Kind, Recipient: row.Recipient,
		Channel: row.Channel, Address: row.Address.String, Template: row.Template, Text: row.Text,
		DueAt: row.DueAt, Attempts: row.Attempts, Mode: row.Mode,
	}
}

// render builds the outbox rows of req, one per recipient.
func (n *Notifier) render(ctx context.Context, req domain.NotifyRequest, recipients []recipient) ([]store.Notification, error) {
	data := notify.Data{Code: req.Code, Status: req.Status, Deadline: req.Deadline, BaseURL: n.BaseURL}
	var err error
	if req.Deadline != nil {
		// Dates are shown in the regency's zone, as its SLA policy's calendar gives it.
		// Only the deadline is a date in the texts: without one the policy is not read.
		policy, err := n.DB.CurrentSLAPolicy(ctx)
		if err != nil {
			return nil, fmt.Errorf("sla policy: %w", err)
		}
		data.Zone = policy.Location()
	}
	if data.Pokja, err = n.DB.GroupName(ctx, req.Pokja, false); err != nil {
		return nil, err
	}
	if data.Partner, err = n.DB.GroupName(ctx, req.Partner, true); err != nil {
		return nil, err
	}
	if err := n.complainantTexts(ctx, req, &data); err != nil {
		return nil, err
	}
	due := req.Due
	if due.IsZero() {
		due = time.Now()
	}
	rows := make([]store.Notification, 0, len(recipients))
	for _, r := range recipients {
		data.Channel = r.channel
		msg, err := notify.Render(req.Kind, r.audience, data)
		if err != nil {
			return nil, err
		}
		row := store.Notification{
			DedupeKey: req.Key + "/" + r.name, Code: req.Code, Kind: req.Kind, Recipient: r.name,
			Channel: r.channel, Template: msg.Template, Text: msg.Text, DueAt: due,
		}
		if r.code != "" { // a merged duplicate's complainant: the row belongs to their complaint
			row.DedupeKey += "/" + r.code
			row.Code = r.code
		}
		row.Address.String, row.Address.Valid = r.address, r.address != ""
		rows = append(rows, row)
	}
	return rows, nil
}

// textsSettleAttempts is how many attempts the activity waits for a question or answer
// that PostgreSQL does not show yet (its projection lagging) before it sends the text
// without it: 1+2+4+8 s of Temporal's backoff.
const textsSettleAttempts = 5

// errAlreadyAnswered says a question notification has nothing left to ask.
var errAlreadyAnswered = errors.New("the question was answered before it was sent")

// complainantTexts adds the staff-written text a question or answer notification
// carries: the admin's question, the published answer, or the private answer. They are
// read from PostgreSQL, never from the request (which workflow history keeps), and only
// ever go into the complainant's own text (notify.Render ignores them for staff).
func (n *Notifier) complainantTexts(ctx context.Context, req domain.NotifyRequest, data *notify.Data) error {
	switch req.Kind {
	case domain.NotifyQuestion, domain.NotifyAnswer, domain.NotifyAnswerPrivate, domain.NotifyDuplicate:
	default:
		return nil
	}
	t, err := n.DB.ComplainantTexts(ctx, req.Code)
	if err != nil {
		return fmt.Errorf("texts of %s: %w", req.Code, err)
	}
	var missing string
	switch req.Kind {
	case domain.NotifyQuestion:
		data.Question = t.Question
		if t.Question == "" && t.Status != string(domain.StatusAwaitingInfo) {
			// The complainant answered before the question went out: nothing to ask.
			return errAlreadyAnswered
		}
		if t.Question == "" {
			missing = "question"
		}
	case domain.NotifyAnswer:
		data.AnswerTitle, data.Answer = t.PublicTitle, t.PublicAnswer
		if t.PublicAnswer == "" {
			missing = "public answer"
		}
	case domain.NotifyAnswerPrivate:
		data.Answer = t.Answer
		if t.Answer == "" {
			missing = "answer"
		}
	case domain.NotifyDuplicate:
		data.DuplicateOf = t.DuplicateOf
	}
	if missing != "" && activity.IsActivity(ctx) && activity.GetInfo(ctx).Attempt < textsSettleAttempts {
		// Not written yet: try again shortly rather than send a text without it.
		return fmt.Errorf("the %s of %s is not in PostgreSQL yet", missing, req.Code)
	}
	return nil
}

// deliver sends every unsent row of the occasion key.
func (n *Notifier) deliver(ctx context.Context, logger sdklog.Logger, key string) error {
	rows, err := n.DB.UnsentNotifications(ctx, key+"/")
	if err != nil {
		return fmt.Errorf("list unsent notifications: %w", err)
	}
	var failed []string
	for i, row := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
		receipt, sendErr := n.Senders.Deliver(ctx, outgoing(row))
		if sendErr == nil {
			// sent_via records which sender took it: a WhatsApp or SMS row the log
			// stand-in took (no provider configured) shows 'log', not a delivery.
			if err := n.DB.MarkNotificationSent(ctx, row.ID, time.Now(), receipt.Via, receipt.Ref); err != nil {
				// Sent but not recorded: a retry sends it again (at least once; an
				// e-mail keeps its Message-ID, so the receiver can drop the copy).
				return fmt.Errorf("record notification %d as sent: %w", row.ID, err)
			}
			continue
		}
		if err := n.DB.MarkNotificationFailed(ctx, row.ID, truncate(sendErr.Error(), 1000)); err != nil {
			return fmt.Errorf("record failed notification %d: %w", row.ID, err)
		}
		// The error may quote the address: it stays in notifications.last_error.
		if notify.IsPermanent(sendErr) {
			logger.Warn("notification undeliverable; not retried", "id", row.ID, "code", row.Code,
				"recipient", row.Recipient, "channel", row.Channel)
			continue
		}
		logger.Warn("notification delivery failed; will retry", "id", row.ID, "code", row.Code,
			"recipient", row.Recipient, "channel", row.Channel, "attempts", row.Attempts+1)
		failed = append(failed, fmt.Sprint(row.ID))
	}
	if len(failed) > 0 {
		return fmt.Errorf("notify %s: %d of %d deliveries failed (notification ids %s; see notifications.last_error)",
			key, len(failed), len(rows), strings.Join(failed, ", "))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// loggerOf is the activity's logger, or the process logger outside an activity.
func loggerOf(ctx context.Context) sdklog.Logger {
	if activity.IsActivity(ctx) {
		return activity.GetLogger(ctx)
	}
	return sdklog.NewStructuredLogger(slog.Default())
}
