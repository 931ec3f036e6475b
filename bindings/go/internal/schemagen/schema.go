// Package schemagen writes the Go code of package gesbackups that follows
// from the library's schema (ges_backups_schema_json): the Config struct and
// its JSON tags, the list of its strings checked for UTF-8, its redacted
// description, the Query struct and its JSON tags, the Backup struct, the mirror of the C struct GesBackup and
// the copier from one to the other. Nothing of a key or a field is then
// written by hand. Standard library only.
package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Schema is what the generator reads of the library's schema.
type Schema struct {
	ABIVersion int         `json:"abi_version"`
	Config     []Key       `json:"config"`
	Query      []Attribute `json:"query"`
	Result     []Attribute `json:"result"`
}

// Key is a config key.
type Key struct {
	Name        string          `json:"name"`
	Type        string          `json:"type"` // string, integer, bool or list
	Env         json.RawMessage `json:"env"`  // null, "A, B" or ["A", "B"]
	Default     json.RawMessage `json:"default"`
	Sensitive   bool            `json:"sensitive"`
	Description string          `json:"description"`
	Minimum     *json.Number    `json:"minimum"`
	Maximum     *json.Number    `json:"maximum"`
	Allowed     []string        `json:"allowed"`
	// EmptyString "off": "" turns the key and its environment fallback off,
	// so Go needs "not set" (nil) apart from "" (a pointer to "").
	EmptyString string      `json:"empty_string"`
	Attributes  []Attribute `json:"attributes"` // the fields of a list's elements
}

// Attribute is a result attribute, or a field of a list key's elements.
type Attribute struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Description string       `json:"description"`
	Sensitive   bool         `json:"sensitive"`
	Minimum     *json.Number `json:"minimum"`
	Maximum     *json.Number `json:"maximum"`
	Allowed     []string     `json:"allowed"`
	Attributes  []Attribute  `json:"attributes"`
}

// Parse reads a schema, strictly enough that a shape the generator does not
// know is an error rather than a silent gap.
func Parse(schemaJSON []byte) (*Schema, error) {
	var s Schema
	if err := json.Unmarshal(schemaJSON, &s); err != nil {
		return nil, fmt.Errorf("the schema is not JSON of the known shape: %w", err)
	}
	if len(s.Config) == 0 {
		return nil, fmt.Errorf("the schema has no config keys")
	}
	if len(s.Query) == 0 {
		return nil, fmt.Errorf("the schema has no query arguments")
	}
	if s.backups() == nil {
		return nil, fmt.Errorf("the schema's result has no backups list with attributes")
	}
	return &s, nil
}

// backups is the result's list of backups, whose attributes are Backup's.
func (s *Schema) backups() *Attribute {
	for i, a := range s.Result {
		if a.Name == "backups" && a.Type == "list" && len(a.Attributes) > 0 {
			return &s.Result[i]
		}
	}
	return nil
}

// envNames is the key's environment variables.
func (k Key) envNames() ([]string, error) {
	if len(k.Env) == 0 || string(k.Env) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(k.Env, &one); err == nil {
		var out []string
		for _, e := range strings.Split(one, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
		return out, nil
	}
	var many []string
	if err := json.Unmarshal(k.Env, &many); err != nil {
		return nil, fmt.Errorf("config key %s: env is neither a string nor a list of strings: %s", k.Name, k.Env)
	}
	return many, nil
}

// goName is a snake_case name in Go: each word capitalised, the
// initialisms of the Go style guide upper case (ID, IAM, API, CA, URL, ...):
// project_id is ProjectID, iam_endpoint IAMEndpoint, idp_id IdpID,
// id_token_file IDTokenFile, timeout_ms TimeoutMs.
func goName(snake string) string {
	var b strings.Builder
	for _, w := range strings.Split(snake, "_") {
		if w == "" {
			continue
		}
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

var initialisms = map[string]string{
	"id": "ID", "iam": "IAM", "api": "API", "ca": "CA", "url": "URL", "uri": "URI",
	"http": "HTTP", "https": "HTTPS", "json": "JSON", "tls": "TLS", "sdk": "SDK", "oidc": "OIDC",
}

// intType is the Go type of an integer key or attribute: int, or int64 when
// its range reaches past 32 bits (a key without a maximum fits in an int).
func intType(minimum, maximum *json.Number) string {
	for _, n := range []*json.Number{minimum, maximum} {
		if n == nil {
			continue
		}
		v, err := n.Int64()
		if err != nil || v > math.MaxInt32 || v < math.MinInt32 {
			return "int64"
		}
	}
	return "int"
}

// holdsURL is whether a key's value is a URL, which may carry a user and
// password: its description shows the URL with "REDACTED" for them. By
// name: the endpoints and the proxy.
func holdsURL(key string) bool {
	return key == "proxy" || strings.HasSuffix(key, "endpoint")
}

// comment is text as // lines of at most about 80 columns, indented by tabs.
func comment(text string, tabs int) string {
	indent := strings.Repeat("\t", tabs)
	var b bytes.Buffer
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > 76-4*tabs {
			b.WriteString(indent + "// " + line + "\n")
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		b.WriteString(indent + "// " + line + "\n")
	}
	return b.String()
}
