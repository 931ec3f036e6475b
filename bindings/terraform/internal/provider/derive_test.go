package provider

import (
	"context"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// handMadeSchema has every shape a config key can take in the library's
// schema, the ones it does not use yet included: bounds (one of them
// 64-bit), allowed values, "" as off, a bool, and a list of objects.
const handMadeSchema = `{"abi_version": 1,
  "config": [
    {"name": "endpoint", "type": "string", "env": "T_ENDPOINT", "default": null, "description": "Base URL."},
    {"name": "secret_key", "type": "string", "env": "T_SECRET, T_SK", "sensitive": true, "description": "Secret."},
    {"name": "signing_algorithm", "type": "string", "allowed": ["HmacSHA256", "HmacSM3"], "default": "HmacSHA256", "description": "Algorithm."},
    {"name": "page_size", "type": "integer", "minimum": 1, "maximum": 1000, "default": 100, "description": "Page."},
    {"name": "max_listing_bytes", "type": "integer", "minimum": 1, "maximum": 9223372036854775807, "description": "Bytes."},
    {"name": "proxy", "type": "string", "empty_string": "off", "sensitive": true, "env": "T_PROXY", "description": "Proxy."},
    {"name": "insecure", "type": "bool", "env": "T_INSECURE", "default": false, "description": "Insecure."},
    {"name": "assume_role", "type": "list", "env": "T_AGENCY", "description": "Roles.", "attributes": [
      {"name": "agency_name", "type": "string", "description": "Agency."},
      {"name": "domain_id", "type": "string", "description": "Domain."},
      {"name": "duration", "type": "integer", "minimum": 900, "maximum": 43200, "description": "Seconds."}
    ]}
  ],
  "query": [], "result": []}`

// handMadeConfig stands for gesbackups.Config of handMadeSchema.
type handMadeConfig struct {
	Endpoint, SecretKey, SigningAlgorithm string
	PageSize                              *int
	MaxListingBytes                       *int64
	Proxy                                 *string
	Insecure                              *bool
	AssumeRole                            []handMadeRole
}

type handMadeRole struct {
	AgencyName string `json:"agency_name"`
	DomainID   string
	Duration   *int
}

// handMadeProvider is a framework provider whose schema and Configure are
// the ges provider's, derived from handMadeSchema.
type handMadeProvider struct {
	keys   []libraryEntry
	fields []fieldBinding
	got    handMadeConfig
}

func (p *handMadeProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "handmade"
}

func (p *handMadeProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema(p.keys)
}

func (p *handMadeProvider) Configure(_ context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var values map[string]tftypes.Value
	if err := req.Config.Raw.As(&values); err != nil {
		resp.Diagnostics.AddError("config", err.Error())
		return
	}
	p.got = handMadeConfig{}
	setConfig(&p.got, p.fields, values, &resp.Diagnostics)
}

func (p *handMadeProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p *handMadeProvider) Resources(context.Context) []func() resource.Resource       { return nil }

func newHandMade(t *testing.T) (*handMadeProvider, tfprotov6.ProviderServer, tftypes.Object, *tfprotov6.Schema) {
	t.Helper()
	s, err := parseLibrarySchema(handMadeSchema)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := bindFields(s.Config, reflect.TypeFor[handMadeConfig]())
	if err != nil {
		t.Fatal(err)
	}
	p := &handMadeProvider{keys: s.Config, fields: fields}
	server := providerserver.NewProtocol6(p)()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, resp.Diagnostics)
	}
	return p, server, resp.Provider.ValueType().(tftypes.Object), resp.Provider
}

