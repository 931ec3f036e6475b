//go:build cgo

package gesbackups

// This file links the ges-backups library into every program that imports
// the package. pkg-config finds it through ges_backups_static.pc, which
// `make install PREFIX=DIR` writes to DIR/lib/pkgconfig: its Libs name the
// static library by its full path (so the linker cannot pick
// libges_backups.so instead, and the program needs no libges_backups at run
// time), followed by the system libraries the Rust code needs. No flag is
// hard-coded here, so a build may add its own, such as
// -ldflags=-extldflags=-static.
//
//	make install PREFIX=$HOME/.local              # in a checkout of ges-backups
//	export PKG_CONFIG_PATH=$HOME/.local/lib/pkgconfig
//
// See README.md, section Install.

/*
#cgo pkg-config: ges_backups_static
#include "gesbackups.h"
*/
import "C"
