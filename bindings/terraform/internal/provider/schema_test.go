package provider_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// The library's own description of itself, ges_backups_schema_json.
type libEntry struct {
	Name        string     `json:"name"`
	Type        string     `json:"type"`
	Description string     `json:"description"`
	Env         *string    `json:"env"`
	Sensitive   bool       `json:"sensitive"`
	Attributes  []libEntry `json:"attributes"`
}

type libSchema struct {
	ABIVersion int        `json:"abi_version"`
	Config     []libEntry `json:"config"`
	Query      []libEntry `json:"query"`
	Result     []libEntry `json:"result"`
}

func loadLibSchema(t testing.TB) libSchema {
	t.Helper()
	var s libSchema
	if err := json.Unmarshal([]byte(gesbackups.SchemaJSON()), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Config) == 0 || len(s.Query) == 0 || len(s.Result) == 0 {
		t.Fatalf("library schema lacks a section: %+v", s)
	}
	return s
}

func tfType(t testing.TB, libType string) tftypes.Type {
	t.Helper()
	switch libType {
	case "string":
		return tftypes.String
	case "integer":
		return tftypes.Number
	case "bool":
		return tftypes.Bool
	}
	t.Fatalf("library type %q has no scalar Terraform type", libType)
	return nil
}

func attributeNames(attrs []*tfprotov6.SchemaAttribute) []string {
	var out []string
	for _, a := range attrs {
		out = append(out, a.Name)
	}
	sort.Strings(out)
	return out
}

func entryNames(entries []libEntry, skip ...string) []string {
	var out []string
	for _, e := range entries {
		if !slices.Contains(skip, e.Name) {
			out = append(out, e.Name)
		}
	}
	sort.Strings(out)
	return out
}

// envNames splits the library's env field, one name or a list ("A, B").
func envNames(env string) []string {
	return strings.FieldsFunc(env, func(r rune) bool { return r == ',' || r == ' ' })
}

