package gesbackups

import (
	"bytes"
	"context"
	"runtime"
	"sync"
	"time"
)

// Client lists GES backups. It is safe for concurrent use by many goroutines:
// the library serves concurrent calls on one client. Close it when done; a
// finalizer frees a Client that was forgotten, but only at the garbage
// collector's leisure.
type Client struct {
	lib    nativeLib
	mu     sync.Mutex
	ptr    *cClient // nil once freed
	closed bool     // Close was called: no call may start
	// calls counts the library calls using ptr, abandoned ones included: the
	// last of them to end after Close frees ptr.
	calls int
	// waiting counts the calls whose caller still waits: Close waits for
	// them, not for the abandoned ones.
	waiting sync.WaitGroup
	logger  uintptr       // the handle of the *slog.Logger the library logs to; 0: none
	freed   chan struct{} // closed once ptr is freed (for the tests)
}

// NewClient validates cfg (with the environment fallback of
// docs/configuration.md) and returns a Client. An invalid config is an
// *Error of KindInvalidArgument whose message names the key; it never holds
// a secret.
//
// Without cgo, the first NewClient loads the shared library (see the
// package documentation); when it cannot, NewClient returns an error that
// says where it looked, and so does every later one.
func NewClient(cfg Config) (*Client, error) {
	lib, err := native()
	if err != nil {
		return nil, err
	}
	js, err := cfg.marshal()
	if err != nil {
		return nil, &Error{Kind: KindInvalidArgument, Message: "config: " + err.Error()}
	}
	cjs := cString(js)
	clear(js)
	var out *cClient
	e := lib.clientNew(cjs, &out)
	clear(cjs) // it held the credentials
	if e != nil {
		return nil, takeError(lib, e)
	}
	c := &Client{lib: lib, ptr: out, freed: make(chan struct{})}
	if cfg.Logger != nil {
		if err := c.setLogger(cfg.Logger); err != nil {
			c.free()
			return nil, err
		}
	}
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// ListBackups runs q: a read of the ges_backups data source (docs/contract.md,
// section Query).
//
// A context that is already done returns ctx.Err() without calling the
// library. A deadline on ctx becomes the call's deadline_ms, the time budget
// of the whole call, retries and all. When ctx ends while the call runs,
// ListBackups returns ctx.Err() at once and cancels the library call: it
// starts no request after that, abandons those in flight and ends within
// about 100 ms, in the background; Close does not wait for it.
//
// Failures of the library are *Error values; one caused by ctx's deadline
// also matches errors.Is(err, context.DeadlineExceeded).
func (c *Client) ListBackups(ctx context.Context, q Query) (*BackupList, error) {
	return run(c, ctx, q, list)
}

// ListBackupsJSON runs q as ListBackups does, with the same context
// handling, and returns the library's result JSON (docs/contract.md, section
// Result): {"id", "total_count", "backups": [...]}, where a field the service
// left out is null.
func (c *Client) ListBackupsJSON(ctx context.Context, q Query) ([]byte, error) {
	return run(c, ctx, q, listJSON)
}

// libraryCall is one library call for a query: lib, the client, the query
// JSON (NUL-terminated) and a cancel flag (nil: never cancelled).
type libraryCall[T any] func(lib nativeLib, ptr *cClient, queryJSON []byte, cancel *cCancel) (T, error)

// run makes one library call for q with ListBackups' context handling.
func run[T any](c *Client, ctx context.Context, q Query, call libraryCall[T]) (T, error) {
	var none T
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return none, err
	}
	js, err := q.marshal(ctx)
	if err != nil {
		return none, &Error{Kind: KindInvalidArgument, Message: "query: " + err.Error()}
	}
	js = cString(js)
	ptr, ok := c.acquire()
	if !ok {
		return none, errClosed()
	}
	defer c.waiting.Done()
	if ctx.Done() == nil {
		// Never cancelled: no need for a goroutine or a cancel flag.
		defer c.release()
		return call(c.lib, ptr, js, nil)
	}

	k := newCancellableCall(c.lib)
	type result struct {
		value T
		err   error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call(c.lib, ptr, js, k.flag)
		k.free()
		c.release()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if e, ok := r.err.(*Error); ok {
			switch {
			case e.Kind == KindCancelled && ctx.Err() != nil:
				return none, ctx.Err()
			case e.Kind == KindTransport:
				e.cause = deadlineCause(ctx)
			}
		}
		return r.value, r.err
	case <-ctx.Done():
		k.cancel()
		return none, ctx.Err()
	}
}

