package provider_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/terraform/internal/provider"
)

// The library's own description of itself, ges_backups_schema_json.
type libEntry struct {
	Name        string     `json:"name"`
	Type        string     `json:"type"`
	Description string     `json:"description"`
	Env         *string    `json:"env"`
	Default     any        `json:"default"`
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
	// Numbers as written: a default of 1073741824 is not 1.073741824e+09.
	dec := json.NewDecoder(strings.NewReader(gesbackups.SchemaJSON()))
	dec.UseNumber()
	if err := dec.Decode(&s); err != nil {
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

// providerSecrets are sensitive, whatever else changes in the schema.
var providerSecrets = []string{"secret_key", "security_token", "auth_token", "proxy"}

// The provider's attributes are exactly the library's config keys (a list
// key a list of blocks), and its own block assume_role_with_oidc: same
// names, types and sensitivity, the library's description with its
// environment variables and default.
func TestProviderSchemaMatchesLibrary(t *testing.T) {
	lib := loadLibSchema(t)
	p := newProtocol(t)
	block := p.schemas.Provider.Block
	var got []string
	for _, a := range block.Attributes {
		got = append(got, a.Name)
	}
	for _, b := range block.BlockTypes {
		if b.TypeName != "assume_role_with_oidc" {
			got = append(got, b.TypeName)
		}
	}
	sort.Strings(got)
	if want := entryNames(lib.Config); !slices.Equal(got, want) {
		t.Fatalf("provider attributes and blocks %v, library config keys %v", got, want)
	}
	for _, e := range lib.Config {
		description := ""
		if e.Type == "list" {
			b := blockType(block.BlockTypes, e.Name)
			if b == nil || b.Nesting != tfprotov6.SchemaNestedBlockNestingModeList {
				t.Errorf("%s: want a list of blocks, got %+v", e.Name, b)
				continue
			}
			description = b.Block.Description
			if got, want := attributeNames(b.Block.Attributes), entryNames(e.Attributes); !slices.Equal(got, want) {
				t.Errorf("%s: block attributes %v, library says %v", e.Name, got, want)
			}
			for _, ae := range e.Attributes {
				if a := attribute(b.Block.Attributes, ae.Name); !a.Optional || !a.Type.Is(tfType(t, ae.Type)) || a.Sensitive != ae.Sensitive {
					t.Errorf("%s.%s: %+v, library says %+v", e.Name, ae.Name, a, ae)
				}
			}
		} else {
			a := attribute(block.Attributes, e.Name)
			if !a.Optional || a.Required || a.Computed {
				t.Errorf("%s: want optional only", e.Name)
			}
			if !a.Type.Is(tfType(t, e.Type)) {
				t.Errorf("%s: type %v, library says %s", e.Name, a.Type, e.Type)
			}
			if a.Sensitive != e.Sensitive {
				t.Errorf("%s: sensitive %v, library says %v", e.Name, a.Sensitive, e.Sensitive)
			}
			description = a.Description
		}
		if !strings.HasPrefix(description, e.Description) {
			t.Errorf("%s: description %q does not start with the library's %q", e.Name, description, e.Description)
		}
		if e.Env != nil {
			for _, env := range envNames(*e.Env) {
				if !strings.Contains(description, "`"+env+"`") {
					t.Errorf("%s: description does not name its environment variable %s", e.Name, env)
				}
			}
		}
		if e.Default != nil && !strings.Contains(description, fmt.Sprintf("Default: `%v`.", e.Default)) {
			t.Errorf("%s: description %q does not give the default %v", e.Name, description, e.Default)
		}
	}
	for _, secret := range providerSecrets {
		if a := attribute(block.Attributes, secret); a == nil || !a.Sensitive {
			t.Errorf("%s is not sensitive", secret)
		}
	}
}

// `terraform validate` checks what the library's schema says of each key:
// the ends of its range pass and the numbers beyond them do not, every
// allowed value passes and another does not, and "" passes where it turns
// the key off.
func TestProviderChecksFollowLibrary(t *testing.T) {
	p := newProtocol(t)
	accept := func(name string, v tftypes.Value) {
		t.Helper()
		noDiagnostics(t, name+" "+v.String(), p.validateProvider(t, map[string]tftypes.Value{name: v}))
	}
	refuse := func(name string, v tftypes.Value, want string) {
		t.Helper()
		d := oneError(t, p.validateProvider(t, map[string]tftypes.Value{name: v}))
		if d.Attribute == nil || !d.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(name)) || !strings.Contains(d.Detail, want) {
			t.Errorf("%s %v: %s, want %q on %s", name, v, describe(d), want, name)
		}
	}
	var ranged, enumerated, off int
	for _, e := range provider.LibraryConfig() {
		switch {
		case e.Type == "integer":
			lo, hi := e.Minimum, e.Maximum
			if lo == nil || hi == nil {
				t.Errorf("%s: no range to check in the library's schema", e.Name)
				continue
			}
			ranged++
			want := fmt.Sprintf("%s must be a whole number from %d to %d, got ", e.Name, lo, hi)
			accept(e.Name, bigNumber(lo, 0))
			accept(e.Name, bigNumber(hi, 0))
			refuse(e.Name, bigNumber(lo, -1), want)
			refuse(e.Name, bigNumber(hi, 1), want)
			refuse(e.Name, fraction(float64(lo.Int64())+0.5), want)
		case e.Type == "string":
			for _, v := range e.Allowed {
				accept(e.Name, str(v))
			}
			if len(e.Allowed) > 0 {
				enumerated++
				refuse(e.Name, str(strings.ToUpper(e.Allowed[0])), e.Name+" must be one of "+strings.Join(e.Allowed, ", "))
			}
			if e.EmptyString == "off" {
				off++
				accept(e.Name, str(""))
			}
		}
	}
	t.Logf("checked %d ranges, %d enumerations, %d keys that \"\" turns off", ranged, enumerated, off)
	if ranged == 0 || enumerated == 0 || off == 0 {
		t.Error("a kind of check was never exercised")
	}
}

func bigNumber(n *big.Int, plus int64) tftypes.Value {
	m := new(big.Int).Add(n, big.NewInt(plus))
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt(m))
}

