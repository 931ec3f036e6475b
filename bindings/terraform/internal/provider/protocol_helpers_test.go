package provider_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
	"github.com/ges-backups/ges-backups/bindings/terraform/internal/provider"
)

const (
	testProject = "demo-project"
	testToken   = "emulator-token-not-a-real-secret"
)

// protocol is the provider behind its plugin-protocol-6 server, in process,
// with its schemas.
type protocol struct {
	server   tfprotov6.ProviderServer
	schemas  *tfprotov6.GetProviderSchemaResponse
	provider tftypes.Object
	backups  tftypes.Object
}

func newProtocol(t testing.TB) *protocol {
	t.Helper()
	s, err := provider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	noDiagnostics(t, "GetProviderSchema", resp.Diagnostics)
	ds, ok := resp.DataSourceSchemas["ges_backups"]
	if !ok {
		t.Fatalf("no ges_backups data source; have %v", resp.DataSourceSchemas)
	}
	return &protocol{
		server:   s,
		schemas:  resp,
		provider: resp.Provider.ValueType().(tftypes.Object),
		backups:  ds.ValueType().(tftypes.Object),
	}
}

// configure sends ConfigureProvider with the given attributes (others null)
// and returns its diagnostics.
func (p *protocol) configure(t testing.TB, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	resp, err := p.server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.6.3",
		Config:           dynamicValue(t, p.provider, attrs),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// configureEmulator configures the provider for e with the test token.
func (p *protocol) configureEmulator(t testing.TB, e *emulatortest.Emulator, extra map[string]tftypes.Value) {
	t.Helper()
	attrs := map[string]tftypes.Value{
		"endpoint":   str(e.URL),
		"project_id": str(testProject),
		"auth_token": str(testToken),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	noDiagnostics(t, "ConfigureProvider", p.configure(t, attrs))
}

// validateProvider sends ValidateProviderConfig, as `terraform validate`
// does, and returns its diagnostics.
func (p *protocol) validateProvider(t testing.TB, attrs map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	resp, err := p.server.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{
		Config: dynamicValue(t, p.provider, attrs),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func (p *protocol) validate(t testing.TB, args map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	resp, err := p.server.ValidateDataResourceConfig(context.Background(), &tfprotov6.ValidateDataResourceConfigRequest{
		TypeName: "ges_backups",
		Config:   dynamicValue(t, p.backups, args),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// read sends ReadDataSource for ges_backups with the given arguments and
// returns the state as plain Go values, and the diagnostics.
func (p *protocol) read(t testing.TB, args map[string]tftypes.Value) (map[string]any, []*tfprotov6.Diagnostic) {
	t.Helper()
	resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: "ges_backups",
		Config:   dynamicValue(t, p.backups, args),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.State == nil {
		return nil, resp.Diagnostics
	}
	v, err := resp.State.Unmarshal(p.backups)
	if err != nil {
		t.Fatal(err)
	}
	state, _ := plain(t, v).(map[string]any)
	return state, resp.Diagnostics
}

// mustRead is read that fails the test on any diagnostic.
func (p *protocol) mustRead(t testing.TB, args map[string]tftypes.Value) map[string]any {
	t.Helper()
	state, diags := p.read(t, args)
	noDiagnostics(t, "ReadDataSource", diags)
	return state
}

// dynamicValue encodes an object of type typ with the given attributes, the
// others null.
func dynamicValue(t testing.TB, typ tftypes.Object, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q in %v", name, typ)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func str(s string) tftypes.Value   { return tftypes.NewValue(tftypes.String, s) }
func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
func number(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
func fraction(f float64) tftypes.Value {
	return tftypes.NewValue(tftypes.Number, big.NewFloat(f))
}
func unknownString() tftypes.Value { return tftypes.NewValue(tftypes.String, tftypes.UnknownValue) }

// plain converts a value to Go: objects to map[string]any, lists to []any,
// strings, bools, numbers to int64 (or *big.Float), null to nil.
func plain(t testing.TB, v tftypes.Value) any {
	t.Helper()
	if v.IsNull() {
		return nil
	}
	if !v.IsKnown() {
		t.Fatalf("unknown value in state: %v", v)
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		must(t, v.As(&s))
		return s
	case typ.Is(tftypes.Bool):
		var b bool
		must(t, v.As(&b))
		return b
	case typ.Is(tftypes.Number):
		var f big.Float
		must(t, v.As(&f))
		if i, acc := f.Int64(); acc == big.Exact {
			return i
		}
		return &f
	case typ.Is(tftypes.List{}):
		var elems []tftypes.Value
		must(t, v.As(&elems))
		out := make([]any, len(elems))
		for i, e := range elems {
			out[i] = plain(t, e)
		}
		return out
	case typ.Is(tftypes.Object{}):
		var attrs map[string]tftypes.Value
		must(t, v.As(&attrs))
		out := map[string]any{}
		for k, e := range attrs {
			out[k] = plain(t, e)
		}
		return out
	}
	t.Fatalf("unexpected type %v", typ)
	return nil
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func noDiagnostics(t testing.TB, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("%s: %s", what, describe(d))
	}
	if len(diags) > 0 {
		t.FailNow()
	}
}

// oneError asserts exactly one diagnostic, an error, and returns it.
func oneError(t testing.TB, diags []*tfprotov6.Diagnostic) *tfprotov6.Diagnostic {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
		var all []string
		for _, d := range diags {
			all = append(all, describe(d))
		}
		t.Fatalf("want one error diagnostic, got %d: %s", len(diags), strings.Join(all, "; "))
	}
	return diags[0]
}

func describe(d *tfprotov6.Diagnostic) string {
	s := d.Severity.String() + ": " + d.Summary + ": " + d.Detail
	if d.Attribute != nil {
		s += " (at " + d.Attribute.String() + ")"
	}
	return s
}