// deadlineSlack is how far before ctx's deadline a transport error is still
// taken for the deadline: the library's own deadline_ms (rounded up) may end
// the call a moment before ctx's timer fires.
const deadlineSlack = 5 * time.Millisecond

// deadlineCause is ctx's error when ctx ended, or when its deadline has
// passed (give or take deadlineSlack) though its timer has not yet fired;
// else nil.
func deadlineCause(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < deadlineSlack {
		return context.DeadlineExceeded
	}
	return nil
}

// acquire returns ptr for a call, counted in calls and waiting, or false once
// the client is closed.
func (c *Client) acquire() (*cClient, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.ptr == nil {
		return nil, false
	}
	c.calls++
	c.waiting.Add(1)
	return c.ptr, true
}

// release ends a call that acquire counted; the last call to end after Close
// frees the client.
func (c *Client) release() {
	c.mu.Lock()
	c.calls--
	last := c.closed && c.calls == 0
	c.mu.Unlock()
	if last {
		c.free()
	}
}

// free frees the library's client, once, and then the logger's handle: no
// callback can come after ges_client_free.
func (c *Client) free() {
	c.mu.Lock()
	ptr := c.ptr
	c.ptr = nil
	c.mu.Unlock()
	if ptr == nil {
		return
	}
	c.lib.clientFree(ptr)
	if c.logger != 0 {
		loggers.Delete(c.logger)
	}
	close(c.freed)
}

// cancellableCall is the GesCancel flag of one call. cancel and free may race
// (the caller gives up as the call ends): mu orders them, so that the flag is
// never used after it is freed.
type cancellableCall struct {
	lib  nativeLib
	mu   sync.Mutex
	flag *cCancel // nil once freed
}

func newCancellableCall(lib nativeLib) *cancellableCall {
	return &cancellableCall{lib: lib, flag: lib.cancelNew()}
}

func (k *cancellableCall) cancel() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.flag != nil {
		k.lib.cancelRequest(k.flag)
	}
}

func (k *cancellableCall) free() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.lib.cancelFree(k.flag)
	k.flag = nil
}

// list makes the C call and copies its result into Go memory.
func list(lib nativeLib, ptr *cClient, queryJSON []byte, cancel *cCancel) (*BackupList, error) {
	var out *cBackupList
	if e := lib.listBackups(ptr, queryJSON, cancel, &out); e != nil {
		return nil, takeError(lib, e)
	}
	defer lib.backupListFree(out)
	return copyBackupList(out), nil
}

// listJSON returns the library's result JSON for the query.
func listJSON(lib nativeLib, ptr *cClient, queryJSON []byte, cancel *cCancel) ([]byte, error) {
	var out *byte
	if e := lib.listBackupsJSON(ptr, queryJSON, cancel, &out); e != nil {
		return nil, takeError(lib, e)
	}
	defer lib.stringFree(out)
	return bytes.Clone(cBytes(out)), nil
}

// Close frees the client. It waits for the calls whose callers still wait for
// them, not for calls abandoned when their context ended: the last of those
// frees the client when it ends. Close may be called more than once; later
// calls of ListBackups and ListBackupsJSON fail with KindInvalidArgument.
func (c *Client) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	runtime.SetFinalizer(c, nil)

	c.waiting.Wait()
	c.mu.Lock()
	idle := c.calls == 0
	c.mu.Unlock()
	if idle {
		c.free()
	}
}

func errClosed() error {
	return &Error{Kind: KindInvalidArgument, Message: "the client is closed"}
}
