// Package provider implements the Terraform/OpenTofu provider "ges" on
// terraform-plugin-framework: its configuration is the ges-backups library's
// config (the repository's docs/configuration.md) and its one data source,
// ges_backups, the library's query (docs/contract.md, section Query). Both schemas
// are derived at run time from the library's own schema
// (ges_backups_schema_json), which is compiled into the library the
// provider links.
package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// Address is the provider's source address in debug (reattach) mode. With
// dev_overrides any address works.
const Address = "registry.terraform.io/ges-backups/ges"

type gesProvider struct {
	version string
	// data is what Configure made, for the server's ReadDataSource.
	data atomic.Pointer[providerData]
}

// configured is the provider's data once Configure succeeded, else nil.
func (p *gesProvider) configured() *providerData { return p.data.Load() }

var (
	_ provider.Provider                   = (*gesProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*gesProvider)(nil)
)

// configFields binds the library's config keys to gesbackups.Config.
var configFields = sync.OnceValue(func() []fieldBinding {
	b, err := bindFields(library().Config, reflect.TypeFor[gesbackups.Config]())
	if err != nil {
		panic("the Go package and the library's schema disagree: " + err.Error())
	}
	return b
})

func (p *gesProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ges"
	resp.Version = p.version
}

func (p *gesProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema(library().Config)
	resp.Schema.Blocks[oidcBlockName] = oidcBlock()
}

// providerSchema has an optional attribute per config key (a list of blocks
// for a "list" key), with the library's description, environment variables,
// default and sensitivity, and its checks. (Schema adds the provider's own
// block, assume_role_with_oidc: oidc_block.go.)
func providerSchema(keys []libraryEntry) schema.Schema {
	attrs, blocks := map[string]schema.Attribute{}, map[string]schema.Block{}
	for _, e := range keys {
		d := providerDescription(e)
		if e.Type == "list" {
			d += " One `" + e.Name + "` block per element, in order."
			attrs := map[string]schema.Attribute{}
			for _, a := range e.Attributes {
				attrs[a.Name] = providerAttribute(a, listAttributeDescription(e.Name, a))
			}
			blocks[e.Name] = schema.ListNestedBlock{
				Description: d, MarkdownDescription: d,
				NestedObject: schema.NestedBlockObject{Attributes: attrs},
			}
			continue
		}
		attrs[e.Name] = providerAttribute(e, d)
	}
	const desc = "The ges provider reads Huawei Cloud Graph Engine Service (GES) backups through the ges-backups library. " +
		"Every attribute is optional and falls back to its environment variable, then to its default; " +
		"credentials come from the first source that has them (see Authentication)."
	return schema.Schema{Description: desc, MarkdownDescription: desc, Attributes: attrs, Blocks: blocks}
}

// listAttributeDescription is the library's description of an attribute of
// a list key's elements. Its environment variable does not fill an
// attribute left out of a block: without any block of the list, the library
// reads one element from the variables of its attributes.
func listAttributeDescription(list string, a libraryEntry) string {
	d := a.Description
	if names := a.envNames(); len(names) > 0 {
		d += fmt.Sprintf(" Without any `%s` block, the environment variable `%s` gives it (one element from the variables).", list, strings.Join(names, "`, `"))
	}
	return d
}

func providerAttributes(entries []libraryEntry) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(entries))
	for _, e := range entries {
		attrs[e.Name] = providerAttribute(e, providerDescription(e))
	}
	return attrs
}

func providerAttribute(e libraryEntry, d string) schema.Attribute {
	switch e.Type {
	case "string":
		return schema.StringAttribute{Optional: true, Sensitive: e.Sensitive, Description: d, MarkdownDescription: d, Validators: stringValidators(e)}
	case "integer":
		return schema.NumberAttribute{Optional: true, Sensitive: e.Sensitive, Description: d, MarkdownDescription: d, Validators: []validator.Number{numberRange(e)}}
	case "bool":
		return schema.BoolAttribute{Optional: true, Sensitive: e.Sensitive, Description: d, MarkdownDescription: d}
	}
	panic("the library's config key " + e.Name + " has the type " + e.Type + ", which the provider does not know")
}

// ValidateConfig refuses, at `terraform validate`, what assume_role_with_oidc
// cannot be combined with (the attributes' own checks run apart).
func (p *gesProvider) ValidateConfig(_ context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var values map[string]tftypes.Value
	if err := req.Config.Raw.As(&values); err != nil {
		resp.Diagnostics.AddError("Unexpected provider configuration", err.Error()+"; this is a bug in the provider")
		return
	}
	checkOIDCConfig(values, &resp.Diagnostics)
}

func (p *gesProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var values map[string]tftypes.Value
	if err := req.Config.Raw.As(&values); err != nil {
		resp.Diagnostics.AddError("Unexpected provider configuration", err.Error()+"; this is a bug in the provider")
		return
	}
	var cfg gesbackups.Config
	setConfig(&cfg, configFields(), values, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	setPlainOff(&cfg, values)
	setOIDC(&cfg, values, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	oidc, _ := oidcGiven(values)
	setLibraryLogger(ctx, &cfg, append(secretsOf(library().Config, values), secretsOf(oidcEntries(), oidc)...))
	tflog.Debug(ctx, "configuring the ges-backups client", map[string]any{"config": cfg.String(), "library_version": gesbackups.Version()})
	data, err := newProviderData(cfg)
	if err != nil {
		addLibraryError(&resp.Diagnostics, "Invalid ges provider configuration", err, configKeyNames())
		return
	}
	resp.DataSourceData = data
	p.data.Store(data)
}

// setConfig sets the fields of *cfg from the provider's attribute values:
// null ones stay unset, for the library's environment fallback and default.
// An unknown value, or a number the library could not be given, is a
// diagnostic on its attribute (a protocol client may configure without
// validating first).
func setConfig[T any](cfg *T, fields []fieldBinding, values map[string]tftypes.Value, diags *diag.Diagnostics) {
	for _, b := range fields {
		if v, ok := values[b.entry.Name]; ok && !v.IsFullyKnown() {
			diags.AddAttributeError(path.Root(b.entry.Name), "Unknown provider configuration value",
				"The ges provider needs "+b.entry.Name+" to be known before it can read backups: set it to a value known at plan time, or leave it out to use its environment variable.")
		}
	}
	if !diags.HasError() {
		setFields(reflect.ValueOf(cfg).Elem(), fields, values, path.Empty(), diags)
	}
}

// plainOffKeys are the library's keys whose "" turns them off but whose
// gesbackups.Config field is a plain string, whose "" is "not set": the
// provider sends their "" with the Go package's method for it.
var plainOffKeys = map[string]func(*gesbackups.Config){
	// project_id = "": the project of the provider's region looked up in
	// IAM, whatever HW_PROJECT_ID, a profile or a credentials file says.
	"project_id": func(cfg *gesbackups.Config) { *cfg = cfg.ForRegion(cfg.Region) },
}

// setPlainOff applies plainOffKeys for the attributes set to "".
func setPlainOff(cfg *gesbackups.Config, values map[string]tftypes.Value) {
	for key, turnOff := range plainOffKeys {
		var s string
		if v, ok := values[key]; ok && v.IsKnown() && !v.IsNull() && v.As(&s) == nil && s == "" {
			turnOff(cfg)
		}
	}
}

// configKeyNames are the names of the library's config keys, for error
// attribution.
func configKeyNames() []string {
	out := make([]string, 0, len(library().Config))
	for _, e := range library().Config {
		out = append(out, e.Name)
	}
	return out
}

func (p *gesProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newBackupsDataSource}
}

func (p *gesProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}
