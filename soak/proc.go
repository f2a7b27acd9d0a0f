package soak

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// proc is one `aduan` subcommand running as a child process, its output appended to a
// log file. It can be SIGKILLed and started again; an exit nobody asked for is recorded.
type proc struct {
	name, bin string
	args, env []string
	logPath   string

	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
	stopping bool     // the exit that comes is ours
	closed   bool     // stopped for good: no restart after a crash
	crashes  []string // exits nobody asked for
}

func newProc(name, bin, logPath string, env []string, args ...string) *proc {
	return &proc{name: name, bin: bin, args: args, env: env, logPath: logPath}
}

func (p *proc) start() error {
	f, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "=== %s start %s\n", p.name, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	// A soak that dies (or is killed) takes its children with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done, p.stopping = cmd, done, false
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		f.Close()
		p.mu.Lock()
		crashed := !p.stopping
		if crashed {
			p.crashes = append(p.crashes, fmt.Sprintf("%s exited by itself at %s: %v", p.name, time.Now().Format(time.TimeOnly), err))
		}
		p.mu.Unlock()
		close(done)
		if crashed {
			// Recorded as a failure; started again so the soak goes on and shows the rest.
			time.Sleep(time.Second)
			p.mu.Lock()
			closed := p.closed
			p.mu.Unlock()
			if !closed {
				_ = p.start()
			}
		}
	}()
	return nil
}

// kill sends SIGKILL (what a crash or the OOM killer does) and waits until it is gone.
func (p *proc) kill() { p.signal(syscall.SIGKILL, 0) }

// stop asks it to stop for good (SIGTERM) and kills it if it has not within grace.
func (p *proc) stop(grace time.Duration) {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.signal(syscall.SIGTERM, grace)
}

func (p *proc) signal(sig syscall.Signal, grace time.Duration) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.stopping = true
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	if grace > 0 {
		select {
		case <-done:
			return
		case <-time.After(grace):
			_ = cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	<-done
}

// pid is the running process's id (0 when none runs).
func (p *proc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	select {
	case <-p.done:
		return 0
	default:
		return p.cmd.Process.Pid
	}
}

// unexpectedExits lists the exits nobody asked for.
func (p *proc) unexpectedExits() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.crashes...)
}

// tail is the end of the log, for a failure report.
func (p *proc) tail(n int) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
