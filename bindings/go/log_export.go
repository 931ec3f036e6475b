package gesbackups

// A file of its own: a cgo file with //export may declare C, not define it.

/*
#include "gesbackups.h"
*/
import "C"

import (
	"context"
	"log/slog"
	"runtime/cgo"
	"unsafe"
)

// gesGoLog is the library's log callback: handle is the cgo.Handle of the
// client's *slog.Logger. It may run on any thread, concurrently, which
// slog.Logger allows; the message is copied, as it lives for the call only.
// A handler that panics loses its record: a panic must not unwind through
// the library's frames.
//
//export gesGoLog
func gesGoLog(handle unsafe.Pointer, level C.GesLogLevel, message *C.char) {
	defer func() { _ = recover() }()
	logger, ok := cgo.Handle(uintptr(handle)).Value().(*slog.Logger)
	if !ok {
		return
	}
	ctx := context.Background()
	l := slogLevel(level)
	if !logger.Enabled(ctx, l) {
		return
	}
	logger.LogAttrs(ctx, l, C.GoString(message))
}
