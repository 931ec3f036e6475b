package gesbackups

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/ges-backups/ges-backups/bindings/go/internal/schemagen"
)

var update = flag.Bool("update", false, "write schema_gen.go from the library's schema")

// schema_gen.go is what the generator makes of the schema of the library
// under test: a key or field added to the library reaches Config and Backup
// by regenerating, never by hand.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	want, err := schemagen.Generate([]byte(SchemaJSON()))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("schema_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("schema_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		line := 0
		for line < min(len(g), len(w)) && g[line] == w[line] {
			line++
		}
		at := func(lines []string) string {
			if line < len(lines) {
				return lines[line]
			}
			return "(end of file)"
		}
		t.Fatalf("schema_gen.go is not what the library's schema gives; regenerate it: %s\n"+
			"(that is: go test -run TestGeneratedCodeIsCurrent . -update)\nfirst difference, line %d:\n committed: %s\n generated: %s",
			schemagen.Command, line+1, at(g), at(w))
	}
}
