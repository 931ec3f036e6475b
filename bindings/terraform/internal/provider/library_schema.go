package provider

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// librarySchema is the JSON of ges_backups_schema_json: the library's own
// description of every config key, query argument and result attribute.
// The provider's attributes, their types, sensitivity, descriptions and
// validators, and the fields of the library's Go types they go to, are all
// derived from it at run time (provider_schema.go, backups_schema.go,
// bind.go): a key the library adds becomes an attribute with no edit here.
type librarySchema struct {
	ABIVersion int            `json:"abi_version"`
	Config     []libraryEntry `json:"config"`
	Query      []libraryEntry `json:"query"`
	Result     []libraryEntry `json:"result"`
}

// libraryEntry is one key, argument or attribute of the library's schema.
type libraryEntry struct {
	Name        string  `json:"name"`
	Type        string  `json:"type"` // "string", "integer", "bool", "list"
	Description string  `json:"description"`
	Env         *string `json:"env"` // one name, or several: "A, B"
	Default     any     `json:"default"`
	Sensitive   bool    `json:"sensitive"`
	// Minimum and Maximum bound an integer (either may be absent).
	Minimum, Maximum *big.Int `json:"-"`
	// Allowed are the only values of an enumerated string.
	Allowed []string `json:"allowed"`
	// EmptyString "off": "" turns the key, and its environment fallback, off.
	EmptyString string `json:"empty_string"`
	// Attributes are the fields of each element of a "list".
	Attributes []libraryEntry `json:"attributes"`
}

// UnmarshalJSON reads the bounds as exact integers (a 64-bit maximum does
// not survive a float64).
func (e *libraryEntry) UnmarshalJSON(b []byte) error {
	type plain libraryEntry
	var raw struct {
		plain
		Minimum *json.Number `json:"minimum"`
		Maximum *json.Number `json:"maximum"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	*e = libraryEntry(raw.plain)
	for _, bound := range []struct {
		from *json.Number
		to   **big.Int
	}{{raw.Minimum, &e.Minimum}, {raw.Maximum, &e.Maximum}} {
		if bound.from == nil {
			continue
		}
		n, ok := new(big.Int).SetString(bound.from.String(), 10)
		if !ok {
			return fmt.Errorf("%s: bound %s is not an integer", e.Name, *bound.from)
		}
		*bound.to = n
	}
	return nil
}

// envNames are the environment variables of e, in the library's order.
func (e libraryEntry) envNames() []string {
	if e.Env == nil || *e.Env == "" {
		return nil
	}
	return strings.Split(*e.Env, ", ")
}

var loadLibrarySchema = sync.OnceValues(func() (*librarySchema, error) {
	return parseLibrarySchema(gesbackups.SchemaJSON())
})

// parseLibrarySchema parses the library's schema.
func parseLibrarySchema(js string) (*librarySchema, error) {
	var s librarySchema
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		return nil, fmt.Errorf("ges_backups_schema_json is not valid JSON: %w", err)
	}
	return &s, nil
}

// library returns the parsed library schema. The JSON is static and compiled
// into the library, and the tests parse it, so a failure here is a build
// defect: it panics rather than serve a provider without a schema.
func library() *librarySchema {
	s, err := loadLibrarySchema()
	if err != nil {
		panic(err)
	}
	return s
}

func lookup(entries []libraryEntry, name string) (libraryEntry, bool) {
	for _, e := range entries {
		if e.Name == name {
			return e, true
		}
	}
	return libraryEntry{Name: name}, false
}

// providerDescription is the library's description of a config key, with its
// environment variables and default.
func providerDescription(e libraryEntry) string {
	var b strings.Builder
	b.WriteString(e.Description)
	switch names := e.envNames(); len(names) {
	case 0:
	case 1:
		fmt.Fprintf(&b, " Falls back to the environment variable `%s`.", names[0])
	default:
		fmt.Fprintf(&b, " Falls back to the environment variables `%s`.", strings.Join(names, "`, `"))
	}
	if e.Default != nil {
		fmt.Fprintf(&b, " Default: `%v`.", e.Default)
	}
	return b.String()
}
