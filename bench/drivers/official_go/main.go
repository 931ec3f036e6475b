// Contender "official Go SDK": huaweicloud-sdk-go-v3 services/ges/v1, a plain
// offset loop as its docs show.
//
//	official_go URL PROJECT AK SK [warmup|serve]
//
// Prints the same JSON object as every driver (see bench/README.md).
package main

import (
	"fmt"
	"os"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	ges "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ges/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ges/v1/model"

	"ges-backups/bench/gomeasure"
)

func newClient(url, project, ak, sk string) *ges.GesClient {
	credentials := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(project).Build()
	return ges.NewGesClient(ges.GesClientBuilder().
		WithEndpoints([]string{url}).
		WithCredential(credentials).
		WithHttpConfig(config.DefaultHttpConfig()).
		Build())
}

func listAll(client *ges.GesClient) []model.Backup {
	var backups []model.Backup
	offset, limit := int32(0), int32(100)
	for {
		answer, err := client.ListBackups(&model.ListBackupsRequest{Offset: &offset, Limit: &limit})
		if err != nil {
			fmt.Fprintln(os.Stderr, "ListBackups:", err)
			os.Exit(1)
		}
		if answer.BackupList != nil {
			backups = append(backups, *answer.BackupList...)
		}
		offset += limit
		if answer.BackupCount == nil || offset >= *answer.BackupCount {
			return backups
		}
	}
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: official_go URL PROJECT AK SK [warmup|serve]")
		os.Exit(2)
	}
	url, project, ak, sk := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	if len(os.Args) > 5 && os.Args[5] == "serve" {
		client := newClient(url, project, ak, sk)
		gomeasure.Serve(func() int { return len(listAll(client)) })
		return
	}
	if len(os.Args) > 5 && os.Args[5] == "warmup" {
		listAll(newClient(url, project, ak, sk))
	}
	client := newClient(url, project, ak, sk)
	gomeasure.Report(func() int { return len(listAll(client)) })
}
