package metrics

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"aduan/domain"
	"aduan/store"
)

// StoreCollector reads Aduan's own figures from PostgreSQL when Prometheus scrapes:
// open and overdue complaints, the outbox, delivery failures, the relay's and the
// acknowledger's backlogs. Every worker registers one and all report the same numbers
// (alerts take max() over them); the API does not.
//
// A scrape storm cannot load the database: the figures are read at most once per ttl
// (concurrent scrapes wait for the one read and share it), within timeout, and the one
// query that reads the whole outbox (settled delivery failures) once per settleEvery.
type StoreCollector struct {
	db          *store.DB
	ttl         time.Duration
	timeout     time.Duration
	settleEvery time.Duration

	mu   sync.Mutex
	at   time.Time // when snap was read; zero: never
	snap snapshot
	// The delivery failures of the outbox rows up to mark (SettledFailures), read at
	// settledAt; the rows after mark are counted at every read.
	mark      int64
	settled   map[string]int
	settledAt time.Time
}

// snapshot is one read of the figures; a part whose query failed is nil.
type snapshot struct {
	open     []store.OpenCount
	backlogs *store.Backlogs
	failures map[string]int
	ok       bool
	took     time.Duration
}

// NewStoreCollector reads db at most every 10 s, each read within 2 s; the settled
// delivery failures once an hour.
func NewStoreCollector(db *store.DB) *StoreCollector {
	return &StoreCollector{db: db, ttl: 10 * time.Second, timeout: 2 * time.Second, settleEvery: time.Hour}
}

var (
	descOpen = prometheus.NewDesc("aduan_complaints_open",
		"Open complaints (somebody still has to act) by status and pokja (\"none\": not assigned).",
		[]string{"status", "pokja"}, nil)
	descOverdue = prometheus.NewDesc("aduan_complaints_overdue",
		"Open complaints past a deadline in a stage where staff has the ball (the supervisors' list).", nil, nil)
	descOldestOverdue = prometheus.NewDesc("aduan_oldest_overdue_seconds",
		"How long ago the earliest deadline of an overdue complaint passed (0: none overdue).", nil, nil)
	descOutbox = prometheus.NewDesc("aduan_outbox_pending",
		"Outbox messages due and not sent that a sender will still try: state new (never tried) or retrying (failed before).",
		[]string{"state"}, nil)
	descOutboxOldest = prometheus.NewDesc("aduan_outbox_oldest_pending_seconds",
		"How long the oldest due outbox message has waited for its first try (0: none).", nil, nil)
	descFailures = prometheus.NewDesc("aduan_delivery_failures_total",
		"Outbox messages whose delivery failed at least once (a sender's error or a provider's report), by channel.",
		[]string{"channel"}, nil)
	descUnstarted = prometheus.NewDesc("aduan_relay_unstarted",
		"Complaints recorded over a minute ago whose workflow is not started: the relay's backlog.", nil, nil)
	descAckPending = prometheus.NewDesc("aduan_ack_pending",
		"New complaints whose acknowledgement to the complainant has not gone out.", nil, nil)
	descAckOldest = prometheus.NewDesc("aduan_ack_oldest_pending_seconds",
		"Age of the oldest complaint waiting for its acknowledgement (0: none).", nil, nil)
	descAnnouncements = prometheus.NewDesc("aduan_announcements_pending",
		"Published answers whose announcement (the answer to the complainant, the push to the websites) is not done yet.", nil, nil)
	descStoreUp = prometheus.NewDesc("aduan_store_up",
		"1 when the last read of these figures from PostgreSQL succeeded; 0 leaves out what failed.", nil, nil)
	descStoreRead = prometheus.NewDesc("aduan_store_read_seconds",
		"How long the last read of these figures from PostgreSQL took.", nil, nil)
)

