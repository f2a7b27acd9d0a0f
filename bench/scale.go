package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
)

// MemSample is the memory picture with Open complaints waiting on their timers.
type MemSample struct {
	Open int
	// ProcessRSS is this process's VmRSS: worker, API and load generator share it.
	ProcessRSS int64
	// GoHeap is the Go heap in use after a GC (the worker's workflow cache lives there).
	GoHeap int64
	// ServerRSS is the Temporal dev server's VmRSS (child processes of this one).
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
	// Console holds, for each of ConsolePages, one latency per pass; PageBytes is the
	// largest console page served.
	Console   [][]Latency
	PageBytes int
}

// vmRSS reads VmRSS (bytes) from /proc/<pid>/status.
func vmRSS(pid string) int64 {
	f, err := os.Open(filepath.Join("/proc", pid, "status"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// childrenRSS sums VmRSS of this process's direct children (the dev server).
func childrenRSS() int64 {
	self := strconv.Itoa(os.Getpid())
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var sum int64
	for _, d := range dirs {
		raw, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		s := string(raw)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == self {
			sum += vmRSS(filepath.Base(d))
		}
	}
	return sum
}

func sampleMem(open int) MemSample {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return MemSample{Open: open, ProcessRSS: vmRSS("self"), GoHeap: int64(ms.HeapInuse), ServerRSS: childrenRSS()}
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
	r.Samples = append(r.Samples, sampleMem(0))
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
		r.Samples = append(r.Samples, sampleMem(done))
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
		Items []struct{} `json:"items"`
		Total int        `json:"total"`
	}
	var items, total atomic.Int64
	inbox, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
		var l list
		err := call(ctx, hc, "GET", s.BaseURL+"/api/v1/staff/tasks", s.Tokens["pokja-logistik"], nil, http.StatusOK, &l)
		items.Store(int64(len(l.Items)))
		return err
	})
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	r.InboxItems = int(items.Load())
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
	return measureConsole(ctx, s, r, reqs, conc)
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
