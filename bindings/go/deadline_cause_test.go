package gesbackups

import (
	"context"
	"testing"
	"time"
)

// A transport error at the deadline is the deadline's, even when ctx's timer
// has not fired yet; one long before it is not.
func TestDeadlineCause(t *testing.T) {
	bg := context.Background()
	soon, cancel1 := context.WithTimeout(bg, deadlineSlack/2)
	defer cancel1()
	later, cancel2 := context.WithTimeout(bg, time.Hour)
	defer cancel2()
	cancelled, cancel3 := context.WithCancel(bg)
	cancel3()
	for name, c := range map[string]struct {
		ctx  context.Context
		want error
	}{
		"no deadline":         {bg, nil},
		"deadline in an hour": {later, nil},
		"deadline now":        {soon, context.DeadlineExceeded},
		"cancelled":           {cancelled, context.Canceled},
	} {
		if got := deadlineCause(c.ctx); got != c.want {
			t.Errorf("%s: got %v, want %v", name, got, c.want)
		}
	}
}
