package provider_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

const timeoutConfig = `
terraform {
  required_providers {
    ges = { source = "ges-backups/ges" }
  }
}

variable "endpoint" { type = string }

provider "ges" {
  endpoint   = var.endpoint
  project_id = "demo-project"
}

data "ges_backups" "slow" {
  timeouts {
    read = "2s"
  }
}

output "count" {
  value = length(data.ges_backups.slow.backups)
}
`

// With both CLIs, timeouts { read = "2s" } ends a listing that would take
// 4 s: the plan fails with the provider's diagnostic on the read line.
func TestCLIReadTimeout(t *testing.T) {
	for _, rc := range releaseCLIs() {
		t.Run(rc.name, func(t *testing.T) {
			rc.require(t)
			e := emulatortest.Start(t, "--auth-token", testToken, "--latency-ms", "4000")
			c := newDevCLI(t, rc.path)
			must(t, os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(timeoutConfig), 0o600))
			c.env = append(c.env, "TF_VAR_endpoint="+e.URL)
			start := time.Now()
			stdout, stderr, err := c.run(t, "plan", "-input=false", "-no-color")
			took := time.Since(start)
			if err == nil {
				t.Fatalf("the plan succeeded:\n%s", stdout)
			}
			for _, part := range []string{
				"Error: Listing GES backups failed: timed out",
				`timeouts.read = "2s"`,
				`with data.ges_backups.slow`,
				`read = "2s"`, // the source line of the attribute
			} {
				if !strings.Contains(stderr, part) {
					t.Errorf("stderr lacks %q:\n%s", part, stderr)
				}
			}
			if took < 2*time.Second {
				t.Errorf("the plan ended after %v, before the read's budget", took)
			}
		})
	}
}
