package gesbackups

// Version is the version of the library, e.g. "0.1.0": with cgo the one
// linked in, without cgo the one loaded ("" when it cannot be loaded:
// NewClient says why).
func Version() string {
	lib, err := native()
	if err != nil {
		return ""
	}
	return goString(lib.version())
}

// ABIVersion is the C ABI version of the library; this package speaks
// version 1. Without cgo, 0 when the library cannot be loaded (NewClient
// says why); a library of another version is never used.
func ABIVersion() uint32 {
	lib, err := native()
	if err != nil {
		return 0
	}
	return lib.abiVersion()
}

// SchemaJSON is the library's static JSON description of every config key,
// query argument and result attribute (name, type, description); "" without
// cgo when the library cannot be loaded. The Terraform provider takes its
// attribute descriptions from it, and this package's generated code
// (config_gen.go) comes from it.
func SchemaJSON() string {
	lib, err := native()
	if err != nil {
		return ""
	}
	return goString(lib.schemaJSON())
}