// config is an object of typ with the given attributes, the others null.
func config(t *testing.T, typ tftypes.Object, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func roles(typ tftypes.Object, elems ...map[string]tftypes.Value) tftypes.Value {
	list := typ.AttributeTypes["assume_role"].(tftypes.List)
	obj := list.ElementType.(tftypes.Object)
	var vals []tftypes.Value
	for _, e := range elems {
		full := map[string]tftypes.Value{}
		for name, at := range obj.AttributeTypes {
			full[name] = tftypes.NewValue(at, nil)
			if v, ok := e[name]; ok {
				full[name] = v
			}
		}
		vals = append(vals, tftypes.NewValue(obj, full))
	}
	return tftypes.NewValue(list, vals)
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
func tfNumber(n any) tftypes.Value    { return tftypes.NewValue(tftypes.Number, n) }

// The provider's schema comes from the library's: a key of each shape
// becomes an attribute (a list, a list of blocks) of the right type,
// sensitivity and description.
func TestProviderSchemaFromHandMadeSchema(t *testing.T) {
	_, _, _, schema := newHandMade(t)
	attrs := map[string]*tfprotov6.SchemaAttribute{}
	for _, a := range schema.Block.Attributes {
		attrs[a.Name] = a
	}
	for name, typ := range map[string]tftypes.Type{
		"endpoint": tftypes.String, "secret_key": tftypes.String, "signing_algorithm": tftypes.String, "page_size": tftypes.Number,
		"max_listing_bytes": tftypes.Number, "proxy": tftypes.String, "insecure": tftypes.Bool,
	} {
		a, ok := attrs[name]
		if !ok || !a.Type.Is(typ) || !a.Optional || a.Required || a.Computed {
			t.Errorf("%s: %+v, want an optional %v", name, a, typ)
		}
	}
	if len(attrs) != 7 {
		t.Errorf("%d attributes, want 7", len(attrs))
	}
	if !attrs["secret_key"].Sensitive || !attrs["proxy"].Sensitive || attrs["endpoint"].Sensitive {
		t.Error("sensitivity is not the library's")
	}
	for name, want := range map[string]string{
		"secret_key":        "Secret. Falls back to the environment variables `T_SECRET`, `T_SK`.",
		"endpoint":          "Base URL. Falls back to the environment variable `T_ENDPOINT`.",
		"signing_algorithm": "Algorithm. Default: `HmacSHA256`.",
		"insecure":          "Insecure. Falls back to the environment variable `T_INSECURE`. Default: `false`.",
		"page_size":         "Page. Default: `100`.",
	} {
		if attrs[name].Description != want {
			t.Errorf("%s: description %q, want %q", name, attrs[name].Description, want)
		}
	}
	if len(schema.Block.BlockTypes) != 1 {
		t.Fatalf("blocks %v, want assume_role", schema.Block.BlockTypes)
	}
	role := schema.Block.BlockTypes[0]
	if role.TypeName != "assume_role" || role.Nesting != tfprotov6.SchemaNestedBlockNestingModeList || !strings.Contains(role.Block.Description, "T_AGENCY") {
		t.Errorf("assume_role: %+v", role)
	}
	nested := map[string]tftypes.Type{}
	for _, a := range role.Block.Attributes {
		nested[a.Name] = a.Type
	}
	if !reflect.DeepEqual(nested, map[string]tftypes.Type{"agency_name": tftypes.String, "domain_id": tftypes.String, "duration": tftypes.Number}) {
		t.Errorf("assume_role attributes %v", nested)
	}
}

// The checks come from the library's bounds, allowed values and "" as off,
// in a list block too.
func TestValidatorsFromHandMadeSchema(t *testing.T) {
	_, server, typ, _ := newHandMade(t)
	validate := func(attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
		resp, err := server.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{Config: config(t, typ, attrs)})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	maxInt64 := new(big.Float).SetInt64(1<<63 - 1)
	valid := map[string]tftypes.Value{
		"endpoint": tfString("https://ges.example.com"), "signing_algorithm": tfString("HmacSM3"), "page_size": tfNumber(1000),
		"max_listing_bytes": tfNumber(maxInt64), "proxy": tfString(""), "insecure": tftypes.NewValue(tftypes.Bool, true),
		"assume_role": roles(typ, map[string]tftypes.Value{"agency_name": tfString("a"), "duration": tfNumber(900)}),
	}
	if d := validate(valid); len(d) > 0 {
		t.Fatalf("valid config: %v", d[0])
	}
	beyond := new(big.Float).Add(maxInt64, big.NewFloat(1))
	for _, tc := range []struct {
		attrs map[string]tftypes.Value
		path  *tftypes.AttributePath
		want  string
	}{
		{map[string]tftypes.Value{"page_size": tfNumber(0)}, tftypes.NewAttributePath().WithAttributeName("page_size"),
			"page_size must be a whole number from 1 to 1000, got 0."},
		{map[string]tftypes.Value{"page_size": tfNumber(big.NewFloat(2.5))}, tftypes.NewAttributePath().WithAttributeName("page_size"), "got 2.5."},
		{map[string]tftypes.Value{"max_listing_bytes": tfNumber(beyond)}, tftypes.NewAttributePath().WithAttributeName("max_listing_bytes"),
			"max_listing_bytes must be a whole number from 1 to 9223372036854775807"},
		{map[string]tftypes.Value{"signing_algorithm": tfString("HmacMD5")}, tftypes.NewAttributePath().WithAttributeName("signing_algorithm"),
			"signing_algorithm must be one of HmacSHA256, HmacSM3."},
		{map[string]tftypes.Value{"proxy": tfString("ftp://p:21")}, tftypes.NewAttributePath().WithAttributeName("proxy"),
			`proxy must be an http://, https:// or socks5:// URL, or "" to turn it off.`},
		{map[string]tftypes.Value{"endpoint": tfString("")}, tftypes.NewAttributePath().WithAttributeName("endpoint"),
			"endpoint must be an http:// or https:// URL with a host."},
		{map[string]tftypes.Value{"secret_key": tfString("s\r\nX: 1")}, tftypes.NewAttributePath().WithAttributeName("secret_key"),
			"secret_key must be free of control characters"},
		{map[string]tftypes.Value{"assume_role": roles(typ, map[string]tftypes.Value{}, map[string]tftypes.Value{"duration": tfNumber(60)})},
			tftypes.NewAttributePath().WithAttributeName("assume_role").WithElementKeyInt(1).WithAttributeName("duration"),
			"must be a whole number from 900 to 43200, got 60."},
	} {
		d := validate(tc.attrs)
		if len(d) != 1 || !strings.Contains(d[0].Detail, tc.want) || !d[0].Attribute.Equal(tc.path) {
			t.Errorf("%v: diagnostics %v, want one at %v saying %q", tc.attrs, d, tc.path, tc.want)
		}
	}
}

// Configure gives every value to its Go field: null leaves it unset, ""
// of an off key is a pointer to "", numbers and bools are pointers, a list
// of blocks a slice.
func TestConfigureFromHandMadeSchema(t *testing.T) {
	p, server, typ, _ := newHandMade(t)
	configure := func(attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
		resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: config(t, typ, attrs)})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	if d := configure(map[string]tftypes.Value{
		"endpoint": tfString("https://ges.example.com"), "secret_key": tfString("sk"), "page_size": tfNumber(7),
		"max_listing_bytes": tfNumber(int64(1) << 40), "proxy": tfString(""), "insecure": tftypes.NewValue(tftypes.Bool, false),
		"assume_role": roles(typ,
			map[string]tftypes.Value{"agency_name": tfString("first"), "domain_id": tfString("d1"), "duration": tfNumber(3600)},
			map[string]tftypes.Value{"agency_name": tfString("second")}),
	}); len(d) > 0 {
		t.Fatalf("configure: %v", d[0])
	}
	seven, big40, off, no, hour := 7, int64(1)<<40, "", false, 3600
	want := handMadeConfig{
		Endpoint: "https://ges.example.com", SecretKey: "sk", PageSize: &seven, MaxListingBytes: &big40, Proxy: &off, Insecure: &no,
		AssumeRole: []handMadeRole{{AgencyName: "first", DomainID: "d1", Duration: &hour}, {AgencyName: "second"}},
	}
	if !reflect.DeepEqual(p.got, want) {
		t.Errorf("configured\n %+v\nwant\n %+v", p.got, want)
	}

	if d := configure(nil); len(d) > 0 || !reflect.DeepEqual(p.got, handMadeConfig{}) {
		t.Errorf("all null: %v, %+v; want nothing set", d, p.got)
	}

	// Without validation (a protocol client), a number out of range is
	// refused on its attribute, never truncated.
	d := configure(map[string]tftypes.Value{"assume_role": roles(typ, map[string]tftypes.Value{"duration": tfNumber(big.NewFloat(1000.5))})})
	at := tftypes.NewAttributePath().WithAttributeName("assume_role").WithElementKeyInt(0).WithAttributeName("duration")
	if len(d) != 1 || !d[0].Attribute.Equal(at) || !strings.Contains(d[0].Detail, "from 900 to 43200, got 1000.5") {
		t.Errorf("fractional duration: %v", d)
	}
	d = configure(map[string]tftypes.Value{"page_size": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)})
	if len(d) != 1 || d[0].Summary != "Unknown provider configuration value" {
		t.Errorf("unknown page_size: %v", d)
	}
}

// A Go type that cannot carry a key is refused when the provider starts,
// naming the key.
func TestBindFieldsRefusesMismatches(t *testing.T) {
	s, err := parseLibrarySchema(handMadeSchema)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[struct{ Endpoint string }](), `no field for the library's string "secret_key"`},
		{reflect.TypeFor[struct {
			Endpoint, SecretKey, SigningAlgorithm string
			PageSize                              *string
		}](), `cannot hold the library's integer "page_size"`},
		{reflect.TypeFor[struct {
			Endpoint, SecretKey, SigningAlgorithm string
			PageSize, MaxListingBytes             *int
			Proxy                                 string
		}](), `cannot hold the library's string "proxy" ("" turns it off`},
	} {
		if _, err := bindFields(s.Config, tc.typ); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.typ, err, tc.want)
		}
	}
}
