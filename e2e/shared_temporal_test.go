package e2e

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
)

// clientOptions are the options of every Temporal client of the tests (as cmd/aduan's
// dialTemporal sets them): the payload codec and the request-id propagator.
func clientOptions(hostPort string) client.Options {
	return client.Options{HostPort: hostPort, Namespace: "default", Logger: quiet, DataConverter: e2eDataConverter,
		ContextPropagators: e2ePropagators}
}

// startSharedTemporal starts the Temporal server the whole run shares: the CLI's dev
// server in memory, or in cluster mode the production profile's server on two databases
// of this run (dropped by stop).
func startSharedTemporal(ctx context.Context, cli string) (client.Client, string, func(), error) {
	if clusterMode() {
		prefix := "temporal_e2e_" + randomHex(4)
		drop := func() {
			dropClusterDatabases(func(q string) error { _, err := adminConn.Exec(q); return err }, prefix)
		}
		host, port := pgHostPort(baseDBURL)
		admin, _ := withDatabase(baseDBURL, "postgres")
		logDir, err := os.MkdirTemp("", "aduan-cluster-")
		if err != nil {
			return nil, "", nil, err
		}
		s, err := startCluster(host, port, admin, prefix, logDir)
		if err != nil {
			drop()
			return nil, "", nil, err
		}
		c, err := client.Dial(clientOptions(s.hostPort))
		if err != nil {
			s.stop()
			drop()
			return nil, "", nil, err
		}
		fmt.Println("e2e: on the production profile: Temporal server on PostgreSQL at", s.hostPort)
		return c, s.hostPort, func() { s.stop(); drop(); _ = os.RemoveAll(logDir) }, nil
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	opts := clientOptions("")
	server, err := testsuite.StartDevServer(sctx, testsuite.DevServerOptions{
		ExistingPath: cli, LogLevel: "error", ExtraArgs: devServerFlags(false), ClientOptions: &opts,
	})
	if err != nil {
		return nil, "", nil, err
	}
	stop := func() {
		if err := server.Stop(); err != nil && !isInterruptExit(err) {
			fmt.Fprintln(os.Stderr, "e2e: stop Temporal dev server:", err)
		}
	}
	return server.Client(), server.FrontendHostPort(), stop, nil
}
