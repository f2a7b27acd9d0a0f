package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/mail"
	"regexp"
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

// intake records the complaint in PostgreSQL first (so nothing is lost), then starts its
// workflow. If Temporal cannot be reached the complaint is still taken: the worker's
// relay starts its workflow later.
func (s *server) intake(c *gin.Context, req intakeRequest, takenBy *domain.Actor) {
	req.normalize()
	fields := req.validate()
	if takenBy != nil && !domain.OneOf(req.Channel, domain.StaffChannels) {
		fields["channel"] = "harus phone atau desk"
	}
	key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if len(key) > 200 {
		fields["Idempotency-Key"] = "terlalu panjang"
	}
	kec, desa, kecOK, desaOK, err := s.DB.ResolvePlace(c.Request.Context(), req.Kecamatan, req.Desa)
	if err != nil {
		unavailable(c, err)
		return
	}
	if !kecOK {
		fields["kecamatan"] = "kecamatan tidak dikenal"
	}
	if !desaOK {
		fields["desa"] = "desa tidak dikenal di kecamatan ini"
	}
	if len(fields) > 0 {
		invalid(c, fields)
		return
	}
	// Keys are scoped by who sent them, so no client can reach another's complaint.
	if key != "" {
		if takenBy != nil {
			key = "staff:" + takenBy.Username + ":" + key
		} else {
			key = "web:" + key
		}
	}
	policy, err := s.policy(c)
	if err != nil {
		unavailable(c, err)
		return
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	// The plans the workflow will start with give the deadlines recorded at intake.
	plans := workflows.NewInput(domain.CaseState{Status: domain.StatusReceived, ReceivedAt: now}, policy, s.SLAOverride).Case
	res, err := s.DB.InsertIntake(c.Request.Context(), store.Intake{
		Channel: req.Channel, Text: req.Text, Name: req.Name, Phone: req.Phone, Email: req.Email,
		Anonymous: req.Anonymous, Confidential: req.Confidential, Kecamatan: kec, Desa: desa,
		Category: req.Category, TakenBy: takenBy, IdempotencyKey: key, CreatedAt: now,
		Deadline: plans.Deadline, OverallDeadline: plans.OverallDeadline,
	})
	if err != nil {
		unavailable(c, err)
		return
	}
	if res.Created {
		s.startWorkflow(c, workflows.NewInput(res.State, policy, s.SLAOverride))
	}
	body := gin.H{"code": res.Code, "status": domain.StatusReceived, "tracking_url": s.trackingURL(res.Code)}
	if takenBy != nil {
		if row, ok := s.loadComplaint(c, res.Code); ok {
			s.writeStaffView(c, *takenBy, row, http.StatusCreated)
		}
		return
	}
	c.JSON(http.StatusCreated, body)
}

// policy is the deadline policy for new complaints: the override, or the regency's
// newest version.
func (s *server) policy(c *gin.Context) (domain.SLAPolicy, error) {
	if s.SLAOverride != nil {
		return *s.SLAOverride, nil
	}
	return s.DB.CurrentSLAPolicy(c.Request.Context())
}

// startWorkflow starts a new complaint's workflow; a failure is left to the relay.
func (s *server) startWorkflow(c *gin.Context, in workflows.Input) {
	state := in.Case
	// The complaint is committed: start its workflow even if the client has gone.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	if err := workflows.Start(ctx, s.Temporal, s.TaskQueue, in); err != nil {
		slog.Warn("workflow start failed; the relay will start it", "code", state.Code, "err", err)
		return
	}
	if err := s.DB.MarkWorkflowStarted(ctx, state.Code); err != nil {
		slog.Warn("marking workflow started failed", "code", state.Code, "err", err)
	}
}

func (s *server) trackingURL(code string) string {
	return strings.TrimRight(s.PublicBaseURL, "/") + "/api/v1/complaints/" + code
}
