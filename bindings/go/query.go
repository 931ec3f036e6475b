package gesbackups

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"
)

// Query selects backups; it is the ges_backups data source's arguments
// (docs/contract.md, section Query). The zero Query lists every backup of
// the project, paging through them all, newest first.
type Query struct {
	GraphID, GraphName, BackupID, Name, Status, BackupMethod string // "": no filter
	MostRecent                                               bool
	Offset, Limit                                            *int // either set: one page
}

// queryJSON is the library's query JSON; absent fields are left out.
type queryJSON struct {
	GraphID      string `json:"graph_id,omitempty"`
	GraphName    string `json:"graph_name,omitempty"`
	BackupID     string `json:"backup_id,omitempty"`
	Name         string `json:"name,omitempty"`
	Status       string `json:"status,omitempty"`
	BackupMethod string `json:"backup_method,omitempty"`
	MostRecent   bool   `json:"most_recent,omitempty"`
	Offset       *int   `json:"offset,omitempty"`
	Limit        *int   `json:"limit,omitempty"`
	DeadlineMs   *int64 `json:"deadline_ms,omitempty"`
}

// marshal encodes q, with ctx's deadline, if any, as deadline_ms: the time
// left, rounded up to a whole millisecond, and at least 1.
func (q Query) marshal(ctx context.Context) ([]byte, error) {
	if err := checkUTF8(q.stringValues); err != nil {
		return nil, err
	}
	j := queryJSON{
		GraphID:      q.GraphID,
		GraphName:    q.GraphName,
		BackupID:     q.BackupID,
		Name:         q.Name,
		Status:       q.Status,
		BackupMethod: q.BackupMethod,
		MostRecent:   q.MostRecent,
		Offset:       q.Offset,
		Limit:        q.Limit,
	}
	if deadline, ok := ctx.Deadline(); ok {
		ms := deadlineMs(time.Until(deadline))
		j.DeadlineMs = &ms
	}
	return json.Marshal(j)
}

// stringValues calls visit with the argument name and value of every
// string of q.
func (q Query) stringValues(visit func(key, value string)) {
	visit("graph_id", q.GraphID)
	visit("graph_name", q.GraphName)
	visit("backup_id", q.BackupID)
	visit("name", q.Name)
	visit("status", q.Status)
	visit("backup_method", q.BackupMethod)
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
