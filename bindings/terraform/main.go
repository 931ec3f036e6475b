// Command terraform-provider-ges is the Terraform/OpenTofu provider "ges": the
// ges_backups data source over the ges-backups library, plugin protocol 6.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ges-backups/ges-backups/bindings/terraform/internal/provider"
)

// version is the project's version, set at build time by dist.sh and
// install_provider.sh from the root Cargo.toml: -ldflags "-X main.version=0.2.0".
var version = "dev"

func main() {
	debug := flag.Bool("debug", false, "run the provider for a debugger: print TF_REATTACH_PROVIDERS and wait")
	printVersion := flag.Bool("version", false, "print the provider's version and exit")
	flag.Parse()
	if *printVersion {
		fmt.Println(version)
		return
	}

	var opts []tf6server.ServeOpt
	if *debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	newServer := provider.NewServer(version)
	err := tf6server.Serve(provider.Address, func() tfprotov6.ProviderServer {
		s, err := newServer()
		if err != nil {
			log.Fatal(err)
		}
		return s
	}, opts...)
	if err != nil {
		log.Fatal(err)
	}
}
