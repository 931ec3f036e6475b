package provider

import (
	"context"
	"syscall"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The provider's own share of a read, without the listing: the state of
// 5,000 backups (the emulator's --backups data) from the library's result.
//
//	go test ./internal/provider -run '^$' -bench EncodeState -count 10
func BenchmarkEncodeState5000(b *testing.B) {
	e := emulatortest.Start(b, "--auth-token", "bench-token", "--backups", "5000")
	c, err := gesbackups.NewClient(gesbackups.Config{Endpoint: e.URL, ProjectID: "demo-project", AuthToken: "bench-token"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	list, err := c.ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		b.Fatal(err)
	}
	args := map[string]tftypes.Value{}
	for name, typ := range backupsType().AttributeTypes {
		args[name] = tftypes.NewValue(typ, nil)
	}
	b.ResetTimer()
	var start syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &start)
	for i := 0; i < b.N; i++ {
		if _, err := encodeBackupsState(args, list); err != nil {
			b.Fatal(err)
		}
	}
	var end syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &end)
	cpu := end.Utime.Nano() + end.Stime.Nano() - start.Utime.Nano() - start.Stime.Nano()
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}
