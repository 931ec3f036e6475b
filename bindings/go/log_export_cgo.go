//go:build cgo

package gesbackups

// A file of its own: a cgo file with //export may declare C, not define it.

/*
#include "gesbackups.h"
*/
import "C"

import "unsafe"

// gesGoLog is the library's log callback with cgo; handle is the logger's
// handle (logger.go).
//
//export gesGoLog
func gesGoLog(handle unsafe.Pointer, level C.GesLogLevel, message *C.char) {
	dispatchLog(uintptr(handle), uint32(level), (*byte)(unsafe.Pointer(message)))
}
