package provider

import (
	"encoding/json"
	"fmt"
)

// schemaGapsJSON is what the provider validates today that the linked
// library's schema does not state yet: the ranges of its integers, the values
// of its enumerated strings, and the keys that "" turns off. The library
// checks all of these itself; they are here so that `terraform validate`
// can too. Each is filled into the library's entry only where the entry does
// not say it, and TestSchemaGapsAreStillGaps fails as soon as the library
// states one: its line here must then go, and with the last one this file.
const schemaGapsJSON = `{
  "config": [
    {"name": "api_version", "allowed": ["v1.0", "v2"]},
    {"name": "timeout_ms", "minimum": 1, "maximum": 3600000},
    {"name": "connect_timeout_ms", "minimum": 1, "maximum": 3600000},
    {"name": "max_retries", "minimum": 0, "maximum": 10},
    {"name": "page_size", "minimum": 1, "maximum": 1000},
    {"name": "max_concurrency", "minimum": 1, "maximum": 64},
    {"name": "max_connections", "minimum": 1, "maximum": 256},
    {"name": "metadata_endpoint", "empty_string": "off"},
    {"name": "proxy", "empty_string": "off"}
  ],
  "query": [
    {"name": "status", "allowed": ["backing_up", "success", "failed"]},
    {"name": "backup_method", "allowed": ["auto", "manual"]}
  ]
}`

// schemaGaps parses schemaGapsJSON.
func schemaGaps() librarySchema {
	var g librarySchema
	if err := json.Unmarshal([]byte(schemaGapsJSON), &g); err != nil {
		panic(fmt.Sprintf("schemaGapsJSON: %v", err))
	}
	return g
}

// fillGaps fills s's entries from schemaGaps where they are silent.
func fillGaps(s *librarySchema) {
	g := schemaGaps()
	for _, section := range []struct{ gaps, entries []libraryEntry }{{g.Config, s.Config}, {g.Query, s.Query}} {
		for _, gap := range section.gaps {
			for i := range section.entries {
				if e := &section.entries[i]; e.Name == gap.Name {
					fillGap(e, gap)
				}
			}
		}
	}
}

func fillGap(e *libraryEntry, gap libraryEntry) {
	if e.Minimum == nil {
		e.Minimum = gap.Minimum
	}
	if e.Maximum == nil {
		e.Maximum = gap.Maximum
	}
	if e.Allowed == nil {
		e.Allowed = gap.Allowed
	}
	if e.EmptyString == "" {
		e.EmptyString = gap.EmptyString
	}
}
