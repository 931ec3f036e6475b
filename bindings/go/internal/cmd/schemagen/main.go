// Command schemagen writes schema_gen.go of package gesbackups from the
// library's schema (the JSON of ges_backups_schema_json), read from stdin:
//
//	go run ./internal/cmd/schemagen -o schema_gen.go < schema.json
//
// `go generate` in bindings/go runs it with the schema of the library the
// package is built with (gen.go).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ges-backups/ges-backups/bindings/go/internal/schemagen"
)

func main() {
	out := flag.String("o", "", "file to write (default: stdout)")
	flag.Parse()
	schema, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	code, err := schemagen.Generate(schema)
	if err != nil {
		fail(err)
	}
	if *out == "" {
		_, err = os.Stdout.Write(code)
	} else {
		err = os.WriteFile(*out, code, 0o644)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "schemagen:", err)
	os.Exit(1)
}
