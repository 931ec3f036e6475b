package emulatortest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// list sends one list request for project p to e and returns its status.
func list(t *testing.T, e *emulatortest.Emulator) int {
	t.Helper()
	resp, err := http.Get(e.URL + "/v1.0/p/graphs/backups")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestEmulator drives one emulator through Start, Fault, Requests, Control
// and String.
func TestEmulator(t *testing.T) {
	e := emulatortest.Start(t, "--project-id", "p")
	if !strings.HasPrefix(e.URL, "http://127.0.0.1:") || e.String() != "emulator at "+e.URL {
		t.Fatalf("URL %q, String %q", e.URL, e)
	}
	e.Fault(t, map[string]any{"times": 1, "action": map[string]any{"type": "status", "status": 503}})
	if got := list(t, e); got != http.StatusServiceUnavailable {
		t.Fatalf("with a 503 fault: HTTP %d", got)
	}
	if got := list(t, e); got != http.StatusOK {
		t.Fatalf("after the fault: HTTP %d", got)
	}
	if n := e.Requests(t); n != 2 {
		t.Fatalf("Requests = %d, want 2", n)
	}
	var stats struct {
		BackupCount int `json:"backupCount"`
	}
	e.Control(t, http.MethodPost, "reset", nil, nil)
	e.Control(t, http.MethodGet, "stats", nil, &stats)
	if n := e.Requests(t); n != 0 || stats.BackupCount != 3 {
		t.Fatalf("after reset: Requests = %d, backupCount = %d; want 0 and the 3 sample backups", n, stats.BackupCount)
	}
}

// CloudCounters reads the counters of IAM's calls: a project lookup counts.
func TestCloudCounters(t *testing.T) {
	e := emulatortest.Start(t)
	if n := e.CloudCounters(t)["iam_requests"]; n != 0 {
		t.Fatalf("iam_requests = %d at the start", n)
	}
	resp, err := http.Get(e.URL + "/v3/projects?name=cn-north-4")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := e.CloudCounters(t)
	if got["iam_requests"] != 1 || len(got) < 5 {
		t.Fatalf("after one lookup: %v", got)
	}
}
