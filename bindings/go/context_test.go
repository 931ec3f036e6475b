package gesbackups_test

import (
	"context"
	"errors"
	"testing"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// A context already done returns its error without calling the library: the
// emulator sees no request.
func TestContextDoneBeforeTheCall(t *testing.T) {
	e := tokenEmulator(t)
	c := newClient(t, configFor(e))

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ListBackups(cancelled, gesbackups.Query{}); err != context.Canceled {
		t.Fatalf("cancelled context: got %v, want context.Canceled", err)
	}
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if _, err := c.ListBackups(expired, gesbackups.Query{}); err != context.DeadlineExceeded {
		t.Fatalf("expired context: got %v, want context.DeadlineExceeded", err)
	}
	// Even an invalid query is not looked at.
	if _, err := c.ListBackups(cancelled, gesbackups.Query{Limit: ptr(0)}); err != context.Canceled {
		t.Fatalf("cancelled context, bad query: got %v", err)
	}
	if n := e.Requests(t); n != 0 {
		t.Fatalf("the emulator saw %d requests, want 0", n)
	}
}

// The context's deadline becomes deadline_ms: ListBackups returns at the
// deadline, and the library call itself ends then too (the deadline cancels
// it, deadline_ms would end it anyway), long before the emulator would
// answer: the client is freed soon after Close.
func TestContextDeadline(t *testing.T) {
	e := tokenEmulator(t)
	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "delay", "ms": 8000}})
	c, err := gesbackups.NewClient(configFor(e))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	_, err = c.ListBackups(ctx, gesbackups.Query{})
	returned := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want an error matching context.DeadlineExceeded", err)
	}
	if returned > 2*time.Second {
		t.Fatalf("ListBackups returned after %v; the deadline was 400ms", returned)
	}

	c.Close()
	if !gesbackups.Freed(c, 3*time.Second) {
		t.Fatalf("the library call ran for more than 3 s past a 400ms deadline")
	}
}

// A deadline far enough away does not get in the way, however far: one
// beyond the largest deadline_ms (about 49 days) is capped, not refused.
func TestContextDeadlineMet(t *testing.T) {
	e := tokenEmulator(t)
	e.Fault(t, map[string]any{"times": 1, "action": map[string]any{"type": "delay", "ms": 200}})
	c := newClient(t, configFor(e))
	for _, d := range []time.Duration{10 * time.Second, 100 * 24 * time.Hour} {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		got, err := c.ListBackups(ctx, gesbackups.Query{})
		cancel()
		if err != nil {
			t.Fatalf("deadline in %v: %v", d, err)
		}
		if len(got.Backups) != 3 {
			t.Fatalf("got %d backups", len(got.Backups))
		}
	}
}

// Cancelling the context while the call runs returns context.Canceled at once.
func TestContextCancelledDuringTheCall(t *testing.T) {
	e := tokenEmulator(t)
	e.Fault(t, map[string]any{"times": 1, "action": map[string]any{"type": "delay", "ms": 1500}})
	c := newClient(t, configFor(e))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ListBackups(ctx, gesbackups.Query{})
	if err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("returned after %v, want soon after the 100ms cancel", d)
	}
}
