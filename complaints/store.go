package complaints

import (
	"context"
	"time"

	"aduan/domain"
	"aduan/store"
)

// Store is what the core reads and writes in PostgreSQL: *store.DB in every process; the
// JSON API's handler tests give a stand-in of the few calls they exercise, so that the
// contract is checked in seconds without services (the e2e suite runs the real one).
type Store interface {
	PingContext(ctx context.Context) error
	CurrentSLAPolicy(ctx context.Context) (domain.SLAPolicy, error)
	StaffByToken(ctx context.Context, token string) (store.Staff, error)

	ResolvePlace(ctx context.Context, kecamatan, desa string) (kecID, desaID string, kecOK, desaOK bool, err error)
	PokjaExists(ctx context.Context, id string) (bool, error)
	PartnerExists(ctx context.Context, id string) (bool, error)
	Directory(ctx context.Context) (store.Directory, error)

	InsertIntake(ctx context.Context, in store.Intake) (store.IntakeResult, error)
	ProviderMessageSeen(ctx context.Context, channel, providerID string) (bool, error)
	WorkflowStarted(ctx context.Context, code string) (bool, error)
	MarkWorkflowStarted(ctx context.Context, code string) error

	Complaint(ctx context.Context, code string) (store.Complaint, error)
	Events(ctx context.Context, code string) ([]store.Event, error)
	Messages(ctx context.Context, code string) ([]store.Message, error)
	StagePlan(ctx context.Context, code string) (*domain.Plan, error)
	Tasks(ctx context.Context, a domain.Actor, limit int) ([]store.Complaint, error)
	Search(ctx context.Context, viewer domain.Actor, f store.Filter) ([]store.Complaint, int, error)
	PublicPage(ctx context.Context, f store.PublicPageFilter) ([]store.Complaint, int, error)
	Publication(ctx context.Context, code string) (store.Complaint, error)
	NotificationsFor(ctx context.Context, username string, page, perPage int) ([]store.Notification, int, error)
	Board(ctx context.Context) (pokja, partners []store.BoardRow, err error)
	Report(ctx context.Context, viewer domain.Actor, from, to time.Time, overallLimit time.Duration) (store.Report, error)
	ReportChanges(ctx context.Context) (int64, error)

	AddMessage(ctx context.Context, code, channel, text string) (int64, error)
	AddInboundMessage(ctx context.Context, code, channel, text, providerID string) (id int64, created bool, err error)
	OpenComplaintByPhone(ctx context.Context, phone string) (store.OpenComplaint, bool, error)
	InboundRoute(ctx context.Context, phone, channel, providerID string) (store.InboundRoute, error)
	ForgetMessage(ctx context.Context, id int64) error
	AddInbound(ctx context.Context, in store.Inbound) (id int64, created bool, err error)
	IssueFeedbackToken(ctx context.Context, code string) (string, error)
	KeptAsMessage(ctx context.Context, channel, providerID string) (bool, error)
	AttachUnattached(ctx context.Context, code, phone string, since time.Time) (int64, error)
	ClaimGreetingReply(ctx context.Context, phone string, day time.Time) (bool, error)
	EnqueueAutoReply(ctx context.Context, r store.AutoReply) error
	ConfirmPhoneByCode(ctx context.Context, code, phone string) (bool, error)
	SentToComplainant(ctx context.Context, code string) ([]store.Notification, error)
	OpenCallBacks(ctx context.Context, limit int) ([]store.CallBack, error)
	CallBackTask(ctx context.Context, id int64) (store.CallBack, error)
	RecordCall(ctx context.Context, id int64, told bool, by, why string) (bool, error)
	RecordDelivery(ctx context.Context, channel, ref, status string, at time.Time, errText string) (int64, error)

	// Proofs and once-only writes of what the public sends (issue 14).
	securityStore

	// A message's file (media.Store's PostgreSQL implementation reads the same blobs).
	Media(ctx context.Context, id int64) (store.Media, error)
	MediaBlob(ctx context.Context, id int64) ([]byte, error)
}

var _ Store = (*store.DB)(nil)
