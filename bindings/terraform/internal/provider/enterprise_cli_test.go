package provider_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The access key and secret of examples/enterprise (cloud.json trusts the
// key), and the ID token its identity provider "ci" takes.
const (
	demoAccessKey = "DEMOACCESSKEY"
	demoSecretKey = "demo-secret-key"
	demoIDToken   = "demo-id-token"
)

// applyEnterpriseExample applies examples/enterprise/main.tf (an assume_role
// chain, and assume_role_with_oidc with an agency) in c's working
// directory, whose provider is installed already, against an emulator
// configured by examples/enterprise/cloud.json; both providers list the
// samples, IAM and STS see each exchange once, and the CLI shows no secret.
func applyEnterpriseExample(t *testing.T, c *cli) {
	t.Helper()
	example := filepath.Join("..", "..", "examples", "enterprise")
	e := emulatortest.Start(t, "--access-key", demoAccessKey, "--secret-key", demoSecretKey, "--cloud-config", filepath.Join(example, "cloud.json"))
	tokenFile := filepath.Join(t.TempDir(), "id-token")
	must(t, os.WriteFile(tokenFile, []byte(demoIDToken), 0o600))
	copyFile(t, filepath.Join(example, "main.tf"), filepath.Join(c.dir, "main.tf"), 0o600)
	run := *c
	run.env = append(slices.Clone(c.env), "TF_VAR_secret_key="+demoSecretKey)
	stdout, stderr, err := run.run(t, "apply", "-auto-approve", "-input=false", "-no-color",
		"-var", "endpoint="+e.URL, "-var", "access_key="+demoAccessKey, "-var", "id_token_file="+tokenFile)
	if err != nil {
		t.Fatalf("apply of examples/enterprise: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	for _, secret := range []string{demoSecretKey, demoIDToken} {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("the CLI output shows the secret %q", secret)
		}
	}
	out, _, err := run.run(t, "output", "-json")
	must(t, err)
	var outputs map[string]struct {
		Value []string `json:"value"`
	}
	must(t, json.Unmarshal([]byte(out), &outputs))
	want := []string{sampleAuto, sampleManual2, sampleManual1}
	for _, name := range []string{"by_agency", "by_oidc"} {
		if got := outputs[name].Value; !slices.Equal(got, want) {
			t.Errorf("output %s = %v, want %v", name, got, want)
		}
	}
	counts := e.CloudCounters(t)
	for name, want := range map[string]int64{"assume_role_requests": 2, "id_token_requests": 1, "token_credential_requests": 1, "sts_assume_requests": 1} {
		if counts[name] != want {
			t.Errorf("%s = %d, want %d (all: %v)", name, counts[name], want, counts)
		}
	}
}

const echoConfig = `
terraform {
  required_providers {
    ges = { source = "ges-backups/ges" }
  }
}

variable "endpoint" { type = string }

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "security_token" {
  type      = string
  sensitive = true
}

variable "auth_token" {
  type      = string
  sensitive = true
}

variable "password" {
  type      = string
  sensitive = true
}

variable "id_token" {
  type      = string
  sensitive = true
}

provider "ges" {
  alias          = "keys"
  endpoint       = var.endpoint
  project_id     = "demo-project"
  user_agent     = "echo-test-keys"
  max_retries    = 1
  access_key     = "` + rootAK + `"
  secret_key     = var.secret_key
  security_token = var.security_token
}

provider "ges" {
  alias       = "token"
  endpoint    = var.endpoint
  project_id  = "demo-project"
  user_agent  = "echo-test-token"
  max_retries = 1
  auth_token  = var.auth_token
}

provider "ges" {
  alias        = "password"
  endpoint     = var.endpoint
  iam_endpoint = var.endpoint
  project_id   = "demo-project"
  user_agent   = "echo-test-password"
  max_retries  = 1
  user_name    = "alice"
  password     = var.password
  domain_name  = "acme"
}

provider "ges" {
  alias        = "oidc"
  endpoint     = var.endpoint
  iam_endpoint = var.endpoint
  project_id   = "demo-project"
  user_agent   = "echo-test-oidc"
  max_retries  = 1

  assume_role_with_oidc {
    idp_id      = "ci"
    id_token    = var.id_token
    agency_name = "deployer"
    domain_id   = "d-acme"
  }
}

data "ges_backups" "keys" {
  provider = ges.keys
}

data "ges_backups" "token" {
  provider = ges.token
}

data "ges_backups" "password" {
  provider = ges.password
}

data "ges_backups" "oidc" {
  provider = ges.oidc
}
`

// signatureValue is a signature's value after "Signature=", as it would
// leak: hex of a MAC or DER.
var signatureValue = regexp.MustCompile(`Signature=[0-9a-fA-F]{8}`)

// A TF_LOG=DEBUG plan against a gateway that echoes every request header
// back (the emulator's echo fault, a 503 whose message quotes them) logs
// the library's request, retry and error lines for each of four providers
// (AK/SK with a security token, an IAM token, a password, OIDC with an
// agency), and neither the log nor the CLI's output holds a secret: the
// secret key, the tokens, the password, the ID token, a signature, nor the
// IAM token or temporary credentials the provider obtained.
func TestCLIDebugLogsOfAnEchoingGateway(t *testing.T) {
	const securityToken, password = "security-token-echo-not-real", "alice-password-not-a-real-one"
	e := cloudEmulator(t, "--auth-token", testToken)
	for _, rc := range releaseCLIs() {
		t.Run(rc.name, func(t *testing.T) {
			rc.require(t)
			e.Control(t, "DELETE", "faults", nil, nil)
			e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "echo", "status": 503, "retry_after": 0}})
			c := newDevCLI(t, rc.path)
			must(t, os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(echoConfig), 0o600))
			logPath := filepath.Join(c.dir, "tf.log")
			c.env = append(c.env, "TF_LOG=DEBUG", "TF_LOG_PATH="+logPath, "TF_VAR_endpoint="+e.URL,
				"TF_VAR_secret_key="+rootSK, "TF_VAR_security_token="+securityToken, "TF_VAR_auth_token="+testToken,
				"TF_VAR_password="+password, "TF_VAR_id_token="+idToken)
			stdout, stderr, err := c.run(t, "plan", "-input=false", "-no-color")
			if err == nil {
				t.Fatalf("plan succeeded against a gateway that answers 503:\n%s", stdout)
			}
			logBytes, err := os.ReadFile(logPath)
			must(t, err)
			text := string(logBytes) + stdout + stderr
			for _, agent := range []string{"keys", "token", "password", "oidc"} {
				echoes := 0
				for _, line := range strings.Split(string(logBytes), "\n") {
					if strings.Contains(line, "provider.terraform-provider-ges") && strings.Contains(line, "gateway echo of GET") &&
						strings.Contains(line, "user-agent: echo-test-"+agent) {
						echoes++
					}
				}
				// A retry (WARN) and the error (ERROR) quote the echo.
				if echoes < 2 {
					t.Errorf("%d provider log lines quote the echo of the %s provider's requests: the test proves nothing for it", echoes, agent)
				}
			}
			for _, secret := range []string{rootSK, securityToken, testToken, password, idToken} {
				if strings.Contains(text, secret) {
					t.Errorf("the debug log or the CLI output holds the secret %q", secret)
				}
			}
			if m := signatureValue.FindString(text); m != "" {
				t.Errorf("the debug log or the CLI output holds a signature: %q", m)
			}
			for _, header := range []string{"x-security-token: ", "x-auth-token: "} {
				for _, quoted := range strings.Split(text, header)[1:] {
					if !strings.HasPrefix(quoted, "***") {
						t.Errorf("the debug log or the CLI output shows %s%.40s", header, quoted)
					}
				}
			}
			t.Logf("%d bytes of log; %d lines quote an echo", len(logBytes), strings.Count(string(logBytes), "gateway echo of GET"))
		})
	}
}
