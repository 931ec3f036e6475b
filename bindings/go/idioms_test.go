package gesbackups_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// sentinelOf is the sentinel error of each kind.
var sentinelOf = map[gesbackups.ErrorKind]error{
	gesbackups.KindInvalidArgument: gesbackups.ErrInvalidArgument,
	gesbackups.KindTransport:       gesbackups.ErrTransport,
	gesbackups.KindAPI:             gesbackups.ErrAPI,
	gesbackups.KindDecode:          gesbackups.ErrDecode,
	gesbackups.KindInconsistent:    gesbackups.ErrInconsistent,
	gesbackups.KindInternal:        gesbackups.ErrInternal,
	gesbackups.KindCancelled:       gesbackups.ErrCancelled,
}

// errors.Is matches an *Error, wrapped or not, with the sentinel of its kind
// and no other; an unknown kind matches none. (Every error the library
// returns in the other tests goes through asError, which checks the same.)
func TestSentinelErrors(t *testing.T) {
	if len(sentinelOf) != 7 {
		t.Fatalf("%d distinct kinds", len(sentinelOf))
	}
	kinds := append([]gesbackups.ErrorKind{42}, gesbackups.KindInvalidArgument, gesbackups.KindTransport,
		gesbackups.KindAPI, gesbackups.KindDecode, gesbackups.KindInconsistent, gesbackups.KindInternal,
		gesbackups.KindCancelled)
	for _, k := range kinds {
		e := &gesbackups.Error{Kind: k, Message: "m"}
		for _, err := range []error{e, fmt.Errorf("listing: %w", e)} {
			for other, sentinel := range sentinelOf {
				if got := errors.Is(err, sentinel); got != (other == k) {
					t.Errorf("errors.Is(%v, %v) = %v", err, sentinel, got)
				}
			}
		}
	}
	if errors.Is(gesbackups.ErrAPI, gesbackups.ErrTransport) || !errors.Is(gesbackups.ErrAPI, gesbackups.ErrAPI) {
		t.Error("the sentinels are not distinct values")
	}
	if got := gesbackups.ErrAPI.Error(); got != "ges: api error" {
		t.Errorf("ErrAPI.Error() = %q", got)
	}
}

// The constants are the values the library filters on and returns.
func TestStatusAndMethodConstants(t *testing.T) {
	e := tokenEmulator(t, "--data", "testdata/every_field.json")
	c := newClient(t, configFor(e))
	for _, tc := range []struct {
		q    gesbackups.Query
		want string
	}{
		{gesbackups.Query{Status: gesbackups.StatusBackingUp}, "b1-encrypted"},
		{gesbackups.Query{Status: gesbackups.StatusFailed}, "b2-plain"},
		{gesbackups.Query{Status: gesbackups.StatusSuccess}, "b3-unknown"},
		{gesbackups.Query{BackupMethod: gesbackups.MethodAuto}, "b2-plain"},
		{gesbackups.Query{BackupMethod: gesbackups.MethodManual, MostRecent: true}, "b1-encrypted"},
	} {
		l, err := c.ListBackups(context.Background(), tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Backups) != 1 || l.Backups[0].ID != tc.want {
			t.Errorf("%+v: got %v, want [%s]", tc.q, ids(l), tc.want)
			continue
		}
		b := l.Backups[0]
		if (tc.q.Status != "" && b.Status != tc.q.Status) || (tc.q.BackupMethod != "" && b.BackupMethod != tc.q.BackupMethod) {
			t.Errorf("%+v: got %+v", tc.q, b)
		}
	}
	_, err := c.ListBackups(context.Background(), gesbackups.Query{Status: "sucess"})
	if !errors.Is(asError(t, err, gesbackups.KindInvalidArgument), gesbackups.ErrInvalidArgument) {
		t.Fatal("a misspelt status is not ErrInvalidArgument")
	}
}

// ListBackupsJSON handles its context as ListBackups does: a done context
// calls nothing, a deadline or a cancel ends the call at once and the
// library's call soon after, and a closed client refuses it.
func TestListBackupsJSONContext(t *testing.T) {
	e := tokenEmulator(t)
	c := newClient(t, configFor(e))

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if js, err := c.ListBackupsJSON(cancelled, gesbackups.Query{}); err != context.Canceled || js != nil {
		t.Fatalf("cancelled context: got %q, %v", js, err)
	}
	if n := e.Requests(t); n != 0 {
		t.Fatalf("the emulator saw %d requests for a cancelled context", n)
	}

	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "delay", "ms": 8000}})
	slow, err := gesbackups.NewClient(configFor(e))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	start := time.Now()
	js, err := slow.ListBackupsJSON(ctx, gesbackups.Query{})
	if !errors.Is(err, context.DeadlineExceeded) || js != nil {
		t.Fatalf("deadline: got %q, %v", js, err)
	}
	ctx3, cancel3 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel3)
	if _, err := slow.ListBackupsJSON(ctx3, gesbackups.Query{}); err != context.Canceled {
		t.Fatalf("cancel: got %v", err)
	}
	slow.Close()
	if !gesbackups.Freed(slow, 2*time.Second) {
		t.Fatal("the library calls did not end within 2 s of their deadline and cancel")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("ListBackupsJSON took %v with a 300 ms deadline and a 100 ms cancel", d)
	}
	_, err = slow.ListBackupsJSON(context.Background(), gesbackups.Query{})
	if !errors.Is(err, gesbackups.ErrInvalidArgument) {
		t.Fatalf("a closed client: got %v", err)
	}
}
