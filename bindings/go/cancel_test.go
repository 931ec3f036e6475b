package gesbackups_test

import (
	"context"
	"errors"
	"testing"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// A cancelled context cancels the library call: ListBackups returns at once,
// the library starts no request after the cancel and ends the call within
// about 100 ms (the client is then freed), and Close does not wait for it.
// The listing would take 30 pages of 300 ms; it is cancelled after 1 s.
func TestCancelReachesTheLibrary(t *testing.T) {
	e := tokenEmulator(t, "--latency-ms", "300", "--backups", "3000")
	cfg := configFor(e)
	cfg.PageSize, cfg.MaxConcurrency = ptr(100), ptr(1)
	c, err := gesbackups.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	ctx, cancel := context.WithCancel(context.Background())
	type atCancel struct {
		when     time.Time
		requests int64
	}
	cancelled := make(chan atCancel, 1)
	time.AfterFunc(time.Second, func() {
		n := e.Requests(t)
		cancelled <- atCancel{time.Now(), n}
		cancel()
	})
	_, err = c.ListBackups(ctx, gesbackups.Query{})
	returned := time.Now()
	if err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	at := <-cancelled
	if d := returned.Sub(at.when); d > 100*time.Millisecond {
		t.Errorf("ListBackups returned %v after the cancel", d)
	}

	closeStart := time.Now()
	c.Close()
	if d := time.Since(closeStart); d > 100*time.Millisecond {
		t.Errorf("Close waited %v for the abandoned call", d)
	}
	if !gesbackups.Freed(c, 2*time.Second) {
		t.Fatal("the library call did not end within 2 s of the cancel")
	}
	ended := time.Since(at.when)
	if ended > 300*time.Millisecond { // 100 ms promised; slack for -race on 2 busy cores
		t.Errorf("the library call ended %v after the cancel", ended)
	}

	// A request started after the cancel would reach the emulator well
	// within its 300 ms latency.
	time.Sleep(400 * time.Millisecond)
	n := e.Requests(t)
	// At the cancel, one request was in flight, or, between two pages, the
	// next one was on its way.
	if n > at.requests+1 {
		t.Errorf("the emulator saw %d requests, %d at the cancel: requests started after it", n, at.requests)
	}
	if at.requests < 2 || at.requests > 5 {
		t.Errorf("%d requests in the first second at 300 ms each; the test proves nothing", at.requests)
	}
	t.Logf("cancel latency: ListBackups returned after %v, the library call ended after %v; %d requests (of 30)",
		returned.Sub(at.when).Round(time.Microsecond), ended.Round(time.Microsecond), n)
}

// A call abandoned at its context's deadline does not hold up Close either,
// and its error matches context.DeadlineExceeded.
func TestDeadlineCancelsTheLibraryCall(t *testing.T) {
	e := tokenEmulator(t)
	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "delay", "ms": 8000}})
	c, err := gesbackups.NewClient(configFor(e))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.ListBackups(ctx, gesbackups.Query{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want an error matching context.DeadlineExceeded", err)
	}
	c.Close()
	if !gesbackups.Freed(c, 2*time.Second) {
		t.Fatal("the library call did not end within 2 s of the deadline")
	}
	if d := time.Since(start); d > 700*time.Millisecond {
		t.Errorf("the library call ended %v after the start, with a 300 ms deadline", d)
	}
}
