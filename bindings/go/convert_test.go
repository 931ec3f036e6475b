//go:build unix

package gesbackups

import (
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// BenchmarkCopyBackupList10k measures the conversion alone: one C list of
// 10,000 backups (the emulator's --backups data, 4 graphs) converted into Go
// values again and again. cpu-ms/op counts every thread, the garbage
// collector's too.
//
//	go test -run '^$' -bench CopyBackupList10k -benchmem -count 10
func BenchmarkCopyBackupList10k(b *testing.B) {
	l := nativeList10k(b)
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
	benchSignedListing(b, func(l *cBackupList) {})
}

// benchSignedListing times ges_list_backups of 10,000 signed backups, then
// use(list), then the free, as BenchmarkListBackups10k does on its side:
// the same emulator, client and warm-up.
func benchSignedListing(b *testing.B, use func(*cBackupList)) {
	const ak, sk = "BENCHAK", "bench-sk-not-a-real-secret"
	e := emulatortest.Start(b, "--backups", "10000", "--access-key", ak, "--secret-key", sk)
	c, err := NewClient(Config{Endpoint: e.URL, ProjectID: "demo-project", AccessKey: ak, SecretKey: sk})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	list := func() {
		l, err := listC(c)
		if err != nil {
			b.Fatal(err)
		}
		use(l)
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

// BenchmarkListArray10k is BenchmarkListC10k plus the []Backup the result
// type requires, integers filled, strings left empty: the floor of
// BenchmarkListBackups10k that no conversion of the strings can go below
// (the runtime zeroes the array, the garbage collector scans its 13 pointer
// words a backup, and its 2.3 MB a listing bring a collection a listing).
func BenchmarkListArray10k(b *testing.B) {
	benchSignedListing(b, func(l *cBackupList) {
		items := unsafe.Slice(l.items, int(l.len))
		out := make([]Backup, len(items))
		for i := range items {
			it, o := &items[i], &out[i]
			o.StartTimestamp, o.EndTimestamp = it.start_timestamp, it.end_timestamp
			o.Size, o.Duration = it.size, it.duration
		}
		if len(out) != 10000 {
			b.Fatalf("got %d backups", len(out))
		}
	})
}

// BenchmarkMarkBackupList10k is the garbage collector's cost of a list that
// a program holds: a full collection with one converted list of 10,000
// backups alive. Run it with -cpu 1: with more Ps a forced collection spends
// more on waking and stopping them than on marking.
//
//	go test -run '^$' -bench MarkBackupList10k -cpu 1 -count 6
func BenchmarkMarkBackupList10k(b *testing.B) {
	l := nativeList10k(b)
	held := copyBackupList(l)
	freeBackupList(l)
	runtime.GC()
	start := ProcessCPU()
	for b.Loop() {
		runtime.GC()
	}
	ReportCPU(b, start)
	runtime.KeepAlive(held)
}

// nativeList10k is the C list of the emulator's 10,000 backups, to free with
// freeBackupList (it outlives its client and emulator).
func nativeList10k(b *testing.B) *cBackupList {
	e := emulatortest.Start(b, "--auth-token", "t", "--backups", "10000")
	c, err := NewClient(Config{Endpoint: e.URL, ProjectID: "demo-project", AuthToken: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	l, err := listC(c)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// listC lists every backup of c's project and returns the C list, to free
// with freeBackupList.
func listC(c *Client) (*cBackupList, error) {
	var out *cBackupList
	if e := c.lib.listBackups(c.ptr, cString([]byte("{}")), nil, &out); e != nil {
		return nil, takeError(c.lib, e)
	}
	return out, nil
}

func freeBackupList(l *cBackupList) {
	lib, err := native()
	if err != nil {
		panic(err)
	}
	lib.backupListFree(l)
}
