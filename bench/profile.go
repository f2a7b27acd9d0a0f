package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// Where the lifecycle waits: one lifecycle walk, not counted in the figures, under Go's
// CPU profiler (the worker and the API share this process), with the CPU time of the
// Temporal server and of PostgreSQL's backends beside it.

// ProfileResult is the profiled walk.
type ProfileResult struct {
	File       string // the CPU profile (go tool pprof reads it)
	Lifecycles int
	Wall       time.Duration
	CPU        CPUUse
	// Top are the functions with the most CPU of their own (flat), TopCum Aduan's own
	// functions with the most CPU under them (cumulative), of this process's samples.
	Top, TopCum []FuncShare
	// Areas is this process's CPU by what spends it (package groups), biggest first.
	Areas []FuncShare
}

// FuncShare is a function's or an area's share of the profiled CPU.
type FuncShare struct {
	Name  string
	Share float64 // of all samples
}

// ProfileLifecycle walks m complaints through the happy path on conc clients with the CPU
// profiler on, writing dir/lifecycle-cpu.pprof.
func ProfileLifecycle(ctx context.Context, s *Stack, m, conc int, dir string) (ProfileResult, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ProfileResult{}, err
	}
	r := ProfileResult{File: filepath.Join(dir, "lifecycle-cpu.pprof")}
	f, err := os.Create(r.File)
	if err != nil {
		return r, err
	}
	defer f.Close()
	s.settle(ctx)
	before := s.cpuNow(ctx)
	if err := pprof.StartCPUProfile(f); err != nil {
		return r, err
	}
	w := walk(ctx, s, m, conc)
	pprof.StopCPUProfile()
	r.CPU = s.cpuNow(ctx).since(before)
	r.Lifecycles, r.Wall = w.Lifecycle.N, r.CPU.Wall
	if w.FirstErr != nil && w.Lifecycle.N == 0 {
		return r, fmt.Errorf("profiled lifecycle: %w", w.FirstErr)
	}
	if err := f.Close(); err != nil {
		return r, err
	}
	rf, err := os.Open(r.File)
	if err != nil {
		return r, err
	}
	defer rf.Close()
	p, err := profile.Parse(rf)
	if err != nil {
		return r, fmt.Errorf("read the profile: %w", err)
	}
	r.Top, r.TopCum, r.Areas = summariseProfile(p, 12)
	_, err = Quiesce(ctx, s)
	return r, err
}

// summariseProfile ranks functions by flat and cumulative CPU, and groups the flat CPU by
// area.
func summariseProfile(p *profile.Profile, top int) (flat, cum, areas []FuncShare) {
	vi := len(p.SampleType) - 1 // cpu nanoseconds, after the sample count
	var total int64
	flatBy, cumBy, areaBy := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, smp := range p.Sample {
		v := smp.Value[vi]
		total += v
		seen := map[string]bool{}
		for li, loc := range smp.Location {
			for ln := range loc.Line {
				fn := loc.Line[ln].Function
				if fn == nil {
					continue
				}
				// The leaf is the innermost line of the first location.
				if li == 0 && ln == 0 {
					flatBy[fn.Name] += v
					areaBy[areaOf(fn.Name)] += v
				}
				if !seen[fn.Name] {
					seen[fn.Name] = true
					cumBy[fn.Name] += v
				}
			}
		}
	}
	rank := func(m map[string]int64, n int, keep func(string) bool) []FuncShare {
		var out []FuncShare
		for k, v := range m {
			if keep == nil || keep(k) {
				out = append(out, FuncShare{Name: k, Share: float64(v) / float64(max(total, 1))})
			}
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Share != out[j].Share {
				return out[i].Share > out[j].Share
			}
			return out[i].Name < out[j].Name
		})
		if n > 0 && len(out) > n {
			out = out[:n]
		}
		return out
	}
	// Cumulatively, Aduan's own functions: where in our code the CPU is spent, beneath
	// them included. Middleware holds every request beneath it, so it says nothing: the
	// server's (package api itself) and the JSON API's sign-in and rate limit.
	ours := func(name string) bool {
		return strings.HasPrefix(name, "aduan/") && !strings.HasPrefix(name, "aduan/api.") &&
			!slices.Contains(middleware, name)
	}
	return rank(flatBy, top, nil), rank(cumBy, top, ours), rank(areaBy, 0, nil)
}

// middleware are the API's handlers that wrap others (gin's c.Next).
var middleware = []string{"aduan/api/rest.handlers.authenticate", "aduan/api/rest.handlers.rateLimited"}

// areas name where a function's package belongs, first match wins.
var areas = []struct{ prefix, area string }{
	{"runtime.gc", "Go runtime: garbage collection"},
	{"runtime.scanobject", "Go runtime: garbage collection"},
	{"runtime.markBits", "Go runtime: garbage collection"},
	{"runtime.greyobject", "Go runtime: garbage collection"},
	{"runtime.findObject", "Go runtime: garbage collection"},
	{"runtime.mallocgc", "Go runtime: allocation"},
	{"runtime.memclr", "Go runtime: allocation"},
	{"runtime.memmove", "Go runtime: memory copy"},
	{"runtime.futex", "Go runtime: scheduler and system calls"},
	{"runtime.", "Go runtime: scheduler and the rest"},
	{"syscall.", "system calls (network, files)"},
	{"internal/runtime/syscall", "system calls (network, files)"},
	{"internal/poll", "system calls (network, files)"},
	{"crypto/", "cryptography (payload codec, signatures)"},
	{"vendor/golang.org/x/crypto", "cryptography (payload codec, signatures)"},
	{"golang.org/x/crypto", "cryptography (payload codec, signatures)"},
	{"google.golang.org/protobuf", "protobuf (Temporal's wire format)"},
	{"github.com/gogo/protobuf", "protobuf (Temporal's wire format)"},
	{"google.golang.org/grpc", "gRPC (Temporal client)"},
	{"golang.org/x/net/http2", "gRPC (Temporal client)"},
	{"go.temporal.io/sdk", "Temporal SDK (worker and client)"},
	{"go.temporal.io/api", "Temporal SDK (worker and client)"},
	{"github.com/lib/pq", "PostgreSQL driver"},
	{"database/sql", "PostgreSQL driver"},
	{"github.com/jmoiron/sqlx", "PostgreSQL driver"},
	{"encoding/json", "JSON"},
	{"github.com/bytedance/sonic", "JSON"},
	{"github.com/goccy/go-json", "JSON"},
	{"net/http", "HTTP server and clients"},
	{"net.", "HTTP server and clients"},
	{"net/", "HTTP server and clients"},
	{"bufio", "HTTP server and clients"},
	{"github.com/gin-gonic", "HTTP server and clients"},
	{"html/template", "templates"},
	{"text/template", "templates"},
	{"aduan/", "Aduan's own code"},
	{"log/slog", "logging"},
	{"regexp", "regular expressions"},
	{"compress/", "gzip (the Temporal client compresses its gRPC requests)"},
}

func areaOf(fn string) string {
	for _, a := range areas {
		if strings.HasPrefix(fn, a.prefix) {
			return a.area
		}
	}
	return "other (" + pkgOf(fn) + ")"
}

// pkgOf is a function's package path.
func pkgOf(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}
