package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"aduan/config"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Aduan test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue makes a certificate for name signed by the CA, as PEM certificate and key.
func (ca *testCA) issue(t *testing.T, name string, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

// tlsFrontend puts TLS (HTTP/2, client certificates required) in front of the Temporal
// frontend at backend, as a cluster's TLS listener or a terminating proxy does, and
// returns its address.
func tlsFrontend(t *testing.T, ca *testCA, serverName, backend string) string {
	t.Helper()
	certPEM, keyPEM := ca.issue(t, serverName, x509.ExtKeyUsageServerAuth)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer in.Close()
				if err := in.(*tls.Conn).Handshake(); err != nil {
					return
				}
				out, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer out.Close()
				go func() { _, _ = io.Copy(out, in); out.Close() }()
				_, _ = io.Copy(in, out)
			}()
		}
	}()
	return l.Addr().String()
}

// TestTemporalOverTLS: Aduan's Temporal client, configured the SDK's way
// (TEMPORAL_ADDRESS, TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME and a
// client certificate), reaches the test's Temporal server over mutual TLS with a CA made
// here; without the CA, with another name or without a client certificate it does not.
func TestTemporalOverTLS(t *testing.T) {
	ca := newTestCA(t)
	addr := tlsFrontend(t, ca, "temporal.aduan.test", devServerAddr)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caFile := write("ca.pem", ca.pem)
	clientCert, clientKey := ca.issue(t, "aduan-worker", x509.ExtKeyUsageClientAuth)
	certFile, keyFile := write("client.pem", clientCert), write("client-key.pem", clientKey)
	good := map[string]string{"TEMPORAL_ADDRESS": addr, "TEMPORAL_NAMESPACE": "default",
		"TEMPORAL_TLS_SERVER_CA_CERT_PATH": caFile, "TEMPORAL_TLS_SERVER_NAME": "temporal.aduan.test",
		"TEMPORAL_TLS_CLIENT_CERT_PATH": certFile, "TEMPORAL_TLS_CLIENT_KEY_PATH": keyFile}

	dial := func(env map[string]string) error {
		cfg, err := config.Parse(env)
		if err != nil {
			return err
		}
		opts, err := cfg.TemporalClientOptions()
		if err != nil {
			return err
		}
		opts.Logger, opts.DataConverter = quiet, e2eDataConverter
		opts.ConnectionOptions.GetSystemInfoTimeout = 3 * time.Second
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := client.DialContext(ctx, opts)
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "default"})
		return err
	}
	if err := dial(good); err != nil {
		t.Fatalf("over TLS with the CA, the name and a client certificate: %v", err)
	}
	with := func(changes map[string]string) map[string]string {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		for k, v := range changes {
			if v == "" {
				delete(env, k)
			} else {
				env[k] = v
			}
		}
		return env
	}
	for name, env := range map[string]map[string]string{
		"no CA":                 with(map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": ""}),
		"another server name":   with(map[string]string{"TEMPORAL_TLS_SERVER_NAME": "other.aduan.test"}),
		"no client certificate": with(map[string]string{"TEMPORAL_TLS_CLIENT_CERT_PATH": "", "TEMPORAL_TLS_CLIENT_KEY_PATH": ""}),
	} {
		err := dial(env)
		if err == nil {
			t.Errorf("%s: connected, want refused", name)
			continue
		}
		t.Logf("%s: refused as it should be: %s", name, firstLine(err.Error()))
	}
	// Half a client certificate stops the process before it dials, naming the variable.
	_, err := config.Parse(with(map[string]string{"TEMPORAL_TLS_CLIENT_KEY_PATH": ""}))
	if err == nil || !strings.Contains(err.Error(), "TEMPORAL_TLS_CLIENT_KEY_PATH") {
		t.Errorf("a certificate without its key: %v", err)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
