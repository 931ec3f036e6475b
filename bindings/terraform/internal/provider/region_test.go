package provider_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// A data source in the provider's own region uses the provider's client; one
// in another region gets a client of its own, without the provider's project
// id (it belongs to the provider's region), and its failures point at region.
func TestDataSourceRegion(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	t.Setenv("HW_PROJECT_ID", "")
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", "")
	p := newProtocol(t)
	extra := map[string]tftypes.Value{"region": str("cn-north-4")}
	libraryHasIAM := slices.ContainsFunc(loadLibSchema(t).Config, func(e libEntry) bool { return e.Name == "iam_endpoint" })
	if libraryHasIAM {
		// Never the real IAM: the emulator stands in for it.
		extra["iam_endpoint"] = str(e.URL)
	}
	p.configureEmulator(t, e, extra)

	state := p.mustRead(t, map[string]tftypes.Value{"region": str("cn-north-4"), "most_recent": boolean(true)})
	if got := backupIDs(t, state); !slices.Equal(got, []string{sampleAuto}) {
		t.Errorf("provider's region: backups %v", got)
	}
	if state["region"] != "cn-north-4" {
		t.Errorf("region in state = %v", state["region"])
	}

	state, diags := p.read(t, map[string]tftypes.Value{"region": str("ap-southeast-1")})
	if !libraryHasIAM {
		// A library before contract 1.1 cannot look the project up.
		d := oneError(t, diags)
		if d.Attribute == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("region").String() {
			t.Errorf("diagnostic at %v, want region: %s", d.Attribute, describe(d))
		}
		if !strings.Contains(d.Detail, "project_id") {
			t.Errorf("the diagnostic does not say the project is missing: %s", describe(d))
		}
		return
	}
	// With contract 1.1 the library looks the project up at the emulator's IAM.
	for _, d := range diags {
		if d.Attribute == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("region").String() {
			t.Errorf("diagnostic not on region: %s", describe(d))
		}
	}
	t.Logf("another region: state %v, diagnostics %d", state != nil, len(diags))
}
