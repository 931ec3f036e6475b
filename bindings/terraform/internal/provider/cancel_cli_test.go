package provider_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

const slowConfig = `
terraform {
  required_providers {
    ges = { source = "ges-backups/ges" }
  }
}

variable "endpoint" { type = string }

provider "ges" {
  endpoint        = var.endpoint
  project_id      = "demo-project"
  page_size       = 100
  max_concurrency = 1
}

data "ges_backups" "all" {}

output "count" {
  value = length(data.ges_backups.all.backups)
}
`

// Ctrl-C (SIGINT) during a plan stops the library's listing: the CLI exits
// soon after, and the emulator sees no request start afterwards. The
// listing would take 40 requests of 2 s each.
func TestCLICancel(t *testing.T) {
	for _, rc := range releaseCLIs() {
		t.Run(rc.name, func(t *testing.T) {
			rc.require(t)
			e := emulatortest.Start(t, "--auth-token", testToken, "--backups", "4000", "--latency-ms", "2000")
			c := newDevCLI(t, rc.path)
			must(t, os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(slowConfig), 0o600))

			cmd := exec.Command(c.path, "plan", "-input=false", "-no-color")
			cmd.Dir = c.dir
			cmd.Env = append(c.env, "TF_VAR_endpoint="+e.URL)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			must(t, cmd.Start())
			// Wait for the listing to be under way; a plan that never starts
			// it fails the test.
			deadline := time.Now().Add(30 * time.Second)
			for e.Requests(t) < 2 {
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					t.Fatalf("the listing had not started after 30 s (%d requests):\n%s", e.Requests(t), out.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
			must(t, cmd.Process.Signal(syscall.SIGINT))
			interrupted := time.Now()
			err := cmd.Wait()
			took := time.Since(interrupted)
			if err == nil {
				t.Fatalf("the interrupted plan succeeded:\n%s", out.String())
			}
			atExit := e.Requests(t)
			time.Sleep(2500 * time.Millisecond)
			after := e.Requests(t)
			t.Logf("%s exited %v after SIGINT (%v); requests: %d at exit, %d 2.5 s later\n%s", rc.name, took.Round(time.Millisecond), err, atExit, after, out.String()[max(0, len(out.String())-300):])
			if took > 4*time.Second {
				t.Errorf("the CLI took %v to exit after SIGINT", took)
			}
			if after > atExit {
				t.Errorf("the library kept listing after the cancel: %d requests, then %d", atExit, after)
			}
			if atExit >= 40 {
				t.Errorf("the listing ran to its end (%d requests)", atExit)
			}
			if !strings.Contains(out.String(), "Listing GES backups failed: cancelled") {
				t.Errorf("the CLI does not report the read as cancelled")
			}
			if strings.Contains(out.String(), testToken) {
				t.Error("the CLI output shows the token")
			}
		})
	}
}
