/* Included by every cgo file of package gesbackups.
 *
 * ges_backups.h comes from the include directory of an installed prefix,
 * found through pkg-config (see link.go). */
#ifndef GESBACKUPS_GO_H
#define GESBACKUPS_GO_H

#include <stdint.h>
#include <stdlib.h>
#include "ges_backups.h"

#if !defined(GES_ABI_VERSION) || GES_ABI_VERSION != 1
#error "gesbackups: this package speaks GES_ABI_VERSION 1; the ges_backups.h found through pkg-config declares another version"
#endif

#endif
