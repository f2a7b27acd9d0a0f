package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"aduan/demo"
	"aduan/domain"
	"aduan/store"
	"aduan/worker"
)

// ownDevServer starts a Temporal dev server of this test's own on hostPort, keeping its
// history in dbFile so that a restart carries on where it stopped.
func ownDevServer(t *testing.T, hostPort, dbFile string) *testsuite.DevServer {
	t.Helper()
	extra := devServerFlags(true)
	var server *testsuite.DevServer
	var err error
	for attempt := 0; attempt < 5; attempt++ { // the port may take a moment to be free again
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		server, err = testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
			ExistingPath: temporalCLI(), LogLevel: "error", DBFilename: dbFile, ExtraArgs: extra,
			ClientOptions: &client.Options{HostPort: hostPort, Namespace: "default", Logger: quiet, DataConverter: e2eDataConverter},
			Stdout:        io.Discard, Stderr: io.Discard,
		})
		cancel()
		if err == nil {
			return server
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("start dev server on %s: %v", hostPort, err)
	return nil
}

// freshDatabase is a migrated, seeded database of the test's own, dropped afterwards:
// for tests whose relay must not meet the shared database's complaints.
func freshDatabase(t *testing.T) (*store.DB, map[string]string) {
	t.Helper()
	name := "aduan_e2e_" + randomHex(6)
	if _, err := adminConn.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = adminConn.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	url, _ := withDatabase(baseDBURL, name)
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	toks, err := demo.Seed(context.Background(), db, filepath.Join(t.TempDir(), "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	return db, toks
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestTemporalOutageLosesNothing: with the Temporal server down, 50 complaints arrive by
// the web API, WhatsApp and SMS. Every one is taken (a code, or 200 to the provider);
// when the server is back, the relay starts their workflows: each complaint has exactly
// one row and one workflow.
func TestTemporalOutageLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and stops a Temporal server of its own")
	}
	db, toks := freshDatabase(t)
	hostPort := freePort(t)
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	server := ownDevServer(t, hostPort, dbFile)

	// A client, worker, relay and API of this test, on that server.
	c, err := client.Dial(client.Options{HostPort: hostPort, Namespace: "default", Logger: quiet, DataConverter: e2eDataConverter})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tq := "aduan-outage-" + randomHex(4)
	w := worker.New(c, db, tq, nil)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go worker.RunBackground(ctx, c, db, tq, nil, time.Second)
	deps := apiDeps
	deps.Temporal, deps.TaskQueue, deps.DB = c, tq, db
	deps.Webhooks.WAAppSecret, deps.Webhooks.SMSSecret = waSecret, smsSecret
	deps.StartTimeout = 300 * time.Millisecond
	srv := httptest.NewServer(newRouter(t, deps))
	defer srv.Close()

	if err := server.Stop(); err != nil && !isInterruptExit(err) {
		t.Fatalf("stop Temporal: %v", err)
	}

	// 50 complaints while Temporal is down: 20 by the API, 15 by WhatsApp, 15 by SMS.
	run := randomHex(4)
	var mu sync.Mutex
	var codes []string
	var phones []string
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			text := fmt.Sprintf("Aduan saat gangguan %s nomor %d: bantuan belum sampai", run, i)
			phone := fmt.Sprintf("62811%04d%04d", i, time.Now().Nanosecond()%10000)
			switch {
			case i < 20:
				r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": text}, nil)
				if r.Status != http.StatusCreated {
					t.Errorf("web intake %d during the outage: %s", i, r)
					return
				}
				mu.Lock()
				codes = append(codes, r.object(t)["code"].(string))
				mu.Unlock()
			case i < 35:
				if st := sendWA(t, srv.URL, phone, "wamid.out"+run+fmt.Sprint(i), text); st != 200 {
					t.Errorf("whatsapp %d during the outage: %d", i, st)
				}
				mu.Lock()
				phones = append(phones, phone)
				mu.Unlock()
			default:
				if st := sendSMS(t, srv.URL, phone, "sms-out"+run+fmt.Sprint(i), text); st != 200 {
					t.Errorf("sms %d during the outage: %d", i, st)
				}
				mu.Lock()
				phones = append(phones, phone)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, p := range phones {
		var got []string
		if err := db.Select(&got, `SELECT code FROM complaints WHERE phone = $1`, p); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("number %s has %d complaints, want 1", p, len(got))
		}
		codes = append(codes, got[0])
	}
	if len(codes) != 50 {
		t.Fatalf("%d complaints taken during the outage, want 50", len(codes))
	}
	var rows, unstarted int
	_ = db.Get(&rows, `SELECT count(*) FROM complaints WHERE text LIKE $1`, "Aduan saat gangguan "+run+"%")
	_ = db.Get(&unstarted, `SELECT count(*) FROM complaints WHERE text LIKE $1 AND NOT workflow_started`, "Aduan saat gangguan "+run+"%")
	if rows != 50 || unstarted != 50 {
		t.Fatalf("rows %d (want 50), without workflow %d (want 50)", rows, unstarted)
	}

	// Still without Temporal, every complaint has its acknowledgement with its code from
	// the acknowledger: on WhatsApp or SMS for the 30 numbers, in the log for the web
	// complaints that left no contact.
	var acked int
	if !eventually(20*time.Second, func() bool {
		_ = db.Get(&acked, `SELECT count(DISTINCT n.code) FROM notifications n JOIN complaints c ON c.code = n.code
			WHERE c.text LIKE $1 AND n.kind = 'ack' AND n.sent_at IS NOT NULL`, "Aduan saat gangguan "+run+"%")
		return acked == 50
	}) {
		t.Fatalf("%d complaints acknowledged while Temporal was down, want 50", acked)
	}

	// Temporal comes back (same history file): the relay starts every workflow.
	server = ownDevServer(t, hostPort, dbFile)
	defer server.Stop()
	if !eventually(90*time.Second, func() bool {
		_ = db.Get(&unstarted, `SELECT count(*) FROM complaints WHERE text LIKE $1 AND NOT workflow_started`, "Aduan saat gangguan "+run+"%")
		return unstarted == 0
	}) {
		t.Fatalf("%d complaints still without a workflow 90 s after Temporal came back", unstarted)
	}
	for _, code := range codes {
		res, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: "default", Query: "WorkflowId='" + domain.WorkflowID(code) + "'"})
		if err == nil && len(res.Executions) != 1 {
			// Visibility may lag a little; describe is authoritative.
			_, err = c.DescribeWorkflow(context.Background(), domain.WorkflowID(code), "")
		}
		if err != nil {
			t.Errorf("complaint %s: no workflow: %v", code, err)
		}
	}
	// And they work: the first one can be triaged.
	v := triageAt(t, srv.URL, toks["admin"], codes[0])
	if v.Status != "at_pokja" {
		t.Errorf("triage after the outage: %+v", v)
	}
}

func triageAt(t *testing.T, base, adminToken, code string) staffView {
	r := doAt(t, base, "POST", "/api/v1/staff/complaints/"+code+"/actions/triage", adminToken,
		map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal", "title": "Setelah gangguan"}, nil)
	var v staffView
	if r.Status != http.StatusOK {
		t.Fatalf("triage: %s", r)
	}
	r.decode(t, &v)
	return v
}
