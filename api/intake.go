package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// intakeRequest is the body of POST /api/v1/complaints (and, with channel, of the staff
// registration of a phone or desk complaint).
type intakeRequest struct {
	Channel      string `json:"channel"`
	Text         string `json:"text"`
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
	Anonymous    bool   `json:"anonymous"`
	Confidential bool   `json:"confidential"`
	Kecamatan    string `json:"kecamatan"`
	Desa         string `json:"desa"`
	Category     string `json:"category"`
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 \-]{5,22}$`)

// normalize cleans every field: trimmed, control characters removed, unicode kept.
func (r *intakeRequest) normalize() {
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
func (r intakeRequest) validate() map[string]string {
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

// submitComplaint is public intake from the web form.
func (s *server) submitComplaint(c *gin.Context) {
	var req intakeRequest
	if !readJSON(c, &req) {
		return
	}
	req.Channel = "web"
	s.intake(c, req, nil)
}

// registerComplaint is an admin recording a complaint taken by phone or at the desk.
func (s *server) registerComplaint(c *gin.Context) {
	actor := currentActor(c)
	if actor.Role != domain.RoleAdmin {
		fail(c, http.StatusForbidden, codeForbidden, "Hanya admin Call Center yang dapat mencatat aduan.", nil)
		return
	}
	var req intakeRequest
	if !readJSON(c, &req) {
		return
	}
	s.intake(c, req, &actor)
}

// intake answers a JSON intake request: 201 with the code, or the error.
func (s *server) intake(c *gin.Context, req intakeRequest, takenBy *domain.Actor) {
	res, fields, err := s.takeIn(c, req, takenBy, c.GetHeader("Idempotency-Key"))
	switch {
	case errors.As(err, new(*phoneLimited)):
		var limited *phoneLimited
		errors.As(err, &limited)
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(limited.wait.Seconds()))))
		fail(c, http.StatusTooManyRequests, codeRateLimited,
			"Terlalu banyak aduan baru dari nomor telepon ini. Silakan coba lagi beberapa saat lagi.", nil)
	case err != nil:
		unavailable(c, err)
	case len(fields) > 0:
		invalid(c, fields)
	case takenBy != nil:
		if row, ok := s.loadComplaint(c, res.Code); ok {
			s.writeStaffView(c, *takenBy, row, http.StatusCreated)
		}
	default:
		c.JSON(http.StatusCreated, gin.H{"code": res.Code, "status": domain.StatusReceived, "tracking_url": s.trackingURL(res.Code)})
	}
}

// phoneLimited refuses a new complaint because its phone number opened too many lately.
type phoneLimited struct{ wait time.Duration }

func (e *phoneLimited) Error() string { return "too many new complaints from this phone number" }

// takeIn is the one intake every channel uses: it validates the request (field problems
// come back in Bahasa Indonesia, keyed by field), records the complaint in PostgreSQL
// first, so nothing is lost, then hands it to the starter, which starts its workflow in
// the background (api/starter.go). If Temporal cannot be reached the complaint is still
// taken: the worker's relay starts its workflow later. A repeated
// idempotency key returns the complaint the first request made (Created false).
func (s *server) takeIn(c *gin.Context, req intakeRequest, takenBy *domain.Actor, key string) (store.IntakeResult, map[string]string, error) {
	req.normalize()
	fields := req.validate()
	if takenBy != nil && !domain.OneOf(req.Channel, domain.StaffChannels) {
		fields["channel"] = "harus phone atau desk"
	}
	key = strings.TrimSpace(key)
	if len(key) > 200 {
		fields["Idempotency-Key"] = "terlalu panjang"
	}
	ctx := c.Request.Context()
	kec, desa, kecOK, desaOK, err := s.DB.ResolvePlace(ctx, req.Kecamatan, req.Desa)
	if err != nil {
		return store.IntakeResult{}, nil, err
	}
	if !kecOK {
		fields["kecamatan"] = "kecamatan tidak dikenal"
	}
	if !desaOK {
		fields["desa"] = "desa tidak dikenal di kecamatan ini"
	}
	if len(fields) > 0 {
		return store.IntakeResult{}, fields, nil
	}
	// One number is one key, however it was written, so a WhatsApp or SMS message from
	// it finds this complaint.
	if p := domain.NormalizePhone(req.Phone); p != "" {
		req.Phone = p
	}
	// Keys are scoped by who sent them, so no client can reach another's complaint.
	if key != "" {
		if takenBy != nil {
			key = "staff:" + takenBy.Username + ":" + key
		} else {
			key = req.Channel + ":" + key
		}
	}
	if takenBy == nil && req.Channel == "web" && req.Phone != "" {
		// A retry of a complaint already taken does not spend the number's budget.
		seen := false
		if raw := strings.TrimPrefix(key, "web:"); key != "" {
			if seen, err = s.DB.ProviderMessageSeen(ctx, "web", raw); err != nil {
				return store.IntakeResult{}, nil, err
			}
		}
		if !seen {
			if ok, wait := s.phoneLimiter.allow(req.Phone, time.Now()); !ok {
				return store.IntakeResult{}, nil, &phoneLimited{wait: wait}
			}
		}
	}
	policy, err := s.policy(ctx)
	if err != nil {
		return store.IntakeResult{}, nil, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	// The plans the workflow will start with give the deadlines recorded at intake
	// (planned once: the working-time calendar is the costly part of intake).
	in := workflows.NewInput(domain.CaseState{Status: domain.StatusReceived, ReceivedAt: now}, policy, s.SLAOverride)
	plans := in.Case
	res, err := s.DB.InsertIntake(ctx, store.Intake{
		Channel: req.Channel, Text: req.Text, Name: req.Name, Phone: req.Phone, Email: req.Email,
		Anonymous: req.Anonymous, Confidential: req.Confidential, Kecamatan: kec, Desa: desa,
		Category: req.Category, TakenBy: takenBy, IdempotencyKey: key, CreatedAt: now,
		Deadline: plans.Deadline, OverallDeadline: plans.OverallDeadline,
	})
	if err != nil {
		return res, nil, err
	}
	if res.Created {
		// The same plans, for the complaint as recorded (res.State carries their deadlines).
		in.Case, in.StageSeq = res.State, res.State.Seq
		s.starter.enqueue(in)
	}
	return res, nil, nil
}

// policy is the deadline policy for new complaints: the override, or the regency's
// newest version (api/policy_cache.go).
func (s *server) policy(ctx context.Context) (domain.SLAPolicy, error) {
	if s.SLAOverride != nil {
		return *s.SLAOverride, nil
	}
	return s.policies.current(ctx, s.DB)
}

func (s *server) trackingURL(code string) string {
	return strings.TrimRight(s.PublicBaseURL, "/") + "/lacak/" + code
}
