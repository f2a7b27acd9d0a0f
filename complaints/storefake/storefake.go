// Package storefake is a stand-in for PostgreSQL under the core (complaints.Store) for
// the doors' handler tests and fuzzing, held in memory. It is strict the way PostgreSQL
// is: a text parameter with a NUL byte or invalid UTF-8, or a page whose offset
// overflows, fails the call like the database would (the core answers 503), so a test or
// a fuzzer finds any input that reaches the database uncleaned. A call it does not
// implement panics (the embedded interface is nil), which fails the test that made it.
package storefake

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"aduan/complaints"
	"aduan/domain"
	"aduan/store"
)

// ErrBadText is what PostgreSQL answers a text parameter it cannot take.
var ErrBadText = errors.New(`pq: invalid byte sequence for encoding "UTF8": 0x00`)

// ErrDown is a database that does not answer.
var ErrDown = errors.New("dial tcp 10.1.2.3:5432: connect: connection refused")

// Feedback is a feedback row as written.
type Feedback struct {
	ID        int64
	Code, Key string
	Satisfied bool
	Comment   string
	Applied   bool
}

// Store is the stand-in. Set its fields before use; read them after.
type Store struct {
	complaints.Store

	mu sync.Mutex
	// Rows are the complaints by code; Trails their audit trails.
	Rows   map[string]store.Complaint
	Trails map[string][]store.Event
	// TokenHashes are the feedback tokens' hashes by code (store.HashToken).
	TokenHashes map[string][]string
	// Staff are the users by bearer token.
	Staff map[string]store.Staff
	// Open are the open complaints by the complainant's confirmed number.
	Open map[string]store.OpenComplaint
	// Down makes every call fail as a database away would; FailFeedback and FailForget
	// fail AddFeedbackOnce and ForgetMessage alone.
	Down, FailFeedback, FailForget bool

	// What was written.
	Inserted   []store.Intake
	IntakeKeys map[string]string
	Feedbacks  []Feedback
	Replies    map[string]int64 // provider id → message id
	Forgotten  []int64
	nextID     int64
}

// New is an empty stand-in with the demo's users.
func New() *Store {
	ns := func(s string) store.Staff { return store.Staff{Username: s, Name: s, Active: true} }
	admin, pokja, mitra := ns("admin"), ns("pokja-logistik"), ns("mitra-ypii")
	admin.Role, pokja.Role, mitra.Role = domain.RoleAdmin, domain.RolePokja, domain.RolePartner
	pokja.PokjaID.String, pokja.PokjaID.Valid = "logistik", true
	mitra.PartnerID.String, mitra.PartnerID.Valid = "ypii", true
	return &Store{Rows: map[string]store.Complaint{}, Trails: map[string][]store.Event{},
		TokenHashes: map[string][]string{}, IntakeKeys: map[string]string{}, Replies: map[string]int64{},
		Open:  map[string]store.OpenComplaint{},
		Staff: map[string]store.Staff{"tok-admin": admin, "tok-pokja": pokja, "tok-mitra": mitra}}
}

// Put adds or replaces a complaint, with one submit event when it has none.
func (f *Store) Put(c store.Complaint) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Rows[c.Code] = c
	if len(f.Trails[c.Code]) == 0 {
		f.Trails[c.Code] = []store.Event{{Seq: 1, At: c.CreatedAt, Actor: "pelapor", Role: "complainant", Action: "submit",
			Status: domain.StatusReceived}}
	}
}

// check fails like PostgreSQL on a parameter it cannot take.
func (f *Store) check(texts ...string) error {
	if f.Down {
		return ErrDown
	}
	for _, s := range texts {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return ErrBadText
		}
	}
	return nil
}

// offset fails like PostgreSQL on an offset that overflowed.
func offset(page, perPage int) error {
	if page > 0 && perPage > 0 && page-1 > math.MaxInt64/perPage {
		return errors.New("pq: OFFSET must not be negative")
	}
	return nil
}

func (f *Store) PingContext(context.Context) error {
	if f.Down {
		return ErrDown
	}
	return nil
}

func (f *Store) CurrentSLAPolicy(context.Context) (domain.SLAPolicy, error) {
	return domain.DefaultSLAPolicy(), f.check()
}

func (f *Store) StaffByToken(_ context.Context, token string) (store.Staff, error) {
	if err := f.check(token); err != nil {
		return store.Staff{}, err
	}
	if s, ok := f.Staff[token]; ok {
		return s, nil
	}
	return store.Staff{}, store.ErrNotFound
}

