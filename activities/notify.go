package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"

	"aduan/domain"
	"aduan/notify"
	"aduan/reqid"
	"aduan/store"
)

// Notifier is the Notify activity with what it needs.
type Notifier struct {
	DB      *store.DB
	Senders notify.Senders
	// BaseURL is ADUAN_PUBLIC_URL, the prefix of the links in the texts.
	BaseURL string
	// QuietHours holds what is due outside the regency's office hours until the next
	// opening (domain.SLAPolicy.ScheduleOf; ADUAN_QUIET_HOURS); off, messages go at any
	// hour. Officers' digests wait for the morning either way.
	QuietHours bool
	// Now is the clock (time.Now when nil): what is due, held and sent is decided by it.
	Now func() time.Time
}

// now is the Notifier's clock.
func (n *Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

// recipient is one addressee of a notification.
type recipient struct {
	name     string // staff username or store.ComplainantRecipient
	audience notify.Audience
	channel  string
	address  string
	// code is another complaint whose complainant this is (a merged duplicate's), or "".
	code string
	// unconfirmed: a complainant's number nobody has vouched for yet.
	unconfirmed bool
	// digest: an officer who wants their reminders grouped into a daily digest.
	digest bool
}

// Notify writes a notification to the outbox for every recipient of the occasion, then
// delivers every row of the occasion not delivered yet. Rows are keyed by req.Key and the
// recipient, so a retried activity writes nothing twice and sends nothing already sent.
// It fails when any delivery failed (other than permanently), and Temporal retries it.
// A row due outside office hours, or waiting for its officer's digest, is written with
// its hold and left to the worker's outbox (SendLoose), which sends it when its time has
// come.
//
// Nothing personal goes to the logs or into the error (which lands in workflow history):
// addresses and delivery errors are kept in PostgreSQL (notifications.last_error).
func (n *Notifier) Notify(ctx context.Context, req domain.NotifyRequest) (domain.NotifyOutcome, error) {
	needed, err := n.send(ctx, req)
	if err != nil || !needed {
		return domain.NotifyOutcome{Reached: err == nil}, err
	}
	return n.outcome(ctx, req)
}

// send writes the occasion's messages to the outbox and delivers them, as Notify does,
// without asking what became of them; needed is false when the occasion called for no
// message (the question already answered). The announcer, which acts on no outcome, calls
// it directly: one read of the outbox less per publication.
func (n *Notifier) send(ctx context.Context, req domain.NotifyRequest) (needed bool, err error) {
	if req.Key == "" || req.Code == "" {
		return false, temporal.NewNonRetryableApplicationError("notify request without key or code", "BadNotifyRequest", nil)
	}
	logger := loggerOf(ctx)
	logger.Debug("notify", "key", req.Key, "kind", req.Kind)
	recipients, err := n.recipients(ctx, req)
	if err != nil {
		return false, err
	}
	rows, err := n.render(ctx, req, recipients)
	if errors.Is(err, errAlreadyAnswered) {
		logger.Info("notification not needed", "key", req.Key, "reason", err.Error())
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := n.DB.EnqueueNotifications(ctx, rows); err != nil {
		return false, fmt.Errorf("enqueue notifications: %w", err)
	}
	return true, n.deliver(ctx, logger, req.Key)
}

// outcome says whether the occasion's message reached the complaint's own complainant:
// a provider took it (not the log stand-in), or it waits for an operator's call.
func (n *Notifier) outcome(ctx context.Context, req domain.NotifyRequest) (domain.NotifyOutcome, error) {
	rows, err := n.DB.NotificationsOf(ctx, req.Key+"/")
	if err != nil {
		return domain.NotifyOutcome{}, fmt.Errorf("read the outbox: %w", err)
	}
	var o domain.NotifyOutcome
	for _, r := range rows {
		if r.Recipient != store.ComplainantRecipient || r.Code != req.Code {
			continue
		}
		switch {
		case r.Channel == domain.ReachCallBack:
			o.CallBack, o.Channel = true, r.Channel
		case r.SentAt != nil && r.SentVia.String != notify.ChannelLog && r.Channel != notify.ChannelLog:
			o.Reached, o.Channel = true, r.Channel
		case r.SentAt == nil && r.HoldUntil != nil && n.Senders.Configured(r.Channel):
			// Held for the morning on a provider's channel: the outbox sends it at the
			// opening. A question's clock counts working time, which starts at that same
			// opening, so counting it as reached now changes no deadline.
			o.Reached, o.Channel = true, r.Channel
		}
	}
	return o, nil
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
	case domain.NotifyQuestionUnreached:
		err = add(n.DB.StaffRecipients(ctx, domain.RoleAdmin, "", ""))
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
		ch, addr := n.routeToComplainant(c, req.Kind)
		out := []recipient{{name: store.ComplainantRecipient, audience: notify.AudienceComplainant, channel: ch, address: addr,
			unconfirmed: c.PhoneConfirmedBy == ""}}
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
				ch, addr := n.routeToComplainant(dc, req.Kind)
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
		ch, addr := n.routeToOfficer(s)
		out = append(out, recipient{name: s.Username, audience: notify.AudienceStaff, channel: ch, address: addr,
			digest: s.DailyDigest})
	}
	return out, nil
}

// providers are the outbound channels this worker has a provider for.
func (n *Notifier) providers() domain.Providers {
	return domain.Providers{WhatsApp: n.Senders.Configured(notify.ChannelWhatsApp), SMS: n.Senders.Configured(notify.ChannelSMS),
		Email: n.Senders.Configured(notify.ChannelEmail)}
}

// routeToOfficer is the channel and address a reminder or escalation reaches a staff
// user on (domain.RouteToOfficer), given the providers this worker has.
func (n *Notifier) routeToOfficer(s store.Staff) (channel, address string) {
	switch channel = domain.RouteToOfficer(s.OfficerPrefs(), n.providers()); channel {
	case domain.ReachWhatsApp, domain.ReachSMS:
		return channel, s.Phone.String
	case domain.ReachEmail:
		return channel, s.Email.String
	}
	return domain.ReachNone, ""
}

// routeToComplainant is the channel and address a message of kind reaches a complainant
// on (domain.RouteToComplainant), given the providers this worker has.
func (n *Notifier) routeToComplainant(c store.ComplainantContact, kind domain.NotifyKind) (channel, address string) {
	channel = domain.RouteToComplainant(domain.ComplainantContact{Origin: c.Channel, Phone: c.Phone,
		PhoneConfirmedBy: c.PhoneConfirmedBy, Email: c.Email}, kind, n.providers())
	switch channel {
	case domain.ReachWhatsApp, domain.ReachSMS, domain.ReachCallBack:
		return channel, c.Phone
	case domain.ReachEmail:
		return channel, c.Email
	}
	return channel, ""
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
	policy := n.policyOnce(ctx)
	if req.Deadline != nil {
		// Dates are shown in the regency's zone, as its SLA policy's calendar gives it.
		// Only the deadline is a date in the texts: without one the policy is read only
		// to schedule.
		p, err := policy()
		if err != nil {
			return nil, err
		}
		data.Zone = p.Location()
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
	texts, err := n.templates(ctx)
	if err != nil {
		return nil, err
	}
	due := req.Due
	if due.IsZero() {
		due = n.now()
	}
	rows := make([]store.Notification, 0, len(recipients))
	for _, r := range recipients {
		data.Channel, data.Unconfirmed = r.channel, r.unconfirmed
		d := data
		if r.code != "" {
			// A merged duplicate's complainant follows through their own code, read-only:
			// the text names and links theirs, never the original's.
			d.Code = r.code
		}
		msg, err := texts.Render(req.Kind, r.audience, d)
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
		if r.audience == notify.AudienceStaff && r.channel == domain.ReachWhatsApp {
			// An officer rarely has a 24-hour window open with the business number (and
			// the complainant's window is not theirs): always the approved template.
			row.Mode = notify.ModeTemplate
		}
		rows = append(rows, row)
	}
	if err := n.schedule(ctx, req, recipients, rows, policy); err != nil {
		return nil, err
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
// ever go into the complainant's own text (a staff text cannot name them).
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

// deliver sends every unsent row of the occasion key. Each row is claimed right before
// its send (store.ClaimNotifications, for sendHold): a row another attempt or worker has
// in flight is left to it, and the activity fails with ErrInFlight so that Temporal tries
// again once that send is over. A failed send lets go of its row at once, for the retry.
func (n *Notifier) deliver(ctx context.Context, logger sdklog.Logger, key string) error {
	rows, err := n.DB.UnsentNotifications(ctx, key+"/")
	if err != nil {
		return fmt.Errorf("list unsent notifications: %w", err)
	}
	token := store.NewClaimToken() // this attempt's
	var failed []string
	inFlight := 0
	for i, row := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if row.Channel == domain.ReachCallBack {
			continue // an operator's task: it stays open until they record the call
		}
		if row.HoldUntil != nil {
			continue // held for office hours or a digest: the worker's outbox sends it
		}
		ok, err := n.DB.ClaimNotifications(ctx, []int64{row.ID}, token, n.now(), sendHold)
		if err != nil {
			return fmt.Errorf("claim notification %d: %w", row.ID, err)
		}
		if !ok {
			inFlight++ // sent meanwhile, or in flight elsewhere
			continue
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		receipt, sendErr := n.Senders.Deliver(sctx, outgoing(row))
		cancel()
		if sendErr == nil {
			// sent_via records which sender took it: a WhatsApp or SMS row the log
			// stand-in took (no provider configured) shows 'log', not a delivery.
			if err := n.DB.MarkNotificationSent(ctx, row.ID, n.now(), receipt.Via, receipt.Ref); err != nil {
				// Sent but not recorded: once the claim has passed, a retry sends it
				// again (at least once; an e-mail keeps its Message-ID, so the receiver
				// can drop the copy).
				return fmt.Errorf("record notification %d as sent: %w", row.ID, err)
			}
			continue
		}
		if err := n.DB.MarkNotificationFailed(ctx, row.ID, truncate(sendErr.Error(), 1000)); err != nil {
			return fmt.Errorf("record failed notification %d: %w", row.ID, err)
		}
		if err := n.DB.ReleaseNotification(ctx, row.ID, token); err != nil {
			return fmt.Errorf("release failed notification %d: %w", row.ID, err)
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
	if inFlight > 0 {
		// Most often sent a moment ago by the other attempt; the retry's outcome reads it.
		return fmt.Errorf("notify %s: %d of %d deliveries: %w", key, inFlight, len(rows), ErrInFlight)
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
	// The process's logger (its format and level), with the request id the activity's
	// header carried (package reqid) and which activity of which workflow this is.
	l := reqid.Logger(ctx)
	if activity.IsActivity(ctx) {
		info := activity.GetInfo(ctx)
		l = l.With("activity", info.ActivityType.Name, "workflow_id", info.WorkflowExecution.ID, "attempt", info.Attempt)
	}
	return sdklog.NewStructuredLogger(l)
}
