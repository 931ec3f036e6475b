// Command terraform-provider-ges is the Terraform/OpenTofu provider "ges": the
// ges_backups data source over the ges-backups library, plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ges-backups/ges-backups/bindings/terraform/internal/provider"
)

// version is set at build time: go build -ldflags "-X main.version=0.1.0".
var version = "dev"

func main() {
	debug := flag.Bool("debug", false, "run the provider for a debugger: print TF_REATTACH_PROVIDERS and wait")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: provider.Address,
		Debug:   *debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
