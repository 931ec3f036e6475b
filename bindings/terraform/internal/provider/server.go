package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewServer returns a constructor of the provider's plugin-protocol-6
// server: the framework's, except ReadDataSource of ges_backups, which goes
// to the data source's one read path (readBackupsState) without the
// framework's walks over the state (see backups_state.go). Validation,
// schemas and Configure stay the framework's.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &gesProvider{version: version}
		return &server{ProviderServer: providerserver.NewProtocol6(p)(), provider: p}, nil
	}
}

type server struct {
	tfprotov6.ProviderServer
	provider *gesProvider
}

// backupsType is the data source's state type, from its schema.
var backupsType = sync.OnceValue(func() tftypes.Object {
	var resp datasource.SchemaResponse
	(&backupsDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	return resp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
})

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != "ges_backups" {
		return s.ProviderServer.ReadDataSource(ctx, req) // the framework's error for an unknown type
	}
	fail := func(diags diag.Diagnostics) (*tfprotov6.ReadDataSourceResponse, error) {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}, nil
	}
	if req.Config == nil {
		var diags diag.Diagnostics
		diags.AddError("No configuration", "ReadDataSource came without the data source's configuration; this is a bug in the CLI.")
		return fail(diags)
	}
	config, err := req.Config.Unmarshal(backupsType())
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unexpected configuration", "The data source's configuration does not match its schema: "+err.Error())
		return fail(diags)
	}
	state, diags := readBackupsState(ctx, s.provider.configured(), config)
	if diags.HasError() {
		return fail(diags)
	}
	return &tfprotov6.ReadDataSourceResponse{State: &tfprotov6.DynamicValue{MsgPack: state}, Diagnostics: protoDiagnostics(diags)}, nil
}

// protoDiagnostics converts the provider's diagnostics.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath is p in the protocol's terms; nil for the empty path.
func attributePath(p path.Path) *tftypes.AttributePath {
	steps := p.Steps()
	if len(steps) == 0 {
		return nil
	}
	out := tftypes.NewAttributePath()
	for _, step := range steps {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			out = out.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			out = out.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			out = out.WithElementKeyString(string(s))
		default:
			return out // a set element: the path up to it
		}
	}
	return out
}
