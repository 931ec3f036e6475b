package provider

import (
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// Each gap is a key the library lists and something its schema does not
// say yet. When the library starts saying it, this fails: remove the gap
// from schemaGapsJSON (the library's own statement is used from then on).
func TestSchemaGapsAreStillGaps(t *testing.T) {
	raw, err := parseRawSchema(gesbackups.SchemaJSON())
	if err != nil {
		t.Fatal(err)
	}
	gaps := schemaGaps()
	for _, section := range []struct {
		name          string
		gaps, entries []libraryEntry
	}{{"config", gaps.Config, raw.Config}, {"query", gaps.Query, raw.Query}} {
		for _, gap := range section.gaps {
			e, ok := lookup(section.entries, gap.Name)
			if !ok {
				t.Errorf("the library has no %s key %q: remove it from schemaGapsJSON", section.name, gap.Name)
				continue
			}
			for _, said := range []struct {
				what           string
				gap, libraries bool
			}{
				{"minimum", gap.Minimum != nil, e.Minimum != nil},
				{"maximum", gap.Maximum != nil, e.Maximum != nil},
				{"allowed", gap.Allowed != nil, e.Allowed != nil},
				{"empty_string", gap.EmptyString != "", e.EmptyString != ""},
			} {
				if said.gap && said.libraries {
					t.Errorf("the library's schema now gives %s %q its %s: remove that from schemaGapsJSON", section.name, gap.Name, said.what)
				}
			}
		}
	}
}

// The provider's format checks name keys the library has, of type string.
func TestStringFormatsNameLibraryKeys(t *testing.T) {
	for name := range stringFormats {
		if e, ok := lookup(library().Config, name); !ok || e.Type != "string" {
			t.Errorf("stringFormats has %q, which is not a string key of the library: %+v", name, e)
		}
	}
}
