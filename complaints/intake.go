package complaints

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// IntakeRequest is a new complaint as any channel brings it: the web form and the JSON
// API, a WhatsApp or SMS message, or an admin recording a phone call or a desk visit.
type IntakeRequest struct {
	Channel      string
	Text         string
	Name         string
	Phone        string
	Email        string
	Anonymous    bool
	Confidential bool
	Kecamatan    string
	Desa         string
	Category     string
	// Client is the address of the web client that sent it (the JSON API): it scopes the
	// client's Idempotency-Key, so that no other client reaches this complaint by
	// sending the same key. It is not stored.
	Client string
	// attachSince, for a message that opens a complaint, attaches what its number sent
	// since then and joined no complaint (store.Intake.AttachSince).
	attachSince *time.Time
}

// IntakeResult says which complaint an intake produced; Created is false when the
// idempotency key had already produced it.
type IntakeResult struct {
	Code    string
	Created bool
	// FeedbackToken, for a web complaint, is the complainant's own key to give feedback
	// on the answer later (FeedbackURL): handed over once, in this answer, never stored.
	FeedbackToken string
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 \-]{5,22}$`)

// Normalize cleans every field: trimmed, control characters removed, unicode kept.
func (r *IntakeRequest) Normalize() {
	r.Text = domain.CleanText(r.Text)
	r.Name = domain.CleanText(r.Name)
	r.Phone = domain.CleanText(r.Phone)
	r.Email = domain.CleanText(r.Email)
	r.Kecamatan = domain.CleanText(r.Kecamatan)
	r.Desa = domain.CleanText(r.Desa)
	r.Category = strings.TrimSpace(r.Category)
	r.Channel = strings.TrimSpace(r.Channel)
}

// validate checks the fields that need no database.
func (r IntakeRequest) validate() map[string]string {
	f := map[string]string{}
	switch n := utf8.RuneCountInString(r.Text); {
	case n == 0:
		f["text"] = "wajib diisi"
	case n < domain.MinIntakeText:
		f["text"] = "minimal 10 karakter"
	case n > domain.MaxIntakeText:
		f["text"] = "maksimal 4000 karakter"
	}
	if utf8.RuneCountInString(r.Name) > 200 {
		f["name"] = "terlalu panjang"
	}
	if r.Phone != "" && !phonePattern.MatchString(r.Phone) {
		f["phone"] = "nomor telepon tidak valid"
	}
	if r.Email != "" {
		if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email || len(r.Email) > 254 {
			f["email"] = "alamat e-mail tidak valid"
		}
	}
	if r.Category != "" {
		if _, ok := domain.CategoryByID(r.Category); !ok {
			f["category"] = "kategori tidak dikenal"
		}
	}
	return f
}

// Intake is the one intake every channel uses: it validates the request (KindInvalid with
// each field's problem in Bahasa Indonesia), records the complaint in PostgreSQL first, so
// nothing is lost, then hands it to the starter, which starts its workflow in the
// background. If Temporal cannot be reached the complaint is still taken: the worker's
// relay starts its workflow later. takenBy is the admin who registers a phone or desk
// complaint (nil for the complainant's own channels). A repeated idempotency key returns
// the complaint the first request made (Created false).
func (s *Service) Intake(ctx context.Context, req IntakeRequest, takenBy *domain.Actor, key string) (IntakeResult, error) {
	return s.intake(ctx, req, takenBy, key, false)
}

// intake is Intake; needsReview marks a complaint opened by a voice note or a picture
// alone, which someone must listen to or look at.
func (s *Service) intake(ctx context.Context, req IntakeRequest, takenBy *domain.Actor, key string, needsReview bool) (IntakeResult, error) {
	req.Normalize()
	fields := req.validate()
	if takenBy != nil && !domain.OneOf(req.Channel, domain.StaffChannels) {
		fields["channel"] = "harus phone atau desk"
	}
	key, err := cleanKey(key)
	if err != nil {
		for k, v := range AsError(err).Fields {
			fields[k] = v
		}
	}
	kec, desa, kecOK, desaOK, err := s.db.ResolvePlace(ctx, req.Kecamatan, req.Desa)
	if err != nil {
		return IntakeResult{}, unavailable(err)
	}
	if !kecOK {
		fields["kecamatan"] = "kecamatan tidak dikenal"
	}
	if !desaOK {
		fields["desa"] = "desa tidak dikenal di kecamatan ini"
	}
	if len(fields) > 0 {
		return IntakeResult{}, invalid(fields)
	}
	// One number is one key, however it was written, so a WhatsApp or SMS message from
	// it finds this complaint.
	if p := domain.NormalizePhone(req.Phone); p != "" {
		req.Phone = p
	}
	// Keys are scoped by who sent them, so no client can reach another's complaint: a
	// staff user's by their username, a web client's by its address (a hash of it), a
	// provider's message id by the channel. A public key is tied to the request's body:
	// sent again with another body it is refused, never answered with the first
	// complainant's code.
	if key != "" {
		switch {
		case takenBy != nil:
			key = "staff:" + takenBy.Username + ":" + key
		case req.Client != "":
			key = req.Channel + ":" + clientScope(req.Client) + ":" + key
		default:
			key = req.Channel + ":" + key
		}
		if takenBy == nil && req.Channel == "web" {
			same, err := s.db.ClaimIntakeKey(ctx, key, req.digest())
			if err != nil {
				return IntakeResult{}, unavailable(err)
			}
			if !same {
				return IntakeResult{}, &Error{Kind: KindKeyReused,
					Message: "Idempotency-Key ini sudah dipakai untuk aduan dengan isi lain. Gunakan kunci baru untuk aduan baru.",
					Fields:  map[string]string{"Idempotency-Key": "sudah dipakai untuk isi yang lain"}}
			}
		}
	}
	if takenBy == nil && req.Channel == "web" && req.Phone != "" {
		// A retry of a complaint already taken does not spend the number's budget.
		seen := false
		if raw := strings.TrimPrefix(key, "web:"); key != "" {
			if seen, err = s.db.ProviderMessageSeen(ctx, "web", raw); err != nil {
				return IntakeResult{}, unavailable(err)
			}
		}
		if !seen {
			if err := s.allowPhone(req.Phone); err != nil {
				return IntakeResult{}, err
			}
		}
	}
	policy, err := s.policy(ctx)
	if err != nil {
		return IntakeResult{}, unavailable(err)
	}
	// The web complainant may have left no contact to send the answer's feedback link
	// to: they get their own, kept with the complaint. (Over WhatsApp and SMS their
	// number is the key.)
	var token, tokenHash string
	if takenBy == nil && req.Channel == "web" {
		if token, tokenHash, err = store.NewFeedbackToken(); err != nil {
			return IntakeResult{}, unavailable(err)
		}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	// The plans the workflow will start with give the deadlines recorded at intake
	// (planned once: the working-time calendar is the costly part of intake).
	in := workflows.NewInput(domain.CaseState{Status: domain.StatusReceived, ReceivedAt: now}, policy, s.cfg.SLAOverride)
	plans := in.Case
	res, err := s.db.InsertIntake(ctx, store.Intake{
		Channel: req.Channel, Text: req.Text, Name: req.Name, Phone: req.Phone, Email: req.Email,
		Anonymous: req.Anonymous, Confidential: req.Confidential, Kecamatan: kec, Desa: desa,
		Category: req.Category, TakenBy: takenBy, IdempotencyKey: key, CreatedAt: now,
		Deadline: plans.Deadline, OverallDeadline: plans.OverallDeadline, StagePlan: stageHead(in.Stage),
		NeedsReview: needsReview, FeedbackTokenHash: tokenHash, AttachSince: req.attachSince,
	})
	if err != nil {
		return IntakeResult{}, unavailable(err)
	}
	if res.Created {
		// The same plans, for the complaint as recorded (res.State carries their deadlines).
		in.Case, in.StageSeq = res.State, res.State.Seq
		s.starter.enqueue(ctx, in)
	}
	out := IntakeResult{Code: res.Code, Created: res.Created}
	if res.Created {
		out.FeedbackToken = token
	} else if tokenHash != "" {
		// A retry answered with the complaint its key made gets a token of its own.
		if out.FeedbackToken, err = s.db.IssueFeedbackToken(ctx, res.Code); err != nil {
			slog.Warn("feedback token for a web complaint not issued", "code", res.Code, "err", err)
			out.FeedbackToken = ""
		}
	}
	return out, nil
}

// FeedbackURL is the complainant's own feedback link for a token of their complaint.
func (s *Service) FeedbackURL(code, token string) string {
	return strings.TrimRight(s.cfg.PublicBaseURL, "/") + "/lacak/" + code + "/tanggapan/" + token
}

// digest is what a request's idempotency key is tied to: every field as cleaned.
func (r IntakeRequest) digest() string {
	return contentKey(r.Channel, r.Text, r.Name, r.Phone, r.Email, strconv.FormatBool(r.Anonymous),
		strconv.FormatBool(r.Confidential), r.Kecamatan, r.Desa, r.Category)
}

// clientScope names a web client in its keys by a hash of its address (an address is
// personal data; the key is stored).
func clientScope(addr string) string {
	sum := sha256.Sum256([]byte(addr))
	return "c" + hex.EncodeToString(sum[:8])
}

// allowPhone takes one new complaint from a phone number, or refuses it.
func (s *Service) allowPhone(phone string) error {
	if ok, wait := s.phoneLimiter.allow(phone, time.Now()); !ok {
		return rateLimited("Terlalu banyak aduan baru dari nomor telepon ini. Silakan coba lagi beberapa saat lagi.", wait)
	}
	return nil
}

// Register is an admin recording a complaint taken by phone or at the desk: Intake with
// the admin as taken_by, answered with the staff view.
func (s *Service) Register(ctx context.Context, admin domain.Actor, req IntakeRequest, key string) (StaffView, error) {
	if admin.Role != domain.RoleAdmin {
		return StaffView{}, &Error{Kind: KindForbidden, Message: "Hanya admin Call Center yang dapat mencatat aduan."}
	}
	res, err := s.Intake(ctx, req, &admin, key)
	if err != nil {
		return StaffView{}, err
	}
	row, err := s.load(ctx, res.Code)
	if err != nil {
		return StaffView{}, err
	}
	return s.staffView(ctx, admin, row, nil)
}

// stageHead is the part of a stage's plan the complaint's row keeps.
func stageHead(p *domain.Plan) *domain.Plan {
	if p == nil {
		return nil
	}
	head := p.Head(domain.PlanPointsKept)
	return &head
}
