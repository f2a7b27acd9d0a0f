package soak

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"aduan/procfs"
)

// ProcSample is one process's size as /proc and its /metrics show it.
type ProcSample struct {
	PID int
	RSS int64 // bytes (VmRSS)
	// FDs counts every open descriptor; DBConns those connected to PostgreSQL (its pool,
	// bounded by the store at 20) and Inbound the connections its HTTP server accepted
	// (the soak's clients keep theirs alive): neither is the process's own to leak.
	FDs, DBConns, Inbound int
	// Goroutines is go_goroutines from its /metrics (-1 when unread).
	Goroutines int
}

// Own is the descriptors the process holds for itself: files, listeners, its
// connections to Temporal and the providers.
func (p ProcSample) Own() int { return p.FDs - p.DBConns - p.Inbound }

// Sample is the stack at one moment.
type Sample struct {
	Label       string
	At          time.Duration // since traffic began
	Worker, API ProcSample
	TemporalRSS int64 // the dev server
	Complaints  int
	Requests    int
}

// sampler takes a sample every tenth of the traffic and one at the end of warm-up.
type sampler struct {
	s  *stack
	mu sync.Mutex
	// taken holds the samples in order.
	taken []Sample
}

func newSampler(s *stack) *sampler { return &sampler{s: s} }

func (sm *sampler) run(ctx context.Context, start time.Time, d, warmup time.Duration, tr *traffic, lg *logger) {
	type point struct {
		label string
		at    time.Duration
	}
	points := []point{{"warm-up", warmup}}
	for i := 0; i < 10; i++ {
		points = append(points, point{fmt.Sprintf("%d %%", i*10), d * time.Duration(i) / 10})
	}
	sort.SliceStable(points, func(i, j int) bool { return points[i].at < points[j].at })
	for _, p := range points {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(start.Add(p.at))):
		}
		take := sm.take
		if p.label == "warm-up" {
			take = sm.takeLeast
		}
		smp, err := take(ctx, p.label, time.Since(start), tr)
		if err != nil {
			lg.printf("soak: sample %s: %v", p.label, err)
			continue
		}
		sm.mu.Lock()
		sm.taken = append(sm.taken, smp)
		sm.mu.Unlock()
		lg.printf("soak: %s: worker %s, API %s, dev server %s, %d complaints, %d requests", p.label,
			smp.Worker, smp.API, mib(smp.TemporalRSS), smp.Complaints, smp.Requests)
	}
}

func (sm *sampler) samples() []Sample {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	return append([]Sample(nil), sm.taken...)
}

// takeLeast is the sample the flatness check compares (after warm-up, and at the end):
// five samples two seconds apart, each process's RSS the least of them and its
// descriptors those of the sample with the fewest of its own. A leak raises the floor; a
// garbage collection's swing, which the Go runtime gives back to the system over seconds,
// raises only one sample.
func (sm *sampler) takeLeast(ctx context.Context, label string, at time.Duration, tr *traffic) (Sample, error) {
	var end Sample
	for i := 0; i < 5; i++ {
		if i > 0 {
			time.Sleep(2 * time.Second)
		}
		smp, err := sm.take(ctx, label, at, tr)
		if err != nil {
			return end, err
		}
		if i == 0 {
			end = smp
			continue
		}
		end.Worker, end.API = lower(end.Worker, smp.Worker), lower(end.API, smp.API)
		end.TemporalRSS = min(end.TemporalRSS, smp.TemporalRSS)
	}
	return end, nil
}

// lower keeps the smaller RSS and the descriptors of the sample with fewer of its own.
func lower(a, b ProcSample) ProcSample {
	if a.PID != b.PID || b.PID == 0 {
		return a
	}
	out := a
	if b.Own() < a.Own() {
		out = b
	}
	out.RSS = min(a.RSS, b.RSS)
	return out
}

// take reads the processes now.
func (sm *sampler) take(ctx context.Context, label string, at time.Duration, tr *traffic) (Sample, error) {
	s := sm.s
	smp := Sample{Label: label, At: at, Requests: tr.http.tally.total()}
	smp.Worker = readProc(s.worker.pid(), s.pgPort)
	smp.Worker.Goroutines = goroutines("http://" + s.workerMetrics + "/metrics")
	smp.API = readProc(s.api.pid(), s.pgPort)
	smp.API.Goroutines = goroutines(s.apiBase + "/metrics")
	for _, pid := range s.temporal.pids() {
		smp.TemporalRSS += procfs.VmRSS(strconv.Itoa(pid))
	}
	err := s.db.GetContext(ctx, &smp.Complaints, `SELECT count(*) FROM complaints`)
	return smp, err
}

func (p ProcSample) String() string {
	if p.PID == 0 {
		return "down"
	}
	return fmt.Sprintf("pid %d RSS %s fds %d (own %d) goroutines %d", p.PID, mib(p.RSS), p.FDs, p.Own(), p.Goroutines)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// readProc reads a process's RSS and descriptors, telling its sockets apart with the
// kernel's TCP tables: connected to PostgreSQL's port, or accepted on one of its own
// listening ports.
func readProc(pid, pgPort int) ProcSample {
	p := ProcSample{PID: pid, Goroutines: -1}
	if pid == 0 {
		return p
	}
	p.RSS = procfs.VmRSS(strconv.Itoa(pid))
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	ents, err := os.ReadDir(filepath.Join(dir, "fd"))
	if err != nil {
		p.PID = 0
		return p
	}
	sockets := map[string]bool{}
	for _, e := range ents {
		p.FDs++
		if link, err := os.Readlink(filepath.Join(dir, "fd", e.Name())); err == nil {
			if inode, ok := strings.CutPrefix(link, "socket:["); ok {
				sockets[strings.TrimSuffix(inode, "]")] = true
			}
		}
	}
	var conns []tcpSocket
	listening := map[int]bool{}
	for _, table := range []string{"tcp", "tcp6"} {
		for _, sk := range tcpTable(filepath.Join(dir, "net", table)) {
			if !sockets[sk.inode] {
				continue
			}
			if sk.state == tcpListen {
				listening[sk.localPort] = true
			} else {
				conns = append(conns, sk)
			}
		}
	}
	for _, sk := range conns {
		switch {
		case sk.remotePort == pgPort:
			p.DBConns++
		case listening[sk.localPort]:
			p.Inbound++
		}
	}
	return p
}

const tcpListen = "0A"

type tcpSocket struct {
	localPort, remotePort int
	state, inode          string
}

// tcpTable parses /proc/<pid>/net/tcp or tcp6: "sl local rem st ... uid timeout inode".
func tcpTable(path string) []tcpSocket {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []tcpSocket
	for _, line := range strings.Split(string(raw), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 10 {
			continue
		}
		out = append(out, tcpSocket{localPort: hexPort(f[1]), remotePort: hexPort(f[2]), state: f[3], inode: f[9]})
	}
	return out
}

func hexPort(addr string) int {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return 0
	}
	n, _ := strconv.ParseInt(addr[i+1:], 16, 32)
	return int(n)
}

// metricsClient reads /metrics without keeping a connection (which would count as one
// the process accepted).
var metricsClient = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// goroutines reads go_goroutines from a /metrics page (-1 when it cannot).
func goroutines(u string) int {
	res, err := metricsClient.Get(u)
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		return -1
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "go_goroutines "); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return int(n)
			}
		}
	}
	return -1
}
