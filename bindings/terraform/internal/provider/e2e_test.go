package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// cliPath is the Terraform or OpenTofu binary of the end-to-end tests:
// TF_ACC_TERRAFORM_PATH, as terraform-plugin-testing reads it. run_tests.sh
// builds OpenTofu and sets it.
func cliPath(t *testing.T) string {
	p := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if p == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH is not set; run_tests.sh builds OpenTofu and sets it")
	}
	return p
}

// buildProvider builds terraform-provider-ges into a new directory, or uses
// the binary named by GES_PROVIDER_BIN, and returns the directory.
func buildProvider(t *testing.T) string {
	dir := t.TempDir()
	dst := filepath.Join(dir, "terraform-provider-ges")
	if bin := os.Getenv("GES_PROVIDER_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		must(t, err)
		must(t, os.Symlink(abs, dst))
		return dir
	}
	cmd := exec.Command("go", "build", "-o", dst, ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

type cli struct {
	path, dir string
	env       []string
}

func (c *cli) run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(c.path, args...)
	cmd.Dir = c.dir
	cmd.Env = c.env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	start := time.Now()
	err = cmd.Run()
	t.Logf("%s %s: %v in %v", filepath.Base(c.path), strings.Join(args, " "), err, time.Since(start).Round(time.Millisecond))
	return o.String(), e.String(), err
}

// newCLI prepares a working directory holding the example configuration of
// examples/emulator and a CLI config with dev_overrides for the provider.
func newCLI(t *testing.T, e *emulatortest.Emulator) *cli {
	path := cliPath(t)
	pluginDir := buildProvider(t)
	work := t.TempDir()

	rc := filepath.Join(work, "dev.tfrc")
	must(t, os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "ges-backups/ges" = %q
  }
  direct {}
}
`, pluginDir)), 0o600))
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "emulator", "main.tf"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(work, "main.tf"), example, 0o600))

	env := cliEnv(
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_DATA_DIR="+filepath.Join(work, ".terraform"),
	)
	return &cli{path: path, dir: work, env: env}
}

// cliEnv is the environment of a CLI run: this process's, without any TF_,
// HW_, HUAWEICLOUD_SDK_ or GES_ variable, plus extra, the emulator's token in
// HW_AUTH_TOKEN and no checkpoint calls.
func cliEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "HW_") || strings.HasPrefix(kv, "HUAWEICLOUD_SDK_") || strings.HasPrefix(kv, "GES_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "HW_AUTH_TOKEN="+testToken)
	return append(env, extra...)
}

// A real CLI, with the provider installed by dev_overrides, applies the
// example configuration against the emulator: reads with and without filters.
func TestEndToEndApply(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	c := newCLI(t, e)

	stdout, stderr, err := c.run(t, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "endpoint="+e.URL)
	if err != nil {
		t.Fatalf("apply: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if !strings.Contains(stdout+stderr, "Provider development overrides are in effect") {
		t.Errorf("dev_overrides not in effect?\n%s\n%s", stdout, stderr)
	}
	if strings.Contains(stdout+stderr, testToken) {
		t.Error("the CLI output shows the auth token")
	}

	dsIDs := assertExampleOutputs(t, c)

	// A second apply reads again and gives the same ids: no drift.
	if stdout, stderr, err := c.run(t, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "endpoint="+e.URL); err != nil {
		t.Fatalf("second apply: %v\n%s\n%s", err, stdout, stderr)
	}
	stdout, _, err = c.run(t, "output", "-json", "data_source_ids")
	must(t, err)
	var again []string
	must(t, json.Unmarshal([]byte(stdout), &again))
	if !reflect.DeepEqual(again, dsIDs) {
		t.Errorf("ids changed between applies: %v, %v", dsIDs, again)
	}
}

// assertExampleOutputs checks `output -json` after an apply of
// examples/emulator/main.tf against the emulator's sample data, and returns
// the ids of its three data sources.
func assertExampleOutputs(t *testing.T, c *cli) []string {
	t.Helper()
	stdout, stderr, err := c.run(t, "output", "-json")
	if err != nil {
		t.Fatalf("output: %v\n%s", err, stderr)
	}
	var outputs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	must(t, json.Unmarshal([]byte(stdout), &outputs))
	value := func(name string, into any) {
		t.Helper()
		o, ok := outputs[name]
		if !ok {
			t.Fatalf("no output %q in %s", name, stdout)
		}
		must(t, json.Unmarshal(o.Value, into))
	}

	var allIDs []string
	value("all_ids", &allIDs)
	if want := []string{sampleAuto, sampleManual2, sampleManual1}; !reflect.DeepEqual(allIDs, want) {
		t.Errorf("all_ids = %v, want %v", allIDs, want)
	}
	var total int64
	value("total_count", &total)
	if total != 3 {
		t.Errorf("total_count = %d", total)
	}
	var newest map[string]any
	value("newest", &newest)
	wantNewest := map[string]any{
		"id": sampleAuto, "name": "ges060803_nodelete_20210609203323_auto", "backup_method": "auto",
		"graph_id": sampleGraph803, "graph_name": "ges060803_nodelete", "graph_status": "200",
		"graph_size_type_index": "1", "data_store_version": "2.2.21", "arch": "x86_64", "status": "success",
		"start_timestamp": float64(1623242004000), "start_time": "2021-06-09T12:33:24",
		"end_timestamp": float64(1623242004000), "end_time": "2021-06-09T12:33:24",
		"size": float64(1), "duration": float64(0), "encrypted": nil,
	}
	if !reflect.DeepEqual(newest, wantNewest) {
		t.Errorf("newest\n got %v\nwant %v", newest, wantNewest)
	}
	var latestManual string
	value("latest_manual_name", &latestManual)
	if latestManual != "ges060802_nodelete-20210608135523" {
		t.Errorf("latest_manual_name = %q", latestManual)
	}
	var methods []string
	value("graph_backup_methods", &methods)
	if !reflect.DeepEqual(methods, []string{"auto", "manual"}) {
		t.Errorf("graph_backup_methods = %v", methods)
	}
	var dsIDs []string
	value("data_source_ids", &dsIDs)
	if len(dsIDs) != 3 || dsIDs[0] == dsIDs[1] || dsIDs[1] == dsIDs[2] || dsIDs[0] == dsIDs[2] || dsIDs[0] == "" {
		t.Errorf("data_source_ids = %v, want three different ids", dsIDs)
	}

	return dsIDs
}

// A library error reaches the CLI user as a diagnostic with the kind, HTTP
// status, error code and request id.
func TestEndToEndErrorDiagnostic(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	c := newCLI(t, e)
	stdout, stderr, err := c.run(t, "plan", "-input=false", "-no-color", "-var", "endpoint="+e.URL, "-var", "project_id=no-such-project")
	if err == nil {
		t.Fatalf("plan against an unknown project succeeded:\n%s", stdout)
	}
	for _, part := range []string{"Listing GES backups failed: api error", "Kind: api", "HTTP status: 404", "Error code: GES.", "Request ID: "} {
		if !strings.Contains(stderr, part) {
			t.Errorf("stderr lacks %q:\n%s", part, stderr)
		}
	}
	if strings.Contains(stdout+stderr, testToken) {
		t.Error("the CLI output shows the auth token")
	}
}
