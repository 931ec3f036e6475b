package gesbackups

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
)

// loggers holds the *slog.Logger of each client that has one, by handle: the
// library gets the handle as its callback's user_data (a Go pointer may not
// be kept by C), and one callback serves every client (with purego,
// callbacks are a limited resource).
var (
	loggers    sync.Map // uintptr -> *slog.Logger
	lastLogger atomic.Uintptr
)

// setLogger sends the library's log lines to logger. The library is asked
// for every level and the logger's handler drops what it does not want, so
// that a handler whose level changes later (a slog.LevelVar) gets what it
// asks for then.
func (c *Client) setLogger(logger *slog.Logger) error {
	h := lastLogger.Add(1)
	loggers.Store(h, logger)
	if e := c.lib.setLogger(c.ptr, h); e != nil {
		loggers.Delete(h)
		return takeError(c.lib, e)
	}
	c.logger = h
	return nil
}

// dispatchLog is the library's log callback, with cgo and without: handle is
// the client's logger's. It may run on any thread, concurrently, which
// slog.Logger allows; the message is copied, as it lives for the call only.
// A handler that panics loses its record: a panic must not unwind through
// the library's frames.
func dispatchLog(handle uintptr, level uint32, message *byte) {
	defer func() { _ = recover() }()
	v, ok := loggers.Load(handle)
	if !ok {
		return
	}
	logger := v.(*slog.Logger)
	ctx := context.Background()
	l := slogLevel(level)
	if !logger.Enabled(ctx, l) {
		return
	}
	logger.LogAttrs(ctx, l, goString(message))
}

// slogLevel maps a GesLogLevel to slog's: ERROR, WARN, INFO and DEBUG to
// their namesakes, a level from a later library (more verbose) below DEBUG.
func slogLevel(level uint32) slog.Level {
	switch level {
	case logLevelError:
		return slog.LevelError
	case logLevelWarn:
		return slog.LevelWarn
	case logLevelInfo:
		return slog.LevelInfo
	case logLevelDebug:
		return slog.LevelDebug
	}
	return slog.LevelDebug - 4
}
