package gesbackups

/*
#include "gesbackups.h"
*/
import "C"

// Version is the version of the linked Rust library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.ges_version())
}

// ABIVersion is the C ABI version of the linked library; this package speaks
// version 1.
func ABIVersion() uint32 {
	return uint32(C.ges_abi_version())
}

// SchemaJSON is the library's static JSON description of every config key,
// query argument and result attribute (name, type, description). The
// Terraform provider takes its attribute descriptions from it.
func SchemaJSON() string {
	return C.GoString(C.ges_backups_schema_json())
}
