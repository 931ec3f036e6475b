package gesbackups_test

import (
	"bufio"
	"bytes"
	"encoding/json"
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

// emulator is a running ges-emulator (SPEC 5), the binary from GES_EMULATOR or
// ../../target/release/ges-emulator.
type emulator struct {
	URL string
	cmd *exec.Cmd
}

func emulatorPath(t testing.TB) string {
	p := os.Getenv("GES_EMULATOR")
	if p == "" {
		p = filepath.Join("..", "..", "target", "release", "ges-emulator")
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("ges-emulator not found at %s (set GES_EMULATOR, or run `cargo build --release` at the repository root): %v", abs, err)
	}
	return abs
}

// startEmulator starts an emulator on a free port with args added to the
// command line, and stops it when the test ends.
func startEmulator(t testing.TB, args ...string) *emulator {
	t.Helper()
	cmd := exec.Command(emulatorPath(t), append([]string{"--listen", "127.0.0.1:0"}, args...)...)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e := &emulator{cmd: cmd}
	t.Cleanup(func() {
		e.stop()
		if t.Failed() {
			t.Logf("%s stderr:\n%s", e, stderr.String())
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

func (e *emulator) stop() {
	if e.cmd.Process == nil {
		return
	}
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

// control calls the emulator's control API and decodes a JSON answer into
// out, when out is not nil.
func (e *emulator) control(t testing.TB, method, path string, body, out any) {
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

// fault scripts one fault (SPEC 5 control API).
func (e *emulator) fault(t testing.TB, f map[string]any) {
	t.Helper()
	e.control(t, http.MethodPost, "faults", f, nil)
}

// requests is the number of list requests the emulator has received.
func (e *emulator) requests(t testing.TB) int64 {
	t.Helper()
	var stats struct {
		Requests int64 `json:"requests"`
	}
	e.control(t, http.MethodGet, "stats", nil, &stats)
	return stats.Requests
}

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

func (e *emulator) String() string { return fmt.Sprintf("emulator at %s", e.URL) }
