package gesbackups

/*
#include "gesbackups.h"

// gesGoLog is in log_export.go; the library calls it on any thread.
extern void gesGoLog(void *handle, GesLogLevel level, char *message);

static GesError *ges_go_set_logger(GesClient *client, uintptr_t handle) {
	return ges_client_set_logger(client, (GesLogCallback)gesGoLog, (void *)handle, GES_LOG_LEVEL_DEBUG);
}
*/
import "C"

import (
	"log/slog"
	"runtime/cgo"
)

// setLogger sends the library's log lines to logger. The library is asked
// for every level and the logger's handler drops what it does not want, so
// that a handler whose level changes later (a slog.LevelVar) gets what it
// asks for then.
func (c *Client) setLogger(logger *slog.Logger) error {
	h := cgo.NewHandle(logger)
	if e := C.ges_go_set_logger(c.ptr, C.uintptr_t(h)); e != nil {
		h.Delete()
		return takeError(e)
	}
	c.logger = h
	return nil
}

// slogLevel maps a GesLogLevel to slog's: ERROR, WARN, INFO and DEBUG to
// their namesakes, a level from a later library (more verbose) below DEBUG.
func slogLevel(level C.GesLogLevel) slog.Level {
	switch level {
	case C.GES_LOG_LEVEL_ERROR:
		return slog.LevelError
	case C.GES_LOG_LEVEL_WARN:
		return slog.LevelWarn
	case C.GES_LOG_LEVEL_INFO:
		return slog.LevelInfo
	case C.GES_LOG_LEVEL_DEBUG:
		return slog.LevelDebug
	}
	return slog.LevelDebug - 4
}
