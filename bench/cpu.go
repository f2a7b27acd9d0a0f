package bench

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Where a phase's CPU goes, by process: this one (worker, API and load generator), the
// Temporal server, and the PostgreSQL backends serving this run's database. Read from
// the kernel's accounting (getrusage, /proc/<pid>/stat), so it costs nothing while the
// phase runs.

// CPUUse is the CPU time spent over a stretch of wall time.
type CPUUse struct {
	Wall     time.Duration
	Process  time.Duration // this process: worker, API, load generator
	Temporal time.Duration // the Temporal server (dev server or cluster)
	Postgres time.Duration // the backends connected to this run's database
}

// cpuSample is the counters at one moment.
type cpuSample struct {
	at                time.Time
	process, temporal time.Duration
	// backends holds each backend's CPU by process id: the pool closes idle
	// connections, and a sum would go down when one exits.
	backends map[int]time.Duration
}

// clockTick is the kernel's USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every
// Linux architecture Go runs on (sysconf(_SC_CLK_TCK)).
const clockTick = time.Second / 100

// procCPU is a process's user+system time from /proc/<pid>/stat.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'. utime and
	// stime are fields 14 and 15, the 12th and 13th after the comm.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * clockTick
}

// selfCPU is this process's user+system time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendsCPU is the CPU time of each PostgreSQL backend connected to database db (their
// process title is "postgres: [<cluster name>: ]<user> <db> <client> <state>"), by process
// id. A backend that exits within a phase takes its time since the last sample with it:
// the figure is a lower bound.
func backendsCPU(db string) map[int]time.Duration {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	out := map[int]time.Duration{}
	for _, d := range dirs {
		raw, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || !strings.HasPrefix(string(raw), "postgres: ") {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(string(raw), "\x00", " "))
		if len(f) > 2 && strings.HasSuffix(f[1], ":") { // Debian's cluster name, "15/main:"
			f = f[1:]
		}
		if len(f) > 2 && f[2] == db {
			pid, _ := strconv.Atoi(filepath.Base(d))
			out[pid] = procCPU(pid)
		}
	}
	return out
}

// cpuNow samples the counters.
func (s *Stack) cpuNow(context.Context) cpuSample {
	c := cpuSample{at: time.Now(), process: selfCPU(), backends: backendsCPU(s.DBName)}
	if s.temporalPID != nil {
		if pid := s.temporalPID(); pid > 0 {
			c.temporal = procCPU(pid)
		}
	}
	return c
}

// since is the CPU spent between before and c.
func (c cpuSample) since(before cpuSample) CPUUse {
	u := CPUUse{Wall: c.at.Sub(before.at), Process: c.process - before.process, Temporal: c.temporal - before.temporal}
	for pid, t := range c.backends {
		u.Postgres += t - before.backends[pid] // a backend born since counts whole
	}
	return u
}

// add sums two stretches.
func (u CPUUse) add(v CPUUse) CPUUse {
	return CPUUse{Wall: u.Wall + v.Wall, Process: u.Process + v.Process, Temporal: u.Temporal + v.Temporal,
		Postgres: u.Postgres + v.Postgres}
}

// childWith is the process id of this process's child whose command line holds arg (the
// dev server's history file names it uniquely), 0 when there is none.
func childWith(arg string) int {
	self := strconv.Itoa(os.Getpid())
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		raw, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		s := string(raw)
		end := strings.LastIndexByte(s, ')')
		if end < 0 {
			continue
		}
		if f := strings.Fields(s[end+1:]); len(f) < 2 || f[1] != self {
			continue
		}
		cmd, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err == nil && strings.Contains(string(cmd), arg) {
			pid, _ := strconv.Atoi(filepath.Base(d))
			return pid
		}
	}
	return 0
}
