package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// librarySchema is the JSON of ges_backups_schema_json: the library's own
// description of every config key, query argument and result attribute. The
// provider takes its descriptions and the sensitivity of its attributes from
// it, so the two cannot drift; schema_test.go checks names and types.
type librarySchema struct {
	ABIVersion int            `json:"abi_version"`
	Config     []libraryEntry `json:"config"`
	Query      []libraryEntry `json:"query"`
	Result     []libraryEntry `json:"result"`
}

type libraryEntry struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"` // "string", "integer", "bool", "list"
	Description string         `json:"description"`
	Env         *string        `json:"env"`
	Default     any            `json:"default"`
	Sensitive   bool           `json:"sensitive"`
	Attributes  []libraryEntry `json:"attributes"`
}

var loadLibrarySchema = sync.OnceValues(func() (*librarySchema, error) {
	var s librarySchema
	if err := json.Unmarshal([]byte(gesbackups.SchemaJSON()), &s); err != nil {
		return nil, fmt.Errorf("ges_backups_schema_json is not valid JSON: %w", err)
	}
	return &s, nil
})

// library returns the parsed library schema. The JSON is static and compiled
// into the library, and the tests parse it, so a failure here is a build
// defect: it panics rather than serve a provider without descriptions.
func library() *librarySchema {
	s, err := loadLibrarySchema()
	if err != nil {
		panic(err)
	}
	return s
}

func find(entries []libraryEntry, name string) libraryEntry {
	e, _ := lookup(entries, name)
	return e
}

func lookup(entries []libraryEntry, name string) (libraryEntry, bool) {
	for _, e := range entries {
		if e.Name == name {
			return e, true
		}
	}
	return libraryEntry{Name: name}, false
}

// configEntry is the library's entry for a provider attribute, and whether
// the linked library lists the key at all (a library older than contract
// 1.1 lacks its keys).
func (s *librarySchema) configEntry(name string) (libraryEntry, bool) { return lookup(s.Config, name) }

// queryEntry is the library's entry for a data source argument.
func (s *librarySchema) queryEntry(name string) libraryEntry { return find(s.Query, name) }

// resultEntry is the library's entry for a computed data source attribute.
func (s *librarySchema) resultEntry(name string) libraryEntry { return find(s.Result, name) }

// backupEntry is the library's entry for an attribute of one backup.
func (s *librarySchema) backupEntry(name string) libraryEntry {
	return find(s.resultEntry("backups").Attributes, name)
}

// providerDescription is the library's description of a config key, with its
// environment variable and default.
func providerDescription(e libraryEntry) string {
	var b strings.Builder
	b.WriteString(e.Description)
	if e.Env != nil && *e.Env != "" {
		if names := strings.Split(*e.Env, ", "); len(names) > 1 {
			fmt.Fprintf(&b, " Falls back to the environment variables `%s`.", strings.Join(names, "`, `"))
		} else {
			fmt.Fprintf(&b, " Falls back to the environment variable `%s`.", *e.Env)
		}
	}
	if e.Default != nil {
		fmt.Fprintf(&b, " Default: `%v`.", e.Default)
	}
	return b.String()
}
