// Package gesbackups lists Huawei Cloud Graph Engine Service (GES) backups
// through the ges-backups Rust library, linked in statically through cgo: a
// program built with the package has no run-time dependency on
// libges_backups.
//
// The package finds the library with pkg-config (ges_backups_static.pc of a
// prefix made by `make install PREFIX=DIR` at the repository root): set
// PKG_CONFIG_PATH=DIR/lib/pkgconfig before building. See README.md, section
// Install.
//
// Create one Client with NewClient, use it from any number of goroutines, and
// Close it when done. ListBackups runs a Query, the ges_backups data source of
// the Terraform provider: it pages through every backup and returns those that
// match, newest first. A context deadline becomes the call's time budget,
// and a context that ends cancels the library's call. Config.Logger receives
// the library's log records. Failures are *Error values with a Kind, the HTTP status, the service's error
// code and the request id.
package gesbackups
