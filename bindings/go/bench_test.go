//go:build unix

package gesbackups_test

import (
	"context"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// BenchmarkListBackups10k is bench/'s W1 as a Go benchmark: list 10,000
// backups in pages of 100 from a local emulator, signing with AK/SK.
// cpu-ms/op is the whole process's CPU time (every thread, the library's
// too); the emulator runs in a process of its own.
//
//	go test -run '^$' -bench ListBackups10k -benchmem -count 10
func BenchmarkListBackups10k(b *testing.B) {
	const ak, sk = "BENCHAK", "bench-sk-not-a-real-secret"
	e := emulatortest.Start(b, "--backups", "10000", "--access-key", ak, "--secret-key", sk)
	c := newClient(b, gesbackups.Config{Endpoint: e.URL, ProjectID: testProject, AccessKey: ak, SecretKey: sk})
	list := func() {
		l, err := c.ListBackups(context.Background(), gesbackups.Query{})
		if err != nil {
			b.Fatal(err)
		}
		if len(l.Backups) != 10000 {
			b.Fatalf("got %d backups", len(l.Backups))
		}
	}
	list() // warm: connections, lazy initialisation
	b.ReportAllocs()
	start := gesbackups.ProcessCPU()
	for b.Loop() {
		list()
	}
	gesbackups.ReportCPU(b, start)
}
