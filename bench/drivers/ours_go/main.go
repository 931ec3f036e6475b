// Contender "gesbackups (Go)": the package in bindings/go, the Rust library
// statically linked in.
//
//	ours_go URL PROJECT AK SK [warmup]
//
// Prints the same JSON object as every driver (see bench/README.md).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
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
		fmt.Fprintln(os.Stderr, "usage: ours_go URL PROJECT AK SK [warmup]")
		os.Exit(2)
	}
	url, project, ak, sk := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	if len(os.Args) > 5 && os.Args[5] == "warmup" {
		warm := newClient(url, project, ak, sk)
		listAll(warm)
		warm.Close()
	}
	client := newClient(url, project, ak, sk)
	defer client.Close()
	report(func() int { return listAll(client) })
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