func (f *Store) ResolvePlace(_ context.Context, kec, desa string) (string, string, bool, bool, error) {
	if err := f.check(kec, desa); err != nil {
		return "", "", false, false, err
	}
	return kec, desa, kec == "" || kec == "simboro", desa == "" || desa == "botteng" && kec == "simboro", nil
}

func (f *Store) PokjaExists(_ context.Context, id string) (bool, error) {
	return id == "logistik", f.check(id)
}

func (f *Store) PartnerExists(_ context.Context, id string) (bool, error) {
	return id == "ypii", f.check(id)
}

func (f *Store) Directory(context.Context) (store.Directory, error) {
	return store.Directory{Pokja: []store.Group{{ID: "logistik", Name: "Pokja Logistik"}},
		Kecamatan: []store.Kecamatan{{ID: "simboro", Name: "Simboro", Desa: []store.Desa{{ID: "botteng", KecamatanID: "simboro", Name: "Botteng"}}}}}, f.check()
}

func (f *Store) ClaimIntakeKey(_ context.Context, key, digest string) (bool, error) {
	if err := f.check(key, digest); err != nil {
		return false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if first, ok := f.IntakeKeys[key]; ok {
		return first == digest, nil
	}
	f.IntakeKeys[key] = digest
	return true, nil
}

func (f *Store) ProviderMessageSeen(_ context.Context, channel, id string) (bool, error) {
	if err := f.check(channel, id); err != nil {
		return false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, seen := f.Replies[channel+":"+id]
	for _, in := range f.Inserted {
		seen = seen || in.IdempotencyKey == channel+":"+id
	}
	return seen, nil
}

// KeptAsMessage: a message kept as a reply (not as an intake's key).
func (f *Store) KeptAsMessage(_ context.Context, channel, id string) (bool, error) {
	if err := f.check(channel, id); err != nil {
		return false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, kept := f.Replies[channel+":"+id]
	for _, in := range f.Inserted {
		if in.IdempotencyKey == channel+":"+id {
			return false, nil
		}
	}
	return kept, nil
}

// InsertIntake keeps the intake and answers with the complaint a key already made, or a
// new code; it never reports a complaint created, so the core starts no workflow.
func (f *Store) InsertIntake(_ context.Context, in store.Intake) (store.IntakeResult, error) {
	if err := f.check(in.Channel, in.Text, in.Name, in.Phone, in.Email, in.Kecamatan, in.Desa, in.Category,
		in.IdempotencyKey); err != nil {
		return store.IntakeResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, prev := range f.Inserted {
		if in.IdempotencyKey != "" && prev.IdempotencyKey == in.IdempotencyKey {
			return store.IntakeResult{Code: fmt.Sprintf("ADU-0000-%04d", i)}, nil
		}
	}
	f.Inserted = append(f.Inserted, in)
	return store.IntakeResult{Code: fmt.Sprintf("ADU-0000-%04d", len(f.Inserted)-1)}, nil
}

func (f *Store) Complaint(_ context.Context, code string) (store.Complaint, error) {
	if err := f.check(code); err != nil {
		return store.Complaint{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.Rows[code]
	if !ok {
		return c, store.ErrNotFound
	}
	return c, nil
}

func (f *Store) Events(_ context.Context, code string) ([]store.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Trails[code], f.check(code)
}

func (f *Store) Messages(context.Context, string) ([]store.Message, error) { return nil, f.check() }

func (f *Store) SentToComplainant(context.Context, string) ([]store.Notification, error) {
	return nil, f.check()
}

func (f *Store) Search(_ context.Context, _ domain.Actor, fl store.Filter) ([]store.Complaint, int, error) {
	if err := f.check(fl.Status, fl.Pokja, fl.Partner, fl.Category, fl.Kecamatan, fl.Channel, fl.Q); err != nil {
		return nil, 0, err
	}
	return nil, 0, offset(fl.Page, fl.PerPage)
}

func (f *Store) PublicPage(_ context.Context, fl store.PublicPageFilter) ([]store.Complaint, int, error) {
	if err := f.check(fl.Pokja, fl.Kecamatan, fl.Category, fl.Q); err != nil {
		return nil, 0, err
	}
	return nil, 0, offset(fl.Page, fl.PerPage)
}

func (f *Store) NotificationsFor(_ context.Context, username string, page, perPage int) ([]store.Notification, int, error) {
	if err := f.check(username); err != nil {
		return nil, 0, err
	}
	return nil, 0, offset(page, perPage)
}

// IssueFeedbackToken draws a token and keeps its hash, as the real store does.
func (f *Store) IssueFeedbackToken(_ context.Context, code string) (string, error) {
	if err := f.check(code); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	token := fmt.Sprintf("token-%s-%d", code, len(f.TokenHashes[code]))
	f.TokenHashes[code] = append(f.TokenHashes[code], store.HashToken(token))
	return token, nil
}

func (f *Store) FeedbackTokenHashes(_ context.Context, code string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.TokenHashes[code], f.check(code)
}

func (f *Store) AddFeedbackOnce(_ context.Context, code, _, key string, satisfied bool, comment string) (int64, bool, error) {
	if err := f.check(code, key, comment); err != nil {
		return 0, false, err
	}
	if f.FailFeedback {
		return 0, false, ErrDown
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fb := range f.Feedbacks {
		if fb.Code == code && fb.Key == key {
			return fb.ID, false, nil
		}
	}
	f.nextID++
	f.Feedbacks = append(f.Feedbacks, Feedback{ID: f.nextID, Code: code, Key: key, Satisfied: satisfied, Comment: comment})
	return f.nextID, true, nil
}

func (f *Store) FeedbackByKey(_ context.Context, code, key string) (store.FeedbackRow, bool, error) {
	if err := f.check(code, key); err != nil {
		return store.FeedbackRow{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fb := range f.Feedbacks {
		if fb.Code == code && fb.Key == key {
			return store.FeedbackRow{ID: fb.ID, Applied: fb.Applied}, true, nil
		}
	}
	return store.FeedbackRow{}, false, nil
}

func (f *Store) MarkFeedbackApplied(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.Feedbacks {
		if f.Feedbacks[i].ID == id {
			f.Feedbacks[i].Applied = true
		}
	}
	return f.check()
}

func (f *Store) DeleteUnappliedFeedback(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	kept := f.Feedbacks[:0]
	for _, fb := range f.Feedbacks {
		if fb.ID != id || fb.Applied {
			kept = append(kept, fb)
		}
	}
	f.Feedbacks = kept
	return f.check()
}

func (f *Store) AddInboundMessage(_ context.Context, code, channel, text, providerID string) (int64, bool, error) {
	if err := f.check(code, channel, text, providerID); err != nil {
		return 0, false, err
	}
	providerID = channel + ":" + providerID // as the store keeps it
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.Replies[providerID]; ok {
		return id, false, nil
	}
	f.nextID++
	f.Replies[providerID] = f.nextID
	return f.nextID, true, nil
}

func (f *Store) OpenComplaintByPhone(_ context.Context, phone string) (store.OpenComplaint, bool, error) {
	if err := f.check(phone); err != nil {
		return store.OpenComplaint{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	open, ok := f.Open[phone]
	return open, ok, nil
}

// InboundRoute is OpenComplaintByPhone and ProviderMessageSeen together, as the store reads them.
func (f *Store) InboundRoute(ctx context.Context, phone, channel, id string) (store.InboundRoute, error) {
	open, found, err := f.OpenComplaintByPhone(ctx, phone)
	if err != nil {
		return store.InboundRoute{}, err
	}
	seen, err := f.ProviderMessageSeen(ctx, channel, id)
	return store.InboundRoute{Open: open, Found: found, Seen: seen}, err
}

// AddInbound keeps an inbound message once per provider id, like AddInboundMessage.
func (f *Store) AddInbound(ctx context.Context, in store.Inbound) (int64, bool, error) {
	return f.AddInboundMessage(ctx, in.Code, in.Channel, in.Text, in.ProviderID)
}

func (f *Store) ForgetMessage(_ context.Context, id int64) error {
	if f.FailForget {
		return ErrDown
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Forgotten = append(f.Forgotten, id)
	for k, v := range f.Replies {
		if v == id {
			delete(f.Replies, k)
		}
	}
	return f.check()
}

// Published is a published complaint of code, assigned to the logistics pokja, whose
// complainant was sent the feedback token.
func Published(code, token string) store.Complaint {
	at := time.Now().Add(-time.Hour)
	c := store.Complaint{Code: code, Channel: "web", Text: "Beras belum sampai ke dusun kami", Status: domain.StatusPublished,
		CreatedAt: at.Add(-48 * time.Hour), UpdatedAt: at, LastSeq: 5, WorkflowStarted: true, PublishedAt: &at}
	c.Pokja.String, c.Pokja.Valid = "logistik", true
	c.PublicTitle.String, c.PublicTitle.Valid = "Distribusi beras", true
	c.PublicAnswer.String, c.PublicAnswer.Valid = "Beras dikirim Jumat.", true
	return c
}

var _ complaints.Store = (*Store)(nil)
