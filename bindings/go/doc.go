// Package gesbackups lists Huawei Cloud Graph Engine Service (GES) backups
// through the ges-backups Rust library (C ABI version 1).
//
// With cgo (the default where a C compiler is found), the library is
// linked in statically: the package finds it with pkg-config
// (ges_backups_static.pc of a prefix made by `make install PREFIX=DIR` at the
// repository root; set PKG_CONFIG_PATH=DIR/lib/pkgconfig before building),
// and a program built with it has no run-time dependency on libges_backups.
//
// Without cgo (CGO_ENABLED=0), the package has the same API and behaviour
// and calls the shared library at run time through
// github.com/ebitengine/purego: the file named by the GES_BACKUPS_LIBRARY
// environment variable, else the system's search for libges_backups.so.1
// (libges_backups.1.dylib on macOS, ges_backups.dll on Windows). It is
// loaded on first use: a library that cannot be loaded, or of another C ABI
// version, is an error from NewClient that says where it looked, never a
// panic. Such a program cross-compiles (GOOS, GOARCH) without a C toolchain.
// See README.md, section Install.
//
// Create one Client with NewClient, use it from any number of goroutines, and
// Close it when done. ListBackups runs a Query, the ges_backups data source of
// the Terraform provider: it pages through every backup and returns those
// that match, newest first; ListBackupsJSON returns the library's result
// JSON instead. A context deadline becomes the call's time budget, and a
// context that ends cancels the library's call. Config.Logger receives the
// library's log records, none of which holds a secret. Config takes every
// credential source of the library: AK/SK, IAM tokens, an IAM user's
// password, OIDC federation (IdpID with IDTokenFile or IDToken), and
// agencies to assume (AssumeRole); Config.ForRegion is the same config for
// another region, whose project is looked up in IAM. Failures are *Error values with a Kind, the HTTP
// status, the service's error code and the request id; errors.Is matches
// them with the sentinel of their kind (ErrAPI, ErrTransport, ...).
//
// Config, Query and Backup are generated from the library's schema (SchemaJSON) by
// internal/cmd/schemagen: see schema_gen.go and gen.go.
package gesbackups
