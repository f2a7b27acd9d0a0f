package soak

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"aduan/bench"
)

// quietSDK logs the SDK's errors only (a restart makes it warn a lot).
func quietSDK() sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
}

// devServer is the soak's Temporal dev server: a fixed address and a SQLite file, so
// that stopping it and starting it again carries on with the same history, as a restart
// of a real server does.
type devServer struct {
	cli, hostPort, dbFile, logPath string

	mu  sync.Mutex
	srv *testsuite.DevServer
	log *os.File
}

// start runs the server and waits until it answers; the port may take a moment to be
// free after a stop, so it tries for a while.
func (d *devServer) start(ctx context.Context) error {
	log, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	var lastErr error
	for attempt := 0; attempt < 10; attempt++ {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		srv, err := testsuite.StartDevServer(sctx, testsuite.DevServerOptions{
			ExistingPath: d.cli, LogLevel: "warn", DBFilename: d.dbFile, ExtraArgs: bench.DevServerFlags(true),
			ClientOptions: &client.Options{HostPort: d.hostPort, Namespace: "default", Logger: quietSDK()},
			Stdout:        log, Stderr: log,
		})
		cancel()
		if err == nil {
			srv.Client().Close() // the soak dials its own, which lives across restarts
			d.mu.Lock()
			d.srv, d.log = srv, log
			d.mu.Unlock()
			return nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
		time.Sleep(2 * time.Second)
	}
	log.Close()
	return fmt.Errorf("start the Temporal dev server on %s: %w", d.hostPort, lastErr)
}

// stop ends the server (an interrupt, then it shuts down) and waits for it.
func (d *devServer) stop() error {
	d.mu.Lock()
	srv, log := d.srv, d.log
	d.srv, d.log = nil, nil
	d.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Stop()
	log.Close()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil // it exits on the interrupt it was sent
	}
	return err
}

// pids are the processes of the dev server: this process's children running the CLI.
func (d *devServer) pids() []int {
	self := strconv.Itoa(os.Getpid())
	base := filepath.Base(d.cli)
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []int
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		s := string(raw)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) > 1 && f[1] == self && strings.HasPrefix(base, s[open+1:close]) {
			pid, _ := strconv.Atoi(filepath.Base(dir))
			out = append(out, pid)
		}
	}
	return out
}
