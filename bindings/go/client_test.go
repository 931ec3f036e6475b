package gesbackups_test

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// One client serves many goroutines at once; run with -race.
func TestConcurrentListBackups(t *testing.T) {
	e := tokenEmulator(t, "--backups", "300", "--graphs", "6", "--seed", "11", "--latency-ms", "5")
	cfg := configFor(e)
	cfg.PageSize = ptr(25)
	c := newClient(t, cfg)

	queries := []gesbackups.Query{
		{},
		{MostRecent: true},
		{BackupMethod: "auto"},
		{Offset: ptr(40), Limit: ptr(30)},
		{Status: "success", MostRecent: true},
	}
	want := make([]*gesbackups.BackupList, len(queries))
	for i, q := range queries {
		l, err := c.ListBackups(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = l
	}
	if len(want[0].Backups) != 300 {
		t.Fatalf("reference listing has %d backups, want 300", len(want[0].Backups))
	}

	const goroutines, rounds = 16, 3
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds*len(queries))
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				i := (g + r) % len(queries)
				got, err := c.ListBackups(context.Background(), queries[i])
				if err != nil {
					errs <- err
					continue
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("goroutine %d round %d: query %d gave a different result", g, r, i)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Close is idempotent, waits for nothing when idle, and a closed client
// refuses further calls with an invalid-argument error.
func TestCloseIsIdempotent(t *testing.T) {
	e := tokenEmulator(t)
	c, err := gesbackups.NewClient(configFor(e))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListBackups(context.Background(), gesbackups.Query{}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close()
	_, err = c.ListBackups(context.Background(), gesbackups.Query{})
	asError(t, err, gesbackups.KindInvalidArgument)

	var nilClient *gesbackups.Client
	nilClient.Close() // no panic
}

// Close while calls are in flight waits for them; they complete normally.
func TestCloseWaitsForCallsInFlight(t *testing.T) {
	e := tokenEmulator(t)
	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "delay", "ms": 300}})
	c, err := gesbackups.NewClient(configFor(e))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListBackups(context.Background(), gesbackups.Query{})
			// A call that starts after Close is refused; one that started
			// before it must succeed.
			var ge *gesbackups.Error
			if err != nil && !(errors.As(err, &ge) && ge.Kind == gesbackups.KindInvalidArgument) {
				t.Errorf("a call during Close: %v", err)
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	c.Close()
	wg.Wait()
	if n := e.Requests(t); n == 0 {
		t.Fatal("no call reached the emulator before Close")
	}
}

// A client that is never closed is freed by its finalizer: the cleanup
// attached below can only run after the finalizer has run and released the
// object.
func TestFinalizerFreesForgottenClient(t *testing.T) {
	e := tokenEmulator(t)
	collected := make(chan struct{})
	func() {
		c, err := gesbackups.NewClient(configFor(e))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListBackups(context.Background(), gesbackups.Query{}); err != nil {
			t.Fatal(err)
		}
		runtime.AddCleanup(c, func(ch chan struct{}) { close(ch) }, collected)
	}()
	deadline := time.After(10 * time.Second)
	for {
		runtime.GC()
		select {
		case <-collected:
			return
		case <-deadline:
			t.Fatal("a forgotten client was not collected")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestVersion(t *testing.T) {
	if gesbackups.ABIVersion() != 1 {
		t.Errorf("ABIVersion() = %d, want 1", gesbackups.ABIVersion())
	}
	if v := gesbackups.Version(); v == "" {
		t.Error("empty Version()")
	}
	if s := gesbackups.SchemaJSON(); len(s) < 2 || s[0] != '{' {
		t.Errorf("SchemaJSON() = %.40q", s)
	}
}