func blockType(blocks []*tfprotov6.SchemaNestedBlock, name string) *tfprotov6.SchemaNestedBlock {
	for _, b := range blocks {
		if b.TypeName == name {
			return b
		}
	}
	return nil
}

// The data source's arguments are the library's query arguments but offset,
// limit and deadline_ms; its computed attributes are the library's result,
// with the 17 backup fields.
func TestDataSourceSchemaMatchesLibrary(t *testing.T) {
	lib := loadLibSchema(t)
	p := newProtocol(t)
	block := p.schemas.DataSourceSchemas["ges_backups"].Block
	attrs := block.Attributes
	// The time budget: a timeouts block with read, as the framework's
	// timeouts module declares it.
	if len(block.BlockTypes) != 1 || block.BlockTypes[0].TypeName != "timeouts" || block.BlockTypes[0].Nesting != tfprotov6.SchemaNestedBlockNestingModeSingle {
		t.Errorf("blocks %+v, want timeouts", block.BlockTypes)
	} else if read := attribute(block.BlockTypes[0].Block.Attributes, "read"); read == nil || !read.Optional || !read.Type.Is(tftypes.String) ||
		len(block.BlockTypes[0].Block.Attributes) != 1 {
		t.Errorf("timeouts: %+v, want an optional read string only", block.BlockTypes[0].Block.Attributes)
	}

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
		switch e.Name {
		case "total_count":
			// The provider's own description says plainly what the count is.
			if !strings.Contains(a.Description, "before any filter") {
				t.Errorf("total_count: description %q does not say it counts before filters", a.Description)
			}
		case "backups":
			// The library's speaks of offset and limit, which the data source has not.
			if strings.Contains(a.Description, "offset") || strings.Contains(a.Description, "limit") || !strings.Contains(a.Description, "newest first") {
				t.Errorf("backups: description %q", a.Description)
			}
		default:
			if a.Description != e.Description {
				t.Errorf("result %s: description %q, library says %q", e.Name, a.Description, e.Description)
			}
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

// assume_role_with_oidc is one block (terraform-provider-huaweicloud's
// names) whose attributes take the library's descriptions, types and
// sensitivity from its OIDC keys and assume_role's attributes, and fall
// back to terraform-provider-huaweicloud's HW_ASSUME_ROLE_* variables.
func TestOIDCBlockSchema(t *testing.T) {
	lib := loadLibSchema(t)
	var assumeRole []libEntry
	for _, e := range lib.Config {
		if e.Name == "assume_role" {
			assumeRole = e.Attributes
		}
	}
	from := map[string]struct {
		entries []libEntry
		env     string
	}{
		"idp_id":        {lib.Config, "HW_ASSUME_ROLE_IDP_ID"},
		"id_token_file": {lib.Config, "HW_ASSUME_ROLE_ID_TOKEN_FILE"},
		"id_token":      {lib.Config, "HW_ASSUME_ROLE_ID_TOKEN"},
		"agency_name":   {assumeRole, "HW_ASSUME_ROLE_AGENCY_NAME"},
		"domain_id":     {assumeRole, "HW_ASSUME_ROLE_DOMAIN_ID"},
		"duration":      {assumeRole, "HW_ASSUME_ROLE_DURATION"},
	}
	b := blockType(newProtocol(t).schemas.Provider.Block.BlockTypes, "assume_role_with_oidc")
	if b == nil || b.Nesting != tfprotov6.SchemaNestedBlockNestingModeSingle {
		t.Fatalf("assume_role_with_oidc: want a single block, got %+v", b)
	}
	if len(b.Block.Attributes) != len(from) {
		t.Errorf("assume_role_with_oidc has %v, want %d attributes", attributeNames(b.Block.Attributes), len(from))
	}
	for name, f := range from {
		a := attribute(b.Block.Attributes, name)
		var e *libEntry
		for i := range f.entries {
			if f.entries[i].Name == name {
				e = &f.entries[i]
			}
		}
		if a == nil || e == nil {
			t.Errorf("%s: attribute %+v, library entry %+v", name, a, e)
			continue
		}
		if !a.Optional || !a.Type.Is(tfType(t, e.Type)) || a.Sensitive != e.Sensitive ||
			!strings.HasPrefix(a.Description, e.Description) || !strings.Contains(a.Description, "`"+f.env+"`") {
			t.Errorf("%s: %+v; library says %+v, variable %s", name, a, e, f.env)
		}
	}
	if a := attribute(b.Block.Attributes, "id_token"); a == nil || !a.Sensitive {
		t.Error("assume_role_with_oidc.id_token is not sensitive")
	}
}
