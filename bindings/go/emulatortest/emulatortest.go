// Package emulatortest runs a ges-emulator, the GES-compatible test server of
// this repository, for the length of one test, as net/http/httptest runs an
// HTTP server.
//
// The emulator binary is the one named by the GES_EMULATOR environment
// variable, else the nearest target/release/ges-emulator in the working
// directory or one above it (go test runs a test in its package's directory),
// as built by `cargo build --release` at the repository root.
//
//	e := emulatortest.Start(t, "--auth-token", "t")
//	e.Fault(t, map[string]any{"times": 1, "action": map[string]any{"type": "drop"}})
//	// ... point a client at e.URL ...
//	if n := e.Requests(t); n != 2 { ... }
//
// The package needs no cgo: it does not link the ges-backups library.
package emulatortest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Emulator is a running ges-emulator listening on a free port of 127.0.0.1.
type Emulator struct {
	// URL is the emulator's base URL, as it printed it: http://127.0.0.1:PORT.
	URL string

	cmd    *exec.Cmd
	stderr lockedBuffer
}

// Start starts an emulator on a free port of 127.0.0.1 with args added to its
// command line (see the emulator's README), waits until it prints its URL,
// and stops it when the test and its subtests end. When the test failed, the
// emulator's stderr goes to the test log.
func Start(t testing.TB, args ...string) *Emulator {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	e := &Emulator{cmd: exec.Command(bin, append([]string{"--listen", "127.0.0.1:0"}, args...)...)}
	e.cmd.Stderr = &e.stderr
	stdout, err := e.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.stop()
		if t.Failed() {
			t.Logf("%s stderr:\n%s", e, e.stderr.String())
		}
	})

	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		if !strings.HasPrefix(line, "http") {
			t.Fatalf("ges-emulator printed %q, not its base URL", line)
		}
		e.URL = line
	case <-time.After(20 * time.Second):
		t.Fatal("ges-emulator did not print its base URL within 20s")
	}
	return e
}

// binary is the emulator's absolute path: GES_EMULATOR, else the nearest
// target/release/ges-emulator in the working directory or above.
func binary() (string, error) {
	if p := os.Getenv("GES_EMULATOR"); p != "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(abs); err != nil {
			return "", fmt.Errorf("ges-emulator not found at GES_EMULATOR=%s: %w", p, err)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "target", "release", "ges-emulator")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("ges-emulator not found in target/release of " + wd +
				" or a directory above it (set GES_EMULATOR, or run `cargo build --release` at the repository root)")
		}
	}
}

// stop interrupts the emulator and waits for it, killing it after 5s.
func (e *Emulator) stop() {
	_ = e.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}

// Control calls the emulator's control API: method on /__emulator/ + path,
// with body, when not nil, as JSON. It decodes a JSON answer into out, when
// out is not nil, and fails the test on an error or a status other than 2xx.
func (e *Emulator) Control(t testing.TB, method, path string, body, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+"/__emulator/"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s /__emulator/%s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s /__emulator/%s: %v: %s", method, path, err, data)
		}
	}
}

// Fault appends one fault to the emulator's queue (POST /__emulator/faults),
// e.g. {"times": 2, "action": {"type": "status", "status": 503}}.
func (e *Emulator) Fault(t testing.TB, fault map[string]any) {
	t.Helper()
	e.Control(t, http.MethodPost, "faults", fault, nil)
}

// Requests is the number of list requests the emulator has received, whatever
// their answer (GET /__emulator/stats).
func (e *Emulator) Requests(t testing.TB) int64 {
	t.Helper()
	var stats struct {
		Requests int64 `json:"requests"`
	}
	e.Control(t, http.MethodGet, "stats", nil, &stats)
	return stats.Requests
}

// CloudCounters is the counters of the services around GES that the
// emulator serves (GET /__emulator/cloud/stats), by name: "iam_requests"
// (project lookups), "assume_role_requests", "sts_assume_requests",
// "id_token_requests", "token_credential_requests",
// "password_token_requests", ... (see the emulator's README). Configure
// those services with Control, e.g. POST "cloud/iam".
func (e *Emulator) CloudCounters(t testing.TB) map[string]int64 {
	t.Helper()
	var stats map[string]json.RawMessage
	e.Control(t, http.MethodGet, "cloud/stats", nil, &stats)
	out := map[string]int64{}
	for name, raw := range stats {
		var n int64
		if json.Unmarshal(raw, &n) == nil {
			out[name] = n
		}
	}
	return out
}

// String describes the emulator for test logs: "emulator at URL".
func (e *Emulator) String() string { return fmt.Sprintf("emulator at %s", e.URL) }

// lockedBuffer collects the emulator's stderr.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
