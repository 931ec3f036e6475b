// Package gomeasure measures the Go drivers' listings the way every driver of
// bench/ measures (bench/README.md): both Go drivers import it.
package gomeasure

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Report measures one listing: wall, process CPU, RSS before, peak RSS.
func Report(list func() int) {
	rssBefore := rssKiB()
	cpu0, start := processCPU(), time.Now()
	count := list()
	wall := time.Since(start).Seconds()
	cpu1 := processCPU()
	emit(map[string]any{
		"count":          count,
		"wall_s":         wall,
		"cpu_s":          cpu1 - cpu0,
		"rss_before_kib": rssBefore,
		"peak_rss_kib":   peakRSSKiB(),
	})
}

// Serve is W1 in one process (bench/README.md): list lists everything once
// on the driver's one client; each "list" line on stdin runs it and prints
// the listing's count, wall time and the process's CPU clock (every thread)
// at its start and end. "end" or EOF prints the CPU clock and the peak RSS.
// Work the runtime does after a listing returns (the concurrent garbage
// collector) shows up in the next start's clock: the harness charges it.
func Serve(list func() int) {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() && in.Text() == "list" {
		cpu0, wall0 := processCPU(), time.Now()
		count := list()
		wall, cpu1 := time.Since(wall0).Seconds(), processCPU()
		emit(map[string]any{"count": count, "wall_s": wall, "cpu_start_s": cpu0, "cpu_end_s": cpu1})
	}
	emit(map[string]any{"cpu_s": processCPU(), "peak_rss_kib": peakRSSKiB()})
}

func processCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func peakRSSKiB() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss
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

func emit(v map[string]any) {
	out, _ := json.Marshal(v)
	fmt.Println(string(out))
}
