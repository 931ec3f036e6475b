package provider_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// A data source in the provider's own region uses the provider's client and
// project; one in another region gets a client of its own, whose project is
// the one IAM gives for that region, never the provider's.
//
// What this does not cover yet: with HW_PROJECT_ID (or
// HUAWEICLOUD_SDK_PROJECT_ID) set, the other region's client takes that
// project instead of looking its own up, a known bug that needs a library
// change. The test clears both, so it checks the lookup only.
func TestDataSourceRegion(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	t.Setenv("HW_PROJECT_ID", "")
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", "")
	// IAM (the emulator's) has a project of its own for ap-southeast-1,
	// which the emulator does not serve; other regions get the emulator's.
	e.Control(t, "POST", "cloud/iam", map[string]any{"projects": map[string]any{"ap-southeast-1": []string{"ap-project"}}}, nil)
	iamRequests := func() int64 {
		var stats struct {
			IAMRequests int64 `json:"iam_requests"`
		}
		e.Control(t, "GET", "cloud/stats", nil, &stats)
		return stats.IAMRequests
	}

	p := newProtocol(t)
	p.configureEmulator(t, e, map[string]tftypes.Value{"region": str("cn-north-4"), "iam_endpoint": str(e.URL)})

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

	// ap-southeast-1's project, from IAM, is not the emulator's: the listing
	// goes to it and fails, which the provider's project would not.
	_, diags := p.read(t, map[string]tftypes.Value{"region": str("ap-southeast-1")})
	d := oneError(t, diags)
	if !strings.Contains(d.Detail, "ap-project") || !strings.Contains(d.Detail, "HTTP status: 404") {
		t.Errorf("another region did not list ap-project, IAM's project for it: %s", describe(d))
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
}
