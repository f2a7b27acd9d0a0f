package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"aduan/procfs"
)

// MemSample is the memory picture with Open complaints waiting on their timers.
type MemSample struct {
	Open int
	// ProcessRSS is this process's VmRSS: worker, API and load generator share it.
	ProcessRSS int64
	// GoHeap is the Go heap in use after a GC (the worker's workflow cache lives there).
	GoHeap int64
	// ServerRSS is the Temporal server's VmRSS (a child process of this one).
	ServerRSS int64
}

// ScaleResult is figure 4.
type ScaleResult struct {
	Open          int
	Samples       []MemSample
	TemporalBytes int64 // SQLite file (+ -wal, -shm)
	PGBytes       int64 // pg_database_size
	Complaints    int   // rows in complaints (all figures' complaints)
	InboxItems    int
	Inbox         []Latency // one per pass
	Search        []Latency
	SearchTotal   int
	// Complaint is a complaint's JSON page (GET /api/v1/staff/complaints/{code}) as
	// pokja-logistik, one latency per pass.
	Complaint []Latency
	// Report is the evaluation report over the last ReportDays days (GET
	// /api/v1/staff/reports as admin), one latency per pass; ReportTotal its complaints.
	Report      []Latency
	ReportTotal int
	// ReportComputed is the same report computed by PostgreSQL at every request
	// (store.Report, past the core's cache of unchanged reports), one latency per pass.
	ReportComputed []Latency
	// Vacuumed says the bench vacuumed the tables after the fill because the server runs
	// without autovacuum, which would have done so on its own (migration 00025).
	Vacuumed bool
	// OpenAll is how many complaints were open (not closed or rejected) at the end of the
	// fill, of every phase.
	OpenAll int
	// Console holds, for each of ConsolePages, one latency per pass; PageBytes is the
	// largest console page served.
	Console   [][]Latency
	PageBytes int
}

func sampleMem(s *Stack, open int) MemSample {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := MemSample{Open: open, ProcessRSS: procfs.VmRSS("self"), GoHeap: int64(ms.HeapInuse)}
	if s.temporalPID != nil {
		if pid := s.temporalPID(); pid > 0 {
			m.ServerRSS = procfs.VmRSS(strconv.Itoa(pid))
		}
	}
	return m
}

