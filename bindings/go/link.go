package gesbackups

// This file links the Rust static library into every program that imports the
// package: the library is given to the linker by its full path, so the linker
// cannot pick libges_backups.so instead, and a program built with the package
// has no run-time dependency on libges_backups.
//
// Build the library first, from the repository root:
//
//	cargo build --release
//
// gesbackups.h (beside this file) turns a missing library or header into a
// clear compile error that says so, instead of a linker error.

/*
#cgo CFLAGS: -I${SRCDIR} -I${SRCDIR}/../../include -I${SRCDIR}/../../target/release
#cgo LDFLAGS: ${SRCDIR}/../../target/release/libges_backups.a
#cgo linux LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
#cgo darwin LDFLAGS: -framework CoreFoundation -framework Security -liconv -lc -lm
#include "gesbackups.h"
*/
import "C"
