package gesbackups

/*
#include "gesbackups.h"
*/
import "C"

import (
	"context"
	"runtime"
	"sync"
	"unsafe"
)

// Client lists GES backups. It is safe for concurrent use by many goroutines:
// the library serves concurrent calls on one client. Close it when done; a
// finalizer frees a Client that was forgotten, but only at the garbage
// collector's leisure.
type Client struct {
	// mu guards ptr: calls hold it for reading while they use ptr, Close
	// holds it for writing to free it, so Close waits for calls in flight.
	mu  sync.RWMutex
	ptr *C.GesClient
}

// NewClient validates cfg (with the environment fallback of SPEC 3) and
// returns a Client. An invalid config is an *Error of KindInvalidArgument
// whose message names the key; it never holds a secret.
func NewClient(cfg Config) (*Client, error) {
	js, err := cfg.marshal()
	if err != nil {
		return nil, &Error{Kind: KindInvalidArgument, Message: "config: " + err.Error()}
	}
	cjs := C.CString(string(js))
	defer freeSecret(cjs, len(js))
	clear(js)

	var out *C.GesClient
	if e := C.ges_client_new(cjs, &out); e != nil {
		return nil, takeError(e)
	}
	c := &Client{ptr: out}
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// ListBackups runs q: the ges_backups data source read of SPEC 4.
//
// A context that is already done returns ctx.Err() without calling the
// library. A deadline on ctx becomes the call's deadline_ms, the time budget
// of the whole call, retries and all. When ctx ends while the call runs,
// ListBackups returns ctx.Err() at once; the call itself ends in the
// background no later than the deadline (or the library's own timeouts when
// ctx had none), and Close waits for it.
//
// Failures of the library are *Error values; one caused by ctx's deadline
// also matches errors.Is(err, context.DeadlineExceeded).
func (c *Client) ListBackups(ctx context.Context, q Query) (*BackupList, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	js, err := q.marshal(ctx)
	if err != nil {
		return nil, &Error{Kind: KindInvalidArgument, Message: "query: " + err.Error()}
	}

	c.mu.RLock()
	if c.ptr == nil {
		c.mu.RUnlock()
		return nil, errClosed()
	}
	if ctx.Done() == nil {
		// Never cancelled: no need for a goroutine.
		defer c.mu.RUnlock()
		return c.list(js)
	}

	type result struct {
		list *BackupList
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer c.mu.RUnlock()
		l, err := c.list(js)
		done <- result{l, err}
	}()
	select {
	case r := <-done:
		if r.err != nil && ctx.Err() != nil {
			if e, ok := r.err.(*Error); ok && e.Kind == KindTransport {
				e.cause = ctx.Err()
			}
		}
		return r.list, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// list makes the C call and copies its result into Go memory; the caller
// holds c.mu for reading and c.ptr is set.
func (c *Client) list(queryJSON []byte) (*BackupList, error) {
	l, err := c.listC(queryJSON)
	if err != nil {
		return nil, err
	}
	defer freeBackupList(l)
	return copyBackupList(l), nil
}

// listC returns the C list, to free with freeBackupList. Apart from list,
// the benchmarks of the conversion use it.
func (c *Client) listC(queryJSON []byte) (*C.GesBackupList, error) {
	cq := C.CString(string(queryJSON))
	defer C.free(unsafe.Pointer(cq))

	var out *C.GesBackupList
	if e := C.ges_list_backups(c.ptr, cq, &out); e != nil {
		return nil, takeError(e)
	}
	return out, nil
}

func freeBackupList(l *C.GesBackupList) { C.ges_backup_list_free(l) }

// Close frees the client. It waits for calls in flight to end, may be called
// more than once, and later calls of ListBackups fail with KindInvalidArgument.
func (c *Client) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr == nil {
		return
	}
	C.ges_client_free(c.ptr)
	c.ptr = nil
	runtime.SetFinalizer(c, nil)
}

func errClosed() error {
	return &Error{Kind: KindInvalidArgument, Message: "the client is closed"}
}

// freeSecret overwrites a C string holding credentials before freeing it.
func freeSecret(s *C.char, n int) {
	if s == nil {
		return
	}
	clear(unsafe.Slice((*byte)(unsafe.Pointer(s)), n))
	C.free(unsafe.Pointer(s))
}