// Describe implements prometheus.Collector.
func (c *StoreCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOpen, descOverdue, descOldestOverdue, descOutbox, descOutboxOldest,
		descFailures, descUnstarted, descAckPending, descAckOldest, descAnnouncements, descStoreUp, descStoreRead} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *StoreCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.read()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	gauge(descStoreUp, boolFloat(s.ok))
	gauge(descStoreRead, s.took.Seconds())
	if s.open != nil {
		seen := map[string]bool{}
		overdue, oldest := 0, 0.0
		for _, r := range s.open {
			pokja := r.Pokja
			if pokja == "" {
				pokja = "none"
			}
			gauge(descOpen, float64(r.Open), r.Status, pokja)
			seen[r.Status] = true
			overdue += r.Overdue
			oldest = max(oldest, r.OldestOverdueSeconds)
		}
		// A status without complaints reads 0 rather than vanishing.
		for _, st := range domain.OpenStatuses() {
			if !seen[string(st)] {
				gauge(descOpen, 0, string(st), "none")
			}
		}
		gauge(descOverdue, float64(overdue))
		gauge(descOldestOverdue, oldest)
	}
	if b := s.backlogs; b != nil {
		gauge(descOutbox, float64(b.OutboxNew), "new")
		gauge(descOutbox, float64(b.OutboxRetrying), "retrying")
		gauge(descOutboxOldest, b.OutboxOldestNewSeconds)
		gauge(descUnstarted, float64(b.Unstarted))
		gauge(descAckPending, float64(b.AckPending))
		gauge(descAckOldest, b.AckOldestSeconds)
		gauge(descAnnouncements, float64(b.Announcements))
	}
	if s.failures != nil {
		// Every channel from 0, so the first failure on one is an increase.
		for _, channel := range store.DeliveryChannels {
			ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(s.failures[channel]), channel)
		}
		for channel, n := range s.failures {
			if !slices.Contains(store.DeliveryChannels, channel) {
				ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(n), channel)
			}
		}
	}
}

// read answers the cached figures, reading them again once they are older than ttl.
func (c *StoreCollector) read() snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if !c.at.IsZero() && now.Sub(c.at) < c.ttl {
		return c.snap
	}
	start := now
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	s := snapshot{ok: true}
	fail := func(what string, err error) {
		if c.snap.ok || c.at.IsZero() { // once per outage, not at every scrape
			slog.Warn("metrics: reading figures from PostgreSQL failed", "what", what, "err", err)
		}
		s.ok = false
	}
	if open, err := c.db.OpenComplaints(ctx); err != nil {
		fail("open complaints", err)
	} else {
		s.open = open
	}
	if b, err := c.db.WorkBacklogs(ctx); err != nil {
		fail("backlogs", err)
	} else {
		s.backlogs = &b
	}
	if f, err := c.failures(ctx, now); err != nil {
		fail("delivery failures", err)
	} else {
		s.failures = f
	}
	s.took = time.Since(start)
	c.snap, c.at = s, now
	return s
}

// settleTimeout bounds the hourly read of the whole outbox.
const settleTimeout = 10 * time.Second

// failures counts the delivery failures by channel: the settled count up to mark, read
// again once per settleEvery, plus the rows after mark, read every time. Failures are
// never undone, so the sum never goes down: a counter, whose increase() the alerts
// read. A failure of a row older than mark shows at the next settling.
func (c *StoreCollector) failures(ctx context.Context, now time.Time) (map[string]int, error) {
	if c.settled == nil || now.Sub(c.settledAt) >= c.settleEvery {
		sctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
		mark, counts, err := c.db.SettledFailures(sctx)
		cancel()
		if err != nil {
			return nil, err
		}
		c.mark, c.settled, c.settledAt = mark, map[string]int{}, now
		for _, f := range counts {
			c.settled[f.Channel] = f.Count
		}
	}
	recent, err := c.db.DeliveryFailuresSince(ctx, c.mark)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(c.settled)+len(recent))
	for ch, n := range c.settled {
		out[ch] = n
	}
	for _, f := range recent {
		out[f.Channel] += f.Count
	}
	return out, nil
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
