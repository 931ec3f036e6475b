package provider_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// A data source in the provider's own region uses the provider's client and
// project; one in another region gets a client of its own, whose project is
// the one IAM gives for that region, never the provider's: not its
// project_id attribute, nor HW_PROJECT_ID, nor a profile's projectId, each
// of which belongs to the provider's region (as in
// terraform-provider-huaweicloud). Each case sets HW_PROJECT_ID, or a
// profile, to a project the other region must not use.
func TestDataSourceRegion(t *testing.T) {
	const accessKey, secretKey = "REGIONTESTAK", "region-test-secret-key-not-a-real-one"
	profile := filepath.Join(t.TempDir(), "config.json")
	must(t, os.WriteFile(profile, []byte(`{"current": "dev", "profiles": [{"name": "dev", "mode": "AKSK",
  "accessKeyId": "`+accessKey+`", "secretAccessKey": "`+secretKey+`", "region": "cn-north-4", "projectId": "`+testProject+`"}]}`), 0o600))

	for _, c := range []struct {
		name       string
		envProject string // HW_PROJECT_ID
		provider   map[string]tftypes.Value
	}{
		// HW_PROJECT_ID names a project the emulator does not serve: the
		// attribute wins for the provider's region, and neither may reach
		// another region.
		{"project_id attribute", "env-project", map[string]tftypes.Value{"project_id": str(testProject), "auth_token": str(testToken)}},
		{"HW_PROJECT_ID", testProject, map[string]tftypes.Value{"auth_token": str(testToken)}},
		{"profile", "", map[string]tftypes.Value{"shared_config_file": str(profile)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("HW_PROJECT_ID", c.envProject)
			t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", "")
			e := emulatortest.Start(t, "--auth-token", testToken, "--access-key", accessKey, "--secret-key", secretKey)
			// IAM (the emulator's) has a project of its own for
			// ap-southeast-1, which the emulator does not serve; other
			// regions get the emulator's.
			e.Control(t, "POST", "cloud/iam", map[string]any{"projects": map[string]any{"ap-southeast-1": []string{"ap-project"}}}, nil)
			iamRequests := func() int64 { return e.CloudCounters(t)["iam_requests"] }

			p := newProtocol(t)
			attrs := map[string]tftypes.Value{"endpoint": str(e.URL), "region": str("cn-north-4"), "iam_endpoint": str(e.URL)}
			for k, v := range c.provider {
				attrs[k] = v
			}
			noDiagnostics(t, "ConfigureProvider", p.configure(t, attrs))

			state := p.mustRead(t, map[string]tftypes.Value{"region": str("cn-north-4"), "most_recent": boolean(true)})
			if got := backupIDs(t, state); !slices.Equal(got, []string{sampleAuto}) {
				t.Errorf("provider's region: backups %v", got)
			}
			if state["region"] != "cn-north-4" {
				t.Errorf("region in state = %v", state["region"])
			}
			if n := iamRequests(); n != 0 {
				t.Errorf("the provider's region asked IAM %d times; its project is given", n)
			}

			// ap-southeast-1's project, from IAM, is not the emulator's:
			// the listing goes to its path and fails, which the provider's
			// project would not.
			_, diags := p.read(t, map[string]tftypes.Value{"region": str("ap-southeast-1")})
			d := oneError(t, diags)
			if !strings.Contains(d.Detail, "project ap-project not found") || !strings.Contains(d.Detail, "HTTP status: 404") {
				t.Errorf("another region did not list /v1.0/ap-project/..., IAM's project for it: %s", describe(d))
			}
			if n := iamRequests(); n != 1 {
				t.Errorf("IAM asked %d times, want once for ap-southeast-1", n)
			}

			// eu-west-101's project, from IAM, is the emulator's: the read succeeds.
			state = p.mustRead(t, map[string]tftypes.Value{"region": str("eu-west-101")})
			if got := backupIDs(t, state); len(got) != 3 || state["region"] != "eu-west-101" {
				t.Errorf("eu-west-101: backups %v, region %v", got, state["region"])
			}
			if n := iamRequests(); n != 2 {
				t.Errorf("IAM asked %d times, want twice (once per other region)", n)
			}
			// The client of a region is made once: a second read asks IAM no more.
			p.mustRead(t, map[string]tftypes.Value{"region": str("eu-west-101")})
			if n := iamRequests(); n != 2 {
				t.Errorf("IAM asked %d times after a second read, want 2", n)
			}
		})
	}
}

// project_id = "" looks the provider's own project up in IAM, whatever
// HW_PROJECT_ID says, as the library's description of the key promises.
func TestEmptyProjectIDLooksUp(t *testing.T) {
	t.Setenv("HW_PROJECT_ID", "env-project")
	e := emulatortest.Start(t, "--auth-token", testToken)
	p := newProtocol(t)
	p.configureEmulator(t, e, map[string]tftypes.Value{"project_id": str(""), "region": str("cn-north-4"), "iam_endpoint": str(e.URL)})
	state := p.mustRead(t, map[string]tftypes.Value{})
	if got := backupIDs(t, state); len(got) != 3 {
		t.Errorf("backups %v, want the 3 samples of IAM's project for cn-north-4", got)
	}
	if n := e.CloudCounters(t)["iam_requests"]; n != 1 {
		t.Errorf("IAM asked %d times, want once", n)
	}
}