func attribute(attrs []*tfprotov6.SchemaAttribute, name string) *tfprotov6.SchemaAttribute {
	for _, a := range attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// contract11Keys are the config keys of contract 1.1. A library that does
// not list them yet (before its 1.1 merge) still gets them as provider
// attributes, with the provider's own descriptions; once it lists them they
// are checked like every other key.
var contract11Keys = []string{"cloud", "iam_endpoint", "shared_config_file", "profile", "credentials_file", "metadata_endpoint", "proxy"}

// providerSecrets are sensitive whatever the library says (a proxy URL may
// hold a password).
var providerSecrets = []string{"secret_key", "security_token", "auth_token", "proxy"}

// The provider's attributes are exactly the library's config keys: same
// names, types and sensitivity, descriptions taken from the library.
func TestProviderSchemaMatchesLibrary(t *testing.T) {
	lib := loadLibSchema(t)
	p := newProtocol(t)
	attrs := p.schemas.Provider.Block.Attributes

	want := entryNames(lib.Config)
	var pending []string
	for _, k := range contract11Keys {
		if !slices.Contains(want, k) {
			pending = append(pending, k)
		}
	}
	if len(pending) > 0 {
		t.Logf("the linked library does not list %v yet; the provider has them with its own descriptions", pending)
		want = append(want, pending...)
		sort.Strings(want)
	}
	if got := attributeNames(attrs); !slices.Equal(got, want) {
		t.Fatalf("provider attributes %v, library config keys (and pending 1.1 keys) %v", got, want)
	}
	for _, e := range lib.Config {
		a := attribute(attrs, e.Name)
		if !a.Optional || a.Required || a.Computed {
			t.Errorf("%s: want optional only", e.Name)
		}
		if !a.Type.Is(tfType(t, e.Type)) {
			t.Errorf("%s: type %v, library says %s", e.Name, a.Type, e.Type)
		}
		if a.Sensitive != (e.Sensitive || slices.Contains(providerSecrets, e.Name)) {
			t.Errorf("%s: sensitive %v, library says %v", e.Name, a.Sensitive, e.Sensitive)
		}
		if !strings.HasPrefix(a.Description, e.Description) {
			t.Errorf("%s: description %q does not start with the library's %q", e.Name, a.Description, e.Description)
		}
		if e.Env != nil {
			for _, env := range envNames(*e.Env) {
				if !strings.Contains(a.Description, env) {
					t.Errorf("%s: description does not name its environment variable %s", e.Name, env)
				}
			}
		}
	}
	for _, name := range pending {
		if a := attribute(attrs, name); !a.Optional || a.Description == "" || !a.Type.Is(tftypes.String) {
			t.Errorf("%s: want an optional, described string, got %+v", name, a)
		}
	}
	for _, secret := range providerSecrets {
		if !attribute(attrs, secret).Sensitive {
			t.Errorf("%s is not sensitive", secret)
		}
	}
}

// The data source's arguments are the library's query arguments but offset,
// limit and deadline_ms; its computed attributes are the library's result,
// with the 17 backup fields.
func TestDataSourceSchemaMatchesLibrary(t *testing.T) {
	lib := loadLibSchema(t)
	p := newProtocol(t)
	attrs := p.schemas.DataSourceSchemas["ges_backups"].Block.Attributes

	want := append(entryNames(lib.Query, "offset", "limit", "deadline_ms"), entryNames(lib.Result)...)
	want = append(want, "region") // the provider's own: another region's client
	sort.Strings(want)
	if a := attribute(attrs, "region"); a == nil || !a.Optional || a.Computed || !a.Type.Is(tftypes.String) {
		t.Errorf("region: want an optional string, got %+v", a)
	}
	if got := attributeNames(attrs); !slices.Equal(got, want) {
		t.Fatalf("data source attributes %v, want %v", got, want)
	}
	for _, e := range lib.Query {
		a := attribute(attrs, e.Name)
		if a == nil {
			continue // offset, limit, deadline_ms
		}
		if !a.Optional || a.Computed || a.Required {
			t.Errorf("argument %s: want optional only", e.Name)
		}
		if !a.Type.Is(tfType(t, e.Type)) {
			t.Errorf("argument %s: type %v, library says %s", e.Name, a.Type, e.Type)
		}
		if a.Description != e.Description {
			t.Errorf("argument %s: description %q, library says %q", e.Name, a.Description, e.Description)
		}
	}
	for _, e := range lib.Result {
		a := attribute(attrs, e.Name)
		if !a.Computed || a.Optional || a.Required {
			t.Errorf("result %s: want computed only", e.Name)
		}
		if e.Name == "total_count" {
			// The provider's own description says plainly what the count is.
			if !strings.Contains(a.Description, "before any filter") {
				t.Errorf("total_count: description %q does not say it counts before filters", a.Description)
			}
		} else if a.Description != e.Description {
			t.Errorf("result %s: description %q, library says %q", e.Name, a.Description, e.Description)
		}
		if e.Type != "list" {
			if !a.Type.Is(tfType(t, e.Type)) {
				t.Errorf("result %s: type %v, library says %s", e.Name, a.Type, e.Type)
			}
			continue
		}
		if a.NestedType == nil || a.NestedType.Nesting != tfprotov6.SchemaObjectNestingModeList {
			t.Fatalf("result %s: want a list of objects, got %+v", e.Name, a)
		}
		nested := a.NestedType.Attributes
		if got, want := attributeNames(nested), entryNames(e.Attributes); !slices.Equal(got, want) {
			t.Fatalf("backup attributes %v, library says %v", got, want)
		}
		if len(nested) != 17 {
			t.Errorf("a backup has %d attributes, want 17", len(nested))
		}
		for _, be := range e.Attributes {
			na := attribute(nested, be.Name)
			if !na.Type.Is(tfType(t, be.Type)) {
				t.Errorf("backups.%s: type %v, library says %s", be.Name, na.Type, be.Type)
			}
			if na.Description != be.Description {
				t.Errorf("backups.%s: description %q, library says %q", be.Name, na.Description, be.Description)
			}
		}
	}
}
