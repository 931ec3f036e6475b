package provider_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The provider's own cost of a read against the library's (the target in
// docs/performance.md: ReadDataSource at most 5x the library's listing):
//
//	go test ./internal/provider -run '^$' -bench 'Read|List' -benchtime 20x
//
// Both list the same backups from the same emulator in the same process.
// Besides the wall time, each reports cpu-ns/op, the process's CPU time (the
// library's threads and the garbage collector's included; the emulator is
// another process): on a loaded machine the wall time measures the wait for
// a core as much as the work.
func benchSizes() []int { return []int{1, 5000, 20000} }

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ns/op since start to b's results.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkLibraryListBackups(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := emulatortest.Start(b, "--auth-token", testToken, "--backups", fmt.Sprint(n))
			c, err := gesbackups.NewClient(gesbackups.Config{Endpoint: e.URL, ProjectID: testProject, AuthToken: testToken})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			b.ResetTimer()
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				l, err := c.ListBackups(context.Background(), gesbackups.Query{})
				if err != nil || len(l.Backups) != n {
					b.Fatalf("%v, %d backups", err, len(l.Backups))
				}
			}
			reportCPU(b, cpu)
		})
	}
}

func BenchmarkReadDataSource(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e := emulatortest.Start(b, "--auth-token", testToken, "--backups", fmt.Sprint(n))
			p := newProtocol(b)
			p.configureEmulator(b, e, nil)
			config := dynamicValue(b, p.backups, nil)
			b.ResetTimer()
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "ges_backups", Config: config})
				if err != nil || len(resp.Diagnostics) > 0 || resp.State == nil {
					b.Fatalf("%v %v", err, resp.Diagnostics)
				}
			}
			reportCPU(b, cpu)
			b.StopTimer()
			// Once, outside the timing: the state holds every backup.
			resp, _ := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "ges_backups", Config: config})
			v, err := resp.State.Unmarshal(p.backups)
			if err != nil {
				b.Fatal(err)
			}
			var attrs map[string]tftypes.Value
			must(b, v.As(&attrs))
			var list []tftypes.Value
			must(b, attrs["backups"].As(&list))
			if len(list) != n {
				b.Fatalf("%d backups in the state, want %d", len(list), n)
			}
		})
	}
}
