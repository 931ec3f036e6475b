/* Included by every cgo file of package gesbackups.
 *
 * The include path (see link.go) holds ../../include and ../../target/release,
 * so a library that was not built yet is a clear compile error rather than a
 * cryptic "undefined reference" from the linker. */
#ifndef GESBACKUPS_GO_H
#define GESBACKUPS_GO_H

#if defined(__has_include)
#if !__has_include("libges_backups.a")
#error "gesbackups: target/release/libges_backups.a not found; build the Rust library first, from the repository root run: cargo build --release"
#endif
#if !__has_include("ges_backups.h")
#error "gesbackups: include/ges_backups.h not found; from the repository root run: cargo build --release"
#endif
#endif

#include <stdint.h>
#include <stdlib.h>
#include "ges_backups.h"

#if defined(GES_ABI_VERSION) && GES_ABI_VERSION != 1
#error "gesbackups: this package speaks GES_ABI_VERSION 1; the header in include/ declares another version"
#endif

#endif
