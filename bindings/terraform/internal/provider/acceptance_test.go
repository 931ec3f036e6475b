package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
	"github.com/ges-backups/ges-backups/bindings/terraform/internal/provider"
)

// The conventional harness: terraform-plugin-testing drives the CLI of
// TF_ACC_TERRAFORM_PATH (with TF_ACC=1) against the provider served in
// process.
func TestAccBackupsDataSource(t *testing.T) {
	cliPath(t)
	// OpenTofu resolves "ges" to registry.opentofu.org/hashicorp/ges; the
	// in-process provider must be attached under that address.
	t.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	e := emulatortest.Start(t, "--auth-token", testToken)
	providerBlock := fmt.Sprintf(`
provider "ges" {
  endpoint   = %q
  project_id = %q
  auth_token = %q
}
`, e.URL, testProject, testToken)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"ges": provider.NewServer("test"),
		},
		Steps: []resource.TestStep{
			{
				Config: providerBlock + `data "ges_backups" "all" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ges_backups.all", tfjsonpath.New("total_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue("data.ges_backups.all", tfjsonpath.New("backups"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.ges_backups.all", tfjsonpath.New("backups").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(sampleAuto)),
					statecheck.ExpectKnownValue("data.ges_backups.all", tfjsonpath.New("backups").AtSliceIndex(0).AtMapKey("encrypted"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.ges_backups.all", tfjsonpath.New("backups").AtSliceIndex(2).AtMapKey("start_timestamp"), knownvalue.Int64Exact(1623160513000)),
				},
			},
			{
				Config: providerBlock + `
data "ges_backups" "one_graph_manual" {
  graph_id      = "` + sampleGraph803 + `"
  backup_method = "manual"
  most_recent   = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ges_backups.one_graph_manual", tfjsonpath.New("total_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("data.ges_backups.one_graph_manual", tfjsonpath.New("backups"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"id":            knownvalue.StringExact(sampleManual1),
							"backup_method": knownvalue.StringExact("manual"),
							"duration":      knownvalue.Int64Exact(54),
						}),
					})),
				},
			},
		},
	})
}
