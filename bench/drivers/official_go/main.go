// Contender "official Go SDK": huaweicloud-sdk-go-v3 services/ges/v1, a plain
// offset loop as its docs show.
//
//	official_go URL PROJECT AK SK [warmup]
//
// Prints the same JSON object as every driver (see bench/README.md).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	ges "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ges/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ges/v1/model"
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
		fmt.Fprintln(os.Stderr, "usage: official_go URL PROJECT AK SK [warmup]")
		os.Exit(2)
	}
	url, project, ak, sk := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	if len(os.Args) > 5 && os.Args[5] == "warmup" {
		listAll(newClient(url, project, ak, sk))
	}
	client := newClient(url, project, ak, sk)
	report(func() int { return len(listAll(client)) })
}

// report measures one listing as every driver does: wall, process CPU, RSS before, peak RSS.
func report(list func() int) {
	rssBefore := rssKiB()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	count := list()
	wall := time.Since(start).Seconds()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	out, _ := json.Marshal(map[string]any{
		"count":          count,
		"wall_s":         wall,
		"cpu_s":          cpuSeconds(after) - cpuSeconds(before),
		"rss_before_kib": rssBefore,
		"peak_rss_kib":   after.Maxrss,
	})
	fmt.Println(string(out))
}

func cpuSeconds(r syscall.Rusage) float64 {
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

func rssKiB() int64 {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(statm))
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * 4
}
