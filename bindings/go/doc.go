// Package gesbackups lists Huawei Cloud Graph Engine Service (GES) backups
// through the ges-backups Rust library, linked in statically through cgo: a
// program built with the package has no run-time dependency on
// libges_backups.
//
// Build the library first, at the repository root:
//
//	cargo build --release
//
// Create one Client with NewClient, use it from any number of goroutines, and
// Close it when done. ListBackups runs a Query, the ges_backups data source of
// the Terraform provider: it pages through every backup and returns those that
// match, newest first. A context deadline becomes the call's time budget.
// Failures are *Error values with a Kind, the HTTP status, the service's error
// code and the request id.
package gesbackups
