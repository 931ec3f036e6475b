// Contender "gesbackups (Go)": the package in bindings/go, the Rust library
// statically linked in.
//
//	ours_go URL PROJECT AK SK [warmup|serve]
//
// Prints the same JSON object as every driver (see bench/README.md).
package main

import (
	"context"
	"fmt"
	"os"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"

	"ges-backups/bench/gomeasure"
)

func newClient(url, project, ak, sk string) *gesbackups.Client {
	client, err := gesbackups.NewClient(gesbackups.Config{
		Endpoint: url, ProjectID: project, AccessKey: ak, SecretKey: sk,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "NewClient:", err)
		os.Exit(1)
	}
	return client
}

func listAll(client *gesbackups.Client) int {
	list, err := client.ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ListBackups:", err)
		os.Exit(1)
	}
	return len(list.Backups)
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: ours_go URL PROJECT AK SK [warmup|serve]")
		os.Exit(2)
	}
	url, project, ak, sk := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	if len(os.Args) > 5 && os.Args[5] == "serve" {
		client := newClient(url, project, ak, sk)
		defer client.Close()
		gomeasure.Serve(func() int { return listAll(client) })
		return
	}
	if len(os.Args) > 5 && os.Args[5] == "warmup" {
		warm := newClient(url, project, ak, sk)
		listAll(warm)
		warm.Close()
	}
	client := newClient(url, project, ak, sk)
	defer client.Close()
	gomeasure.Report(func() int { return listAll(client) })
}
