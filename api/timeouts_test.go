package api

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/mocks"

	"aduan/complaints"
	"aduan/complaints/storefake"
)

// Item 9 (issue 14): a client that sends its body slowly holds a connection no longer
// than the read timeout, even on a server built without NewServer (httptest's sets no
// timeout at all).
func TestSlowBodyIsCutOff(t *testing.T) {
	requestReadTimeout = 300 * time.Millisecond
	t.Cleanup(func() { requestReadTimeout = ReadTimeout })
	core := complaints.New(storefake.New(), mocks.NewClient(t), complaints.Config{})
	srv := httptest.NewServer(New(core, Options{}))
	defer srv.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers promise 1000 bytes; one arrives, then nothing.
	if _, err := conn.Write([]byte("POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
		"Content-Length: 1000\r\n\r\n{")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		res.Body.Close()
	}
	if waited := time.Since(start); waited > 3*time.Second {
		t.Fatalf("the slow body held the connection %v (answer %v, %v)", waited, res, err)
	}
	if err == nil && res.StatusCode < 400 {
		t.Errorf("a body cut off answered %d", res.StatusCode)
	}
}
