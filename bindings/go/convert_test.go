//go:build unix

package gesbackups

import (
	"syscall"
	"testing"
	"time"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// BenchmarkCopyBackupList10k measures the conversion alone: one C list of
// 10,000 backups (the emulator's --backups data, 4 graphs) converted into Go
// values again and again. cpu-ms/op counts every thread, the garbage
// collector's too.
//
//	go test -run '^$' -bench CopyBackupList10k -benchmem -count 10
func BenchmarkCopyBackupList10k(b *testing.B) {
	e := emulatortest.Start(b, "--auth-token", "t", "--backups", "10000")
	c, err := NewClient(Config{Endpoint: e.URL, ProjectID: "demo-project", AuthToken: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	l, err := listC(c.ptr, []byte("{}"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer freeBackupList(l)
	b.ReportAllocs()
	start := ProcessCPU()
	for b.Loop() {
		if got := copyBackupList(l); len(got.Backups) != 10000 {
			b.Fatalf("got %d backups", len(got.Backups))
		}
	}
	ReportCPU(b, start)
}

// ProcessCPU is the process's user and system time so far, every thread.
func ProcessCPU() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// ReportCPU reports the process CPU time per op since start as cpu-ms/op.
func ReportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(ProcessCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkListC10k is BenchmarkListBackups10k without the conversion: the C
// call and the free alone, the floor of ListBackups.
func BenchmarkListC10k(b *testing.B) {
	const ak, sk = "BENCHAK", "bench-sk-not-a-real-secret"
	e := emulatortest.Start(b, "--backups", "10000", "--access-key", ak, "--secret-key", sk)
	c, err := NewClient(Config{Endpoint: e.URL, ProjectID: "demo-project", AccessKey: ak, SecretKey: sk})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	list := func() {
		l, err := listC(c.ptr, []byte("{}"), nil)
		if err != nil {
			b.Fatal(err)
		}
		freeBackupList(l)
	}
	list() // warm, as BenchmarkListBackups10k
	b.ReportAllocs()
	start := ProcessCPU()
	for b.Loop() {
		list()
	}
	ReportCPU(b, start)
}