func fileSize(paths ...string) int64 {
	var n int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// ScaleFill brings k open complaints (received, then triaged to pokja logistik, so they
// wait on their SLA timers in at_pokja), sampling memory at k/4, k/2 and k.
func ScaleFill(ctx context.Context, s *Stack, k int, progress func(string)) (ScaleResult, error) {
	r := ScaleResult{Open: k}
	r.Samples = append(r.Samples, sampleMem(s, 0))
	hc := newClient(16)
	defer hc.CloseIdleConnections()
	done := 0
	for _, target := range []int{k / 4, k / 2, k} {
		n := target - done
		if n <= 0 {
			continue
		}
		codes := make([]string, n)
		if _, err := hammer(ctx, n, 16, func(ctx context.Context, i int) error {
			code, err := submit(ctx, hc, s.BaseURL, "scale")
			codes[i] = code
			return err
		}); err != nil {
			return r, fmt.Errorf("scale intake: %w", err)
		}
		if _, err := Quiesce(ctx, s); err != nil {
			return r, err
		}
		triage := happyPath[0]
		if _, err := hammer(ctx, n, 8, func(ctx context.Context, i int) error {
			return act(ctx, hc, s, codes[i], triage.Action, triage.User, triage.Body)
		}); err != nil {
			return r, fmt.Errorf("scale triage: %w", err)
		}
		if _, err := Quiesce(ctx, s); err != nil {
			return r, err
		}
		done = target
		r.Samples = append(r.Samples, sampleMem(s, done))
		if progress != nil {
			progress(fmt.Sprintf("scale: %d open complaints, process RSS %s", done, mib(r.Samples[len(r.Samples)-1].ProcessRSS)))
		}
	}
	// The tables as a running system has them: autovacuum analyzes a table once a tenth
	// of it has changed, within a minute; a bench that measures seconds after a bulk fill
	// would otherwise time plans made without statistics (a text search sorting every
	// match instead of reading the newest first).
	if _, err := s.DB.ExecContext(ctx, `ANALYZE`); err != nil {
		return r, fmt.Errorf("analyze after the fill: %w", err)
	}
	if err := s.DB.GetContext(ctx, &r.OpenAll, `SELECT count(*) FROM complaints WHERE status NOT IN ('closed', 'rejected')`); err != nil {
		return r, err
	}
	return r, nil
}

// ScaleMeasure measures sizes and one pass of inbox and search latency (reqs requests
// each on conc clients).
func ScaleMeasure(ctx context.Context, s *Stack, r *ScaleResult, reqs, conc int) error {
	r.TemporalBytes = fileSize(s.TemporalDB, s.TemporalDB+"-wal", s.TemporalDB+"-shm")
	if err := s.DB.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&r.PGBytes); err != nil {
		return err
	}
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM complaints`).Scan(&r.Complaints); err != nil {
		return err
	}
	hc := newClient(conc)
	defer hc.CloseIdleConnections()
	type list struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
		Total int `json:"total"`
	}
	var items, total atomic.Int64
	var code atomic.Value
	s.settle(ctx)
	inbox, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
		var l list
		err := call(ctx, hc, "GET", s.BaseURL+"/api/v1/staff/tasks", s.Tokens["pokja-logistik"], nil, http.StatusOK, &l)
		items.Store(int64(len(l.Items)))
		if len(l.Items) > 0 {
			code.Store(l.Items[len(l.Items)/2].Code)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	r.InboxItems = int(items.Load())
	c, _ := code.Load().(string)
	if c == "" {
		return fmt.Errorf("the inbox lists no complaint")
	}
	page, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
		return call(ctx, hc, "GET", s.BaseURL+"/api/v1/staff/complaints/"+c, s.Tokens["pokja-logistik"], nil, http.StatusOK, nil)
	})
	if err != nil {
		return fmt.Errorf("complaint page: %w", err)
	}
	r.Complaint = append(r.Complaint, page)
	search, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
		var l list
		err := call(ctx, hc, "GET", s.BaseURL+"/api/v1/staff/complaints?q=banjir", s.Tokens["admin"], nil, http.StatusOK, &l)
		total.Store(int64(l.Total))
		return err
	})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	r.SearchTotal = int(total.Load())
	r.Inbox = append(r.Inbox, inbox)
	r.Search = append(r.Search, search)
	// The report is heavier than a page: a tenth of the requests (at least 10) per pass.
	from := time.Now().AddDate(0, 0, -(ReportDays - 1)).Format("2006-01-02")
	var reportTotal atomic.Int64
	report, err := hammer(ctx, max(reqs/10, 10), conc, func(ctx context.Context, _ int) error {
		var rep struct {
			Total int `json:"total"`
		}
		err := call(ctx, hc, "GET", s.BaseURL+"/api/v1/staff/reports?from="+from, s.Tokens["admin"], nil, http.StatusOK, &rep)
		reportTotal.Store(int64(rep.Total))
		return err
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	r.Report, r.ReportTotal = append(r.Report, report), int(reportTotal.Load())
	computed, err := reportComputed(ctx, s, max(reqs/20, 10), conc)
	if err != nil {
		return fmt.Errorf("report computed: %w", err)
	}
	r.ReportComputed = append(r.ReportComputed, computed)
	return measureConsole(ctx, s, r, reqs, conc)
}

// ReportDays is the evaluation report's period in the scale figures: the last 380 days,
// so the year LoadYear writes (a year up to two weeks ago) and every open complaint.
const ReportDays = 380

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// reportComputed times the API's report as PostgreSQL computes it, n times on conc
// clients: store.Report for admin over the same period, without the core's cache.
func reportComputed(ctx context.Context, s *Stack, n, conc int) (Latency, error) {
	admin, err := s.DB.StaffByUsername(ctx, "admin")
	if err != nil {
		return Latency{}, err
	}
	from, to, limit := reportPeriod(ReportDays)
	return hammer(ctx, n, conc, func(ctx context.Context, _ int) error {
		_, err := s.DB.Report(ctx, admin.Actor(), from, to, limit)
		return err
	})
}
