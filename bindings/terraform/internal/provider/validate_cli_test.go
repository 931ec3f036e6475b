package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI validates a data source only once its provider's configuration
// is valid, and either only when used, so the provider's mistakes and the data source's are two
// configurations. Each has one mistake per line, listed in wantInvalid:
// the attribute and a part of the expected message.
const requiredProviders = `
terraform {
  required_providers {
    ges = { source = "ges-backups/ges" }
  }
}
`

const invalidProvider = `provider "ges" {
  page_size          = 10.5
  max_concurrency    = 65
  max_retries        = 11
  timeout_ms         = 0
  api_version        = "v3"
  endpoint           = "ges.example.com"
  connect_timeout_ms = 2.5
}

# The CLI validates a provider's configuration only when something uses it.
data "ges_backups" "all" {}

output "id" {
  value = data.ges_backups.all.id
}
` + requiredProviders

const invalidDataSource = `data "ges_backups" "typos" {
  status        = "SUCCESS"
  backup_method = "weird"
  name          = ""
  region        = "CN-North-4"
  timeouts {
    read = "0s"
  }
}

# Without a reference the CLI may leave the data source out of validation.
output "id" {
  value = data.ges_backups.typos.id
}
` + requiredProviders

var wantInvalid = map[string]map[int][2]string{
	invalidProvider: {
		2: {"page_size", "page_size must be a whole number from 1 to 1000, got 10.5"},
		3: {"max_concurrency", "from 1 to 64, got 65"},
		4: {"max_retries", "from 0 to 10, got 11"},
		5: {"timeout_ms", "from 1 to 3600000, got 0"},
		6: {"api_version", "must be one of v1.0, v2"},
		7: {"endpoint", "must be an http:// or https:// URL"},
		8: {"connect_timeout_ms", "got 2.5"},
	},
	invalidDataSource: {
		2: {"status", "must be one of backing_up, success, failed"},
		3: {"backup_method", "must be one of auto, manual"},
		4: {"name", "must not be empty"},
		5: {"region", "must be a region name"},
		7: {"timeouts.read", "must be a positive duration"},
	},
}

// corrected is the two configurations with every mistake fixed.
var corrected = strings.NewReplacer("10.5", "1000", "= 65", "= 64", "= 11", "= 10", "= 0", "= 1", `"v3"`, `"v2"`,
	`"ges.example.com"`, `"http://127.0.0.1:1"`, "2.5", "3", `"SUCCESS"`, `"success"`, `"weird"`, `"manual"`,
	`""`, `"x"`, `"CN-North-4"`, `"eu-west-101"`, `"0s"`, `"90s"`)

type validateOutput struct {
	Valid       bool `json:"valid"`
	Diagnostics []struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
		Range    *struct {
			Start struct {
				Line int `json:"line"`
			} `json:"start"`
		} `json:"range"`
	} `json:"diagnostics"`
}

// `validate` of a real CLI (Terraform and OpenTofu, the provider installed
// by dev_overrides) reports each mistake once, on its line, with our
// message, before any credential or network is needed; a valid
// configuration validates.
func TestCLIValidate(t *testing.T) {
	for _, rc := range releaseCLIs() {
		t.Run(rc.name, func(t *testing.T) {
			rc.require(t)
			c := newDevCLI(t, rc.path)
			for config, want := range wantInvalid {
				assertValidateDiagnostics(t, c, config, want)
				fixed := corrected.Replace(config)
				must(t, os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(fixed), 0o600))
				if stdout, stderr, err := c.run(t, "validate", "-json", "-no-color"); err != nil {
					t.Fatalf("validate of the corrected configuration: %v\n%s\n%s\n%s", err, fixed, stdout, stderr)
				}
			}
		})
	}
}

// assertValidateDiagnostics runs validate on config and checks that its
// errors are exactly want's, each on its line.
func assertValidateDiagnostics(t *testing.T, c *cli, config string, want map[int][2]string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(config), 0o600))
	stdout, stderr, err := c.run(t, "validate", "-json", "-no-color")
	if err == nil {
		t.Fatalf("validate accepted the invalid configuration:\n%s", stdout)
	}
	var out validateOutput
	if jerr := json.Unmarshal([]byte(stdout), &out); jerr != nil {
		t.Fatalf("validate -json: %v\nstdout:\n%s\nstderr:\n%s", jerr, stdout, stderr)
	}
	seen := map[int]bool{}
	for _, d := range out.Diagnostics {
		text := d.Summary + " " + d.Detail
		if d.Severity != "error" {
			continue // the CLI's warning that dev_overrides are in effect
		}
		if d.Range == nil {
			t.Errorf("diagnostic without a place: %s", text)
			continue
		}
		line := d.Range.Start.Line
		w, ok := want[line]
		if !ok || seen[line] {
			t.Errorf("unexpected diagnostic on line %d: %s", line, text)
			continue
		}
		seen[line] = true
		if !strings.Contains(text, w[0]) || !strings.Contains(text, w[1]) {
			t.Errorf("line %d: %q lacks %q and %q", line, text, w[0], w[1])
		}
		if strings.Contains(text, "big.Float") || strings.Contains(text, "%!") || strings.Contains(text, "weird") || strings.Contains(text, "SUCCESS") {
			t.Errorf("line %d: internal message or echoed value: %s", line, text)
		}
	}
	for line, w := range want {
		if !seen[line] {
			t.Errorf("no diagnostic for %s on line %d", w[0], line)
		}
	}
}

// newDevCLI is a working directory for the CLI at path with the provider of
// this checkout installed by dev_overrides.
func newDevCLI(t *testing.T, path string) *cli {
	t.Helper()
	pluginDir := buildProvider(t)
	work := t.TempDir()
	rc := filepath.Join(work, "dev.tfrc")
	must(t, os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "ges-backups/ges", pluginDir)), 0o600))
	return &cli{path: path, dir: work, env: cliEnv("TF_CLI_CONFIG_FILE="+rc, "TF_DATA_DIR="+filepath.Join(work, ".terraform"))}
}
