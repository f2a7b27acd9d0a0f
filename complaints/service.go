package complaints

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"aduan/domain"
)

// Config is what the core needs beyond its connections.
type Config struct {
	// TaskQueue is where complaint workflows run.
	TaskQueue string
	// SLAOverride, when set, replaces the regency's stored deadline policy for the
	// complaints taken in (tests and demos with deadlines of seconds).
	SLAOverride *domain.SLAPolicy
	// PublicBaseURL prefixes tracking links, e.g. https://aduan.mamujukab.go.id.
	PublicBaseURL string
	// IntakePerMinute and IntakeBurst limit public submissions per client (20, 10).
	IntakePerMinute float64
	IntakeBurst     int
	// PhonePerMinute and PhoneBurst limit new complaints per phone number (0.2, 5).
	PhonePerMinute float64
	PhoneBurst     int
	// LookupMissesPerMinute and LookupMissBurst limit the lookups of codes that do not
	// exist per client (10, 30): guessing codes is held back, a complainant's own code
	// never waits.
	LookupMissesPerMinute float64
	LookupMissBurst       int
	// ActionTimeout bounds how long an action waits for its workflow (20 s).
	ActionTimeout time.Duration
	// StartTimeout bounds how long the starter tries to start a workflow before leaving
	// it to the worker's relay (5 s); StartWorkers is how many starts run at once (4).
	StartTimeout time.Duration
	StartWorkers int
}

// withDefaults fills what is not set.
func (c Config) withDefaults() Config {
	if c.IntakePerMinute <= 0 {
		c.IntakePerMinute = 20
	}
	if c.IntakeBurst <= 0 {
		c.IntakeBurst = 10
	}
	if c.PhonePerMinute <= 0 {
		c.PhonePerMinute = 0.2 // twelve new complaints an hour
	}
	if c.PhoneBurst <= 0 {
		c.PhoneBurst = 5
	}
	if c.LookupMissesPerMinute <= 0 {
		c.LookupMissesPerMinute = 10
	}
	if c.LookupMissBurst <= 0 {
		c.LookupMissBurst = 30
	}
	if c.ActionTimeout <= 0 {
		c.ActionTimeout = 20 * time.Second
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = 5 * time.Second
	}
	if c.StartWorkers <= 0 {
		c.StartWorkers = 4
	}
	return c
}

// Service is the core: every use case of every door.
type Service struct {
	cfg          Config
	db           Store
	temporal     client.Client
	limiter      *clientLimiter
	phoneLimiter *clientLimiter
	misses       *clientLimiter
	starter      *starter
	policies     policyCache
	reports      reportCache
}

// New builds the core. Call Start before serving and Stop at shutdown.
func New(db Store, tc client.Client, cfg Config) *Service {
	cfg = cfg.withDefaults()
	s := &Service{cfg: cfg, db: db, temporal: tc,
		limiter:      newClientLimiter(cfg.IntakePerMinute, cfg.IntakeBurst),
		phoneLimiter: newClientLimiter(cfg.PhonePerMinute, cfg.PhoneBurst),
		misses:       newClientLimiter(cfg.LookupMissesPerMinute, cfg.LookupMissBurst)}
	s.starter = newStarter(cfg.StartWorkers, 4096, cfg.StartTimeout, s.startQueued)
	return s
}

// Start runs the starter's goroutines.
func (s *Service) Start() { s.starter.Start() }

// Stop stops the starter: complaints still queued are left to the worker's relay, which
// starts every workflow PostgreSQL shows as not started.
func (s *Service) Stop() { s.starter.Stop() }

// Config is the configuration the core runs with.
func (s *Service) Config() Config { return s.cfg }

// TrackingURL is the complainant's tracking page of a complaint.
func (s *Service) TrackingURL(code string) string {
	return strings.TrimRight(s.cfg.PublicBaseURL, "/") + "/lacak/" + code
}

// policyTTL is how long intake reuses the deadline policy it read. A new policy version
// (aduan policy set) reaches intake within this time; the deadlines a workflow keeps are
// re-planned with the stored policy at every stage anyway.
const policyTTL = 10 * time.Second

// policyCache keeps the regency's current deadline policy, which intake would otherwise
// read and parse from PostgreSQL for every complaint.
type policyCache struct {
	mu      sync.Mutex
	policy  domain.SLAPolicy
	fetched time.Time
}

// policy is the deadline policy for new complaints: the override, or the regency's
// newest version.
func (s *Service) policy(ctx context.Context) (domain.SLAPolicy, error) {
	if s.cfg.SLAOverride != nil {
		return *s.cfg.SLAOverride, nil
	}
	p := &s.policies
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.fetched.IsZero() && time.Since(p.fetched) < policyTTL {
		return p.policy, nil
	}
	policy, err := s.db.CurrentSLAPolicy(ctx)
	if err != nil {
		return policy, err
	}
	p.policy, p.fetched = policy, time.Now()
	return policy, nil
}

// Location is the regency's time zone, from its policy's calendar: every date a user
// reads is shown in it. While PostgreSQL is away it is the default zone's.
func (s *Service) Location(ctx context.Context) *time.Location {
	p, err := s.policy(ctx)
	if err != nil {
		return domain.ZoneAt(domain.DefaultUTCOffsetHours)
	}
	return p.Location()
}

// Ready reports whether PostgreSQL and Temporal answer: "ok" or "unavailable" for each.
// Anyone may ask, so the problem itself (hosts, ports, an authentication failure) goes
// to the log only.
func (s *Service) Ready(ctx context.Context) (ready bool, checks map[string]string) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	checks = map[string]string{"postgres": "ok", "temporal": "ok"}
	ready = true
	if err := s.db.PingContext(ctx); err != nil {
		slog.Warn("readiness: PostgreSQL does not answer", "err", err)
		checks["postgres"], ready = "unavailable", false
	}
	if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		slog.Warn("readiness: Temporal does not answer", "err", err)
		checks["temporal"], ready = "unavailable", false
	}
	return ready, checks
}
