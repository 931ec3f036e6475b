package provider_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

const logsConfig = `
terraform {
  required_providers {
    ges = { source = "ges-backups/ges" }
  }
}

variable "endpoint" { type = string }

variable "secret" {
  type      = string
  sensitive = true
}

provider "ges" {
  endpoint    = var.endpoint
  project_id  = "demo-project"
  CREDENTIALS
  max_retries = 2
}

data "ges_backups" "all" {}

output "count" {
  value = length(data.ges_backups.all.backups)
}
`

// With TF_LOG=DEBUG the provider's log shows the library's own records (each
// request the library makes, through the Go package's Config.Logger and
// tflog; a retry at WARN) and no line holds a secret: the token or the
// secret key, each given as a sensitive variable.
func TestCLIDebugLogs(t *testing.T) {
	const accessKey, secretKey = "EMULATORACCESSKEY", "emulator-secret-key-not-a-real-one"
	e := emulatortest.Start(t, "--auth-token", testToken, "--access-key", accessKey, "--secret-key", secretKey)
	for _, rc := range releaseCLIs() {
		for _, creds := range []struct{ name, provider, secret string }{
			{"token", "auth_token = var.secret", testToken},
			{"aksk", "access_key = \"" + accessKey + "\"\n  secret_key = var.secret", secretKey},
		} {
			t.Run(rc.name+"/"+creds.name, func(t *testing.T) {
				rc.require(t)
				// One 503 first: the library retries and logs it at WARN.
				e.Fault(t, map[string]any{"times": 1, "action": map[string]any{"type": "status", "status": 503, "retry_after": "0"}})
				c := newDevCLI(t, rc.path)
				config := strings.Replace(logsConfig, "CREDENTIALS", creds.provider, 1)
				must(t, os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(config), 0o600))
				logPath := filepath.Join(c.dir, "tf.log")
				c.env = append(c.env, "HW_AUTH_TOKEN=", "TF_LOG=DEBUG", "TF_LOG_PATH="+logPath, "TF_VAR_secret="+creds.secret, "TF_VAR_endpoint="+e.URL)
				stdout, stderr, err := c.run(t, "plan", "-input=false", "-no-color")
				if err != nil {
					t.Fatalf("plan: %v\n%s\n%s", err, stdout, stderr)
				}
				log, err := os.ReadFile(logPath)
				must(t, err)
				if strings.Contains(string(log)+stdout+stderr, creds.secret) {
					t.Error("the secret appears in the debug log or the CLI output")
				}
				if !strings.Contains(string(log), "listed GES backups") {
					t.Errorf("the provider's own debug lines are missing from the log (%d bytes)", len(log))
				}
				var requests, warnings []string
				for _, line := range strings.Split(string(log), "\n") {
					if !strings.Contains(line, "provider.terraform-provider-ges") {
						continue
					}
					if strings.Contains(line, "[DEBUG]") && strings.Contains(line, "/graphs/backups") {
						requests = append(requests, line)
					}
					if strings.Contains(line, "[WARN]") {
						warnings = append(warnings, line)
					}
				}
				if len(requests) < 2 || len(warnings) == 0 {
					t.Fatalf("want the library's request lines (2: the 503 and its retry) and a retry warning, got %d and %d:\n%s",
						len(requests), len(warnings), strings.Join(append(requests, warnings...), "\n"))
				}
				t.Logf("%d library request lines, e.g. %.200s; warning: %.200s", len(requests), requests[0], warnings[0])
			})
		}
	}
}
