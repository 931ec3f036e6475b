package gesbackups

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"
)

// Query, its fields and their JSON tags are generated from the library's
// schema: schema_gen.go.

// marshal encodes q, with ctx's deadline, if any, as deadline_ms: the time
// left, rounded up to a whole millisecond, and at least 1.
func (q Query) marshal(ctx context.Context) ([]byte, error) {
	if err := checkUTF8(q.stringValues); err != nil {
		return nil, err
	}
	j := struct {
		Query
		DeadlineMs *int64 `json:"deadline_ms,omitempty"`
	}{Query: q}
	if deadline, ok := ctx.Deadline(); ok {
		ms := deadlineMs(time.Until(deadline))
		j.DeadlineMs = &ms
	}
	return json.Marshal(j)
}

// maxDeadlineMs is the largest deadline_ms the library accepts (u32::MAX).
const maxDeadlineMs = 1<<32 - 1

// deadlineMs converts the time left before a deadline to whole milliseconds,
// rounding up so that the library never gives up before the context does.
func deadlineMs(left time.Duration) int64 {
	ms := int64((left + time.Millisecond - 1) / time.Millisecond)
	switch {
	case ms < 1:
		ms = 1
	case ms > maxDeadlineMs:
		ms = maxDeadlineMs // about 49 days: the largest deadline_ms accepted
	}
	return ms
}

// checkUTF8 rejects strings that are not UTF-8, naming the key, where
// encoding/json would silently replace the bad bytes; values calls its
// argument with each key and string.
func checkUTF8(values func(visit func(key, value string))) error {
	var bad []string
	values(func(k, v string) {
		if !utf8.ValidString(v) {
			bad = append(bad, k)
		}
	})
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("%q is not valid UTF-8", bad[0])
}
