package gesbackups

// schema_gen.go comes from the schema of the library the package is built
// with (SchemaJSON): TestGeneratedCodeIsCurrent fails when it differs, and
// with -update writes it (internal/schemagen does the work).
//
//go:generate go test -count=1 -run ^TestGeneratedCodeIsCurrent$ . -update
